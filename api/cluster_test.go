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
	cl := &cluster{t: t, tokens: map[string]string{}}
	for _, svc := range []*service.Service{svc1, svc2} {
		svc.TokenTTL, svc.SessionIdle = 48*time.Hour, 48*time.Hour
		srv := httptest.NewServer(api.New(svc, slog.New(slog.DiscardHandler)))
		t.Cleanup(srv.Close)
		cl.servers = append(cl.servers, srv)
	}
	for i, login := range []string{"demo.grid", "demo.dispatcher", "officer.LY-CGJ", "officer.LY-YJJ"} {
		_, body := cl.call(i, "POST", "/api/v1/auth/token", "", map[string]string{"login": login, "password": demo.Password})
		cl.tokens[login] = body["token"].(string)
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
			wins[i] = cl.walk(i)
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
	checkFolded(t, svc1, svc2, cases)
	u := domain.User{ID: -1, Grants: []domain.Grant{{Role: domain.RoleAdmin}}}
	rep, err := svc1.Stats(ctx, u, domain.StatsQuery{Region: demo.Street, From: whistletest.Start.Format("2006-01"), To: clock.Now().Format("2006-01")})
	if stats := rep.Rows; err != nil || len(stats) != 1 || stats[0].Received != cases || stats[0].Closed != cases || stats[0].Satisfied != cases {
		t.Errorf("rollup after the run: %+v, %v; want %d received, closed and satisfied", stats, err, cases)
	}
}

// cluster is two API servers on one database, and the tokens of the demo logins.
type cluster struct {
	t       *testing.T
	servers []*httptest.Server
	tokens  map[string]string
}

// call sends a request to server (taken modulo two) and answers its status and JSON.
func (cl *cluster) call(server int, method, path, token string, body any) (int, map[string]any) {
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode(body)
	req, _ := http.NewRequest(method, cl.servers[server%2].URL+path, &buf)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cl.t.Error(err)
		return 0, nil
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// walk files the i-th case and carries it to closed through both servers; two
// dispatchers accept it at once, and walk tells how many of them won.
func (cl *cluster) walk(i int) (wins int) {
	t := cl.t
	status, c := cl.call(i, "POST", "/api/v1/cases", cl.tokens["demo.grid"], map[string]any{
		"matter": "SR-001", "title": fmt.Sprintf("并发工单 %d", i), "region": "431382001001001", "channel": "grid_patrol"})
	if status != http.StatusCreated {
		t.Errorf("file %d: %d %v", i, status, c)
		return 0
	}
	id := int64(c["id"].(float64))
	var race sync.WaitGroup
	var mu sync.Mutex
	for s := 0; s < 2; s++ {
		race.Add(1)
		go func() {
			defer race.Done()
			st, body := cl.call(s, "POST", fmt.Sprintf("/api/v1/cases/%d/accept", id), cl.tokens["demo.dispatcher"], map[string]any{"version": 1})
			switch {
			case st == http.StatusOK:
				mu.Lock()
				wins++
				mu.Unlock()
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
		st, body := cl.call(i+n, "POST", fmt.Sprintf("/api/v1/cases/%d/%s", id, s.action), cl.tokens[s.who], s.body)
		if st == http.StatusConflict && hErrCode(body) == domain.ESTALE {
			// a sweeper marked a deadline meanwhile: read the new version and retry once
			_, cur := cl.call(i+n+1, "GET", fmt.Sprintf("/api/v1/cases/%d", id), cl.tokens["demo.dispatcher"], nil)
			s.body["version"] = cur["version"]
			st, body = cl.call(i+n, "POST", fmt.Sprintf("/api/v1/cases/%d/%s", id, s.action), cl.tokens[s.who], s.body)
		}
		if st != http.StatusOK {
			t.Errorf("case %d %s: %d %v", id, s.action, st, body)
			return wins
		}
		version = body["version"].(float64)
	}
	return wins
}

// checkFolded checks that the database holds the cases, each once, closed, its row
// the fold of its events, read through svc1 and svc2.
func checkFolded(t *testing.T, svc1, svc2 *service.Service, cases int) {
	ctx := context.Background()
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
}
