package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"whistle/api"
	"whistle/demo"
	"whistle/domain"
	"whistle/service"
	"whistle/store"
	"whistle/whistletest"
)

// Two servers on one database behave as one system: cases filed and moved through both
// at once, with two sweepers running, lose nothing and duplicate nothing, and every
// case row stays the fold of its events.
func TestTwoServersOneDatabase(t *testing.T) {
	ctx := context.Background()
	svc1, _, clock := whistletest.Demo(t, 0)
	db2, err := store.Open(ctx, whistletest.StoreOf(svc1).DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db2.Close() })
	db2.Now = clock.Now
	svc2 := service.New(db2)
	var servers []*httptest.Server
	for _, svc := range []*service.Service{svc1, svc2} {
		svc.TokenTTL = 48 * time.Hour
		srv := httptest.NewServer(api.New(svc, slog.New(slog.DiscardHandler)))
		t.Cleanup(srv.Close)
		servers = append(servers, srv)
	}
	call := func(server int, method, path, token string, body any) (int, map[string]any) {
		var buf bytes.Buffer
		json.NewEncoder(&buf).Encode(body)
		req, _ := http.NewRequest(method, servers[server%2].URL+path, &buf)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return 0, nil
		}
		defer resp.Body.Close()
		var out map[string]any
		json.NewDecoder(resp.Body).Decode(&out)
		return resp.StatusCode, out
	}
	tokens := map[string]string{}
	for i, login := range []string{"demo.grid", "demo.dispatcher", "officer.LY-CGJ", "officer.LY-YJJ"} {
		_, body := call(i, "POST", "/api/v1/auth/token", "", map[string]string{"login": login, "password": demo.Password})
		tokens[login] = body["token"].(string)
	}

	const cases = 24
	stop := make(chan struct{})
	var sweeps sync.WaitGroup
	for _, svc := range []*service.Service{svc1, svc2} {
		sweeps.Add(1)
		go func() {
			defer sweeps.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := svc.Sweep(ctx); err != nil {
					t.Error("sweep:", err)
					return
				}
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	var wg sync.WaitGroup
	wins := make([]int, cases)
	for i := 0; i < cases; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, c := call(i, "POST", "/api/v1/cases", tokens["demo.grid"], map[string]any{
				"matter": "SR-001", "title": fmt.Sprintf("并发工单 %d", i), "region": "431382001001001", "channel": "grid_patrol"})
			if status != http.StatusCreated {
				t.Errorf("file %d: %d %v", i, status, c)
				return
			}
			id := int64(c["id"].(float64))
			// two dispatchers accept at once through the two servers: exactly one wins
			var race sync.WaitGroup
			for s := 0; s < 2; s++ {
				race.Add(1)
				go func() {
					defer race.Done()
					st, body := call(s, "POST", fmt.Sprintf("/api/v1/cases/%d/accept", id), tokens["demo.dispatcher"], map[string]any{"version": 1})
					switch {
					case st == http.StatusOK:
						wins[i]++
					case st != http.StatusConflict:
						t.Errorf("case %d concurrent accept: %d %v", id, st, body)
					}
				}()
			}
			race.Wait()
			steps := []struct {
				who, action string
				body        map[string]any
			}{
				{"demo.dispatcher", "dispatch", map[string]any{"org": "LY-CGJ"}},
				{"demo.dispatcher", "whistle", map[string]any{"orgs": []string{"LY-YJJ"}}},
				{"officer.LY-YJJ", "report-in", map[string]any{}},
				{"officer.LY-CGJ", "acknowledge", map[string]any{}},
				{"officer.LY-CGJ", "resolve", map[string]any{"result": "已处理"}},
				{"demo.grid", "verify", map[string]any{}},
				{"demo.dispatcher", "visit", map[string]any{"satisfaction": "satisfied"}},
				{"demo.dispatcher", "close", map[string]any{}},
			}
			version := 2.0
			for n, s := range steps {
				s.body["version"] = version
				st, body := call(i+n, "POST", fmt.Sprintf("/api/v1/cases/%d/%s", id, s.action), tokens[s.who], s.body)
				if st == http.StatusConflict && hErrCode(body) == domain.ESTALE {
					// a sweeper marked a deadline meanwhile: read the new version and retry once
					_, cur := call(i+n+1, "GET", fmt.Sprintf("/api/v1/cases/%d", id), tokens["demo.dispatcher"], nil)
					s.body["version"] = cur["version"]
					st, body = call(i+n, "POST", fmt.Sprintf("/api/v1/cases/%d/%s", id, s.action), tokens[s.who], s.body)
				}
				if st != http.StatusOK {
					t.Errorf("case %d %s: %d %v", id, s.action, st, body)
					return
				}
				version = body["version"].(float64)
			}
		}()
		if i == cases/2 {
			clock.Add(3 * time.Hour) // half the cases see their acknowledge deadlines pass
		}
	}
	wg.Wait()
	close(stop)
	sweeps.Wait()

	for i, w := range wins {
		if w != 1 {
			t.Errorf("case %d: %d concurrent accepts won, want exactly 1", i, w)
		}
	}
	u := domain.User{ID: -1, Grants: []domain.Grant{{Role: domain.RoleAdmin}}}
	all, _, err := svc1.Cases(ctx, u, domain.CaseFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != cases {
		t.Fatalf("%d cases stored, want %d", len(all), cases)
	}
	numbers := map[string]bool{}
	for _, listed := range all {
		if numbers[listed.Number] {
			t.Errorf("case number %s given twice", listed.Number)
		}
		numbers[listed.Number] = true
		c, err := svc2.Case(ctx, u, listed.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != domain.StatusClosed {
			t.Errorf("case %d is %s, want closed", c.ID, c.Status)
		}
		f := domain.Fold(c.ID, c.Events)
		if f.Version != c.Version || f.Status != c.Status || f.OverdueAck != c.OverdueAck || len(c.Events) != c.Version ||
			!f.ResolveDue.Equal(*c.ResolveDue) || f.Satisfaction != c.Satisfaction || len(f.Summons) != len(c.Summons) {
			t.Errorf("case %d row differs from the fold of its %d events: row %+v fold %+v", c.ID, len(c.Events), c, f)
		}
		marks := map[domain.Action]int{}
		for n, e := range c.Events {
			if e.Seq != n+1 {
				t.Errorf("case %d event %d has seq %d", c.ID, n, e.Seq)
			}
			marks[e.Action]++
		}
		if marks[domain.ActOverdueAck] > 1 || marks[domain.ActOverdueReportIn] > 1 || marks[domain.ActAccept] != 1 {
			t.Errorf("case %d events doubled: %v", c.ID, marks)
		}
	}
	rep, err := svc1.Stats(ctx, u, domain.StatsQuery{Region: demo.Street, From: whistletest.Start.Format("2006-01"), To: clock.Now().Format("2006-01")})
	if stats := rep.Rows; err != nil || len(stats) != 1 || stats[0].Received != cases || stats[0].Closed != cases || stats[0].Satisfied != cases {
		t.Errorf("rollup after the run: %+v, %v; want %d received, closed and satisfied", stats, err, cases)
	}
}
