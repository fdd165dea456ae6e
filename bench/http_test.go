package bench

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"whistle/api"
	"whistle/domain"
	"whistle/transport"
)

// BenchmarkListHTTP: the lists of BenchmarkListCases asked over HTTP as a browser asks
// them (GET /api/v1/cases with a bearer token, gzip accepted, through the server's
// compression), end to end: p50/p99 of the whole request and the bytes on the wire of
// a 50-row page with its total. The demo's street dispatcher at 20,000 cases; the
// province's (gen.dispatcher.43, the only stored dispatcher there) on the large database.
func BenchmarkListHTTP(b *testing.B) {
	b.Run("20k", func(b *testing.B) { listHTTP(b, demo20k.get(b), "demo.dispatcher") })
	b.Run("large", func(b *testing.B) { listHTTP(b, needLarge(b), "gen.dispatcher.43") })
}

// BenchmarkStatsHTTP: the dashboard's statistics of BenchmarkStats over HTTP, end to
// end. The demo holds only its street's regions, so at 20,000 cases only the street's
// are asked.
func BenchmarkStatsHTTP(b *testing.B) {
	b.Run("20k", func(b *testing.B) { statsHTTP(b, demo20k.get(b), "demo.leader", "street-") })
	b.Run("large", func(b *testing.B) { statsHTTP(b, needLarge(b), "gen.dispatcher.43", "") })
}

// served starts the API as whistle serve does (compressed) and signs who in.
func served(b *testing.B, f *fixture, who string) (*httptest.Server, *http.Client, string) {
	srv := httptest.NewServer(transport.Compressed(api.New(f.svc, slog.New(slog.DiscardHandler))))
	b.Cleanup(srv.Close)
	// the transport is told not to add Accept-Encoding itself, so the body read is the
	// body sent: its length is the bytes on the wire
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: time.Minute}
	tok, err := login(client, srv.URL, who)
	if err != nil {
		b.Skipf("%s cannot sign in here: %v", who, err)
	}
	return srv, client, tok
}

func listHTTP(b *testing.B, f *fixture, who string) {
	srv, client, tok := served(b, f, who)
	u, err := f.db.UserByLogin(ctx, who)
	if err != nil {
		b.Fatal(err)
	}
	first, _, err := f.db.Cases(ctx, u, domain.CaseFilter{Limit: 50})
	if err != nil || len(first) == 0 {
		b.Fatalf("no first page: %v", err)
	}
	for _, shape := range listShapes(first, f.clock.Now()) {
		b.Run(shape.name, func(b *testing.B) {
			getTimed(b, client, srv.URL+"/api/v1/cases?"+listQuery(shape.f).Encode(), tok)
		})
	}
}

func statsHTTP(b *testing.B, f *fixture, who, only string) {
	srv, client, tok := served(b, f, who)
	for _, sq := range statsQueries(f.clock.Now()) {
		if !strings.HasPrefix(sq.name, only) {
			continue
		}
		b.Run(sq.name, func(b *testing.B) {
			v := url.Values{"region": {sq.q.Region}, "from": {sq.q.From}, "to": {sq.q.To}, "by": {sq.q.By}}
			getTimed(b, client, srv.URL+"/api/v1/stats/cases?"+v.Encode(), tok)
		})
	}
}

// getTimed GETs u with gzip accepted until the benchmark ends and reports p50/p99 in ms
// and the answer's bytes on the wire.
func getTimed(b *testing.B, client *http.Client, u, tok string) {
	var lat latencies
	wire := 0
	for b.Loop() {
		err := lat.time(func() error {
			req, err := http.NewRequest(http.MethodGet, u, nil)
			if err != nil {
				return err
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Accept-Encoding", "gzip")
			res, err := client.Do(req)
			if err != nil {
				return err
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusOK {
				return fmt.Errorf("GET %s: %d %s", u, res.StatusCode, body)
			}
			wire = len(body)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	lat.reportMs(b)
	b.ReportMetric(float64(wire)/1024, "wire-KB")
}

// listQuery writes a list filter as GET /api/v1/cases's query.
func listQuery(f domain.CaseFilter) url.Values {
	v := url.Values{"limit": {"50"}}
	set := func(k, x string) {
		if x != "" {
			v.Set(k, x)
		}
	}
	set("region", f.Region)
	set("org", f.Org)
	set("matter", f.Matter)
	set("channel", f.Channel)
	set("q", f.Q)
	var st []string
	for _, s := range f.Status {
		st = append(st, string(s))
	}
	set("status", strings.Join(st, ","))
	if f.Overdue != nil {
		set("overdue", fmt.Sprint(*f.Overdue))
	}
	if f.After != 0 {
		set("cursor", fmt.Sprint(f.After))
	}
	if f.From != nil {
		set("from", f.From.In(domain.China).Format("2006-01-02"))
	}
	if f.To != nil {
		set("to", f.To.In(domain.China).Format("2006-01-02"))
	}
	return v
}
