package transport

import (
	"net/url"
	"slices"
	"testing"
	"time"

	"whistle/domain"
)

// refused holds an error of a decoder of untrusted input to the client's fault: a
// domain error answered 4xx, never one answered 500.
func refused(t *testing.T, input string, err error) {
	t.Helper()
	if st, known := Status(err); !known || st < 400 || st >= 500 {
		t.Fatalf("%q: error %v answers %d, want a 4xx domain error", input, err, st)
	}
}

// a body of the kinds of fields request bodies have
type sampleBody struct {
	Name    string            `json:"name"`
	Version int               `json:"version"`
	ID      int64             `json:"id"`
	Lat     *float64          `json:"lat"`
	At      *time.Time        `json:"at"`
	Orgs    []string          `json:"orgs"`
	Attrs   map[string]string `json:"attrs"`
	Nested  *struct {
		OK bool `json:"ok"`
	} `json:"nested"`
}

// FuzzDecodeBytes holds the strict JSON decoder to being total: any body gives a value
// or an invalid-input error, for the filing and for a body of every field kind.
func FuzzDecodeBytes(f *testing.F) {
	for _, s := range []string{`{"name":"路灯","version":3,"orgs":["LY-CGJ"],"attrs":{"a":"b"},"lat":27.7,"at":"2026-03-02T09:00:00+08:00"}`,
		`{"matter":"SR-001","title":"x","region":"431382001001001","channel":"grid_patrol"}`, `{}`, `[]`, `null`, `{"name":"\u0000"}`,
		`{"version":1e400}`, `{"unknown":1}`, `{"a":1}{"b":2}`, `{"nested":{"ok":"yes"}}`, "\xff", `{"orgs":[1,2]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var b sampleBody
		if err := DecodeBytes(body, &b); err != nil {
			refused(t, string(body), err)
		}
		var n domain.NewCase
		if err := DecodeBytes(body, &n); err != nil {
			refused(t, string(body), err)
		}
		var c domain.Command
		if err := DecodeBytes(body, &c); err != nil {
			refused(t, string(body), err)
		}
	})
}

// FuzzCaseFilter holds the case-list filter to being total and to its limits.
func FuzzCaseFilter(f *testing.F) {
	for _, s := range []string{"", "status=reported,dispatched&overdue=true&limit=50", "from=2026-01&to=2026-03-15&cursor=9",
		"window=1,2,3", "limit=0", "limit=201", "cursor=-1", "overdue=maybe", "from=2026-13", "to=2026-02-30", "status=,,",
		"from=2026-03-02T09:00:00%2B08:00", "region=431382&org=LY-CGJ&lead=LY-CGJ&q=%E8%B7%AF%E7%81%AF", "window=9223372036854775808"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		c, err := CaseFilter(v)
		if err != nil {
			refused(t, raw, err)
			return
		}
		if c.Limit < 0 || c.Limit > 200 || c.After < 0 || len(c.Window) > MaxWindows {
			t.Fatalf("%q: limit %d, cursor %d, %d windows", raw, c.Limit, c.After, len(c.Window))
		}
		for _, s := range c.Status {
			if !slices.Contains(domain.Statuses, s) {
				t.Fatalf("%q: accepted status %q", raw, s)
			}
		}
	})
}

// FuzzAuditFilter holds the audit log's filter to being total and to its limits.
func FuzzAuditFilter(f *testing.F) {
	for _, s := range []string{"", "actor=demo.admin&action=user&object=group/1", "from=2026-01&to=2026-02&limit=1000&cursor=5",
		"action=user.*", "object=/", "limit=1001", "to=2026-01&from=2026-02"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		a, err := AuditFilter(v)
		if err != nil {
			refused(t, raw, err)
			return
		}
		if a.Limit < 0 || a.Limit > 1000 || a.Before < 0 {
			t.Fatalf("%q: limit %d, cursor %d", raw, a.Limit, a.Before)
		}
	})
}
