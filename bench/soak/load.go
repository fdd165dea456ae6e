package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"sync"
	"time"
)

// load is the mixed traffic of a street's working day, and what it saw.
type load struct {
	base   string
	client *http.Client
	tokens map[string]string
	filed  chan int64 // cases filed and not yet dispatched

	mu     sync.Mutex
	took   map[string][]time.Duration
	errors map[string]int
	first  []string // the first few unexpected answers
}

// ops are the operations and their shares of the load, in percent.
var ops = []struct {
	name  string
	share int
}{{"file", 30}, {"list", 25}, {"dispatch", 15}, {"stats", 10}, {"ledger", 10}, {"groupstats", 10}}

func newLoad(base string) (*load, error) {
	l := &load{base: base, tokens: map[string]string{}, filed: make(chan int64, 100000),
		took: map[string][]time.Duration{}, errors: map[string]int{},
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
	for _, login := range []string{"demo.grid", "demo.dispatcher", "demo.leader"} {
		var out struct{ Token string }
		if st, err := l.call("POST", "/api/v1/auth/token", "", map[string]string{"login": login, "password": "whistle-demo"}, &out); err != nil || st != http.StatusOK {
			return nil, fmt.Errorf("token for %s: %d %v", login, st, err)
		}
		l.tokens[login] = out.Token
	}
	return l, nil
}

// run starts the clients, paced together at rate operations a second, until ctx ends;
// the channel closes when the last client has stopped.
func (l *load) run(ctx context.Context, rate, clients int) <-chan struct{} {
	tick := make(chan struct{}, clients)
	go func() {
		t := time.NewTicker(time.Second / time.Duration(rate))
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				close(tick)
				return
			case <-t.C:
				select {
				case tick <- struct{}{}:
				default: // the server is behind: the load does not pile up
				}
			}
		}
	}()
	done := make(chan struct{})
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range tick {
				l.one()
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()
	return done
}

// one runs an operation drawn by the shares.
func (l *load) one() {
	n := rand.IntN(100)
	for _, op := range ops {
		if n -= op.share; n < 0 {
			l.timed(op.name)
			return
		}
	}
}

// timed runs the named operation and records its time or its failure.
func (l *load) timed(name string) {
	t0 := time.Now()
	err := map[string]func() error{"file": l.file, "list": l.list, "dispatch": l.dispatch, "stats": l.stats,
		"ledger": l.ledger, "groupstats": l.groupStats}[name]()
	took := time.Since(t0)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.errors[name]++
		if len(l.first) < 10 {
			l.first = append(l.first, name+": "+err.Error())
		}
		return
	}
	l.took[name] = append(l.took[name], took)
}

func (l *load) file() error {
	var c struct{ ID int64 }
	body := map[string]any{"matter": "SR-001", "title": "浸泡测试 路灯不亮", "region": "431382001001001", "channel": "grid_patrol",
		"description": "民光社区第1网格路灯不亮，夜间出行不便。"}
	if err := l.want(http.StatusCreated, "POST", "/api/v1/cases", "demo.grid", body, &c); err != nil {
		return err
	}
	select {
	case l.filed <- c.ID:
	default:
	}
	return nil
}

func (l *load) list() error {
	q := []string{"", "&status=reported", "&status=dispatched,acknowledged", "&overdue=true", "&q=路灯"}[rand.IntN(5)]
	var page struct {
		NextCursor string `json:"next_cursor"`
	}
	if err := l.want(http.StatusOK, "GET", "/api/v1/cases?limit=50"+q, "demo.dispatcher", nil, &page); err != nil {
		return err
	}
	if page.NextCursor == "" || rand.IntN(2) == 0 {
		return nil
	}
	return l.want(http.StatusOK, "GET", fmt.Sprintf("/api/v1/cases?limit=50%s&cursor=%s", q, page.NextCursor), "demo.dispatcher", nil, nil)
}

// dispatch accepts a case filed earlier and sends it to the city management bureau.
func (l *load) dispatch() error {
	var id int64
	select {
	case id = <-l.filed:
	default:
		return l.file()
	}
	var c struct{ Version int }
	if err := l.want(http.StatusOK, "POST", fmt.Sprintf("/api/v1/cases/%d/accept", id), "demo.dispatcher", map[string]any{"version": 1}, &c); err != nil {
		return err
	}
	return l.want(http.StatusOK, "POST", fmt.Sprintf("/api/v1/cases/%d/dispatch", id), "demo.dispatcher",
		map[string]any{"version": c.Version, "org": "LY-CGJ"}, nil)
}

func (l *load) stats() error {
	by := []string{"region", "org", "matter", "channel"}[rand.IntN(4)]
	return l.want(http.StatusOK, "GET", "/api/v1/stats/cases?region=431382001&by="+by, "demo.leader", nil, nil)
}

func (l *load) ledger() error {
	return l.want(http.StatusOK, "GET", "/api/v1/ledgers/hazards", "demo.dispatcher", nil, nil)
}

func (l *load) groupStats() error {
	return l.want(http.StatusOK, "GET", "/api/v1/stats/groups/1", "demo.dispatcher", nil, nil)
}

// want sends a request as login and fails unless the answer has status.
func (l *load) want(status int, method, path, login string, body, out any) error {
	st, err := l.call(method, path, l.tokens[login], body, out)
	if err != nil {
		return err
	}
	if st != status {
		return fmt.Errorf("%s %s: %d, want %d", method, path, st, status)
	}
	return nil
}

// call sends one request and decodes the JSON answer into out.
func (l *load) call(method, path, token string, body, out any) (int, error) {
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, l.base+path, r)
	if err != nil {
		return 0, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err == nil && out != nil && resp.StatusCode < 300 {
		err = json.Unmarshal(raw, out)
	}
	return resp.StatusCode, err
}

// latency tells the p-th percentile of the operation's times (nearest rank).
func latency(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(p/100*float64(len(s))))]
}
