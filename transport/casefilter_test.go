package transport

import (
	"net/url"
	"reflect"
	"testing"
	"time"

	"whistle/domain"
)

func TestCaseFilter(t *testing.T) {
	at := func(s string) *time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, domain.China)
		if err != nil {
			t.Fatal(err)
		}
		return &v
	}
	yes, no := true, false
	cases := []struct {
		name  string
		query string
		want  domain.CaseFilter
		err   bool
	}{
		{"nothing", "", domain.CaseFilter{}, false},
		{"text filters", "region=431382001&org=LY-CGJ&matter=SR-001&channel=hotline&kind=complaint&q=垃圾",
			domain.CaseFilter{Region: "431382001", Org: "LY-CGJ", Matter: "SR-001", Channel: "hotline", Kind: "complaint", Q: "垃圾"}, false},
		{"statuses", "status=reported,+dispatched,", domain.CaseFilter{Status: []domain.Status{domain.StatusReported, domain.StatusDispatched}}, false},
		{"unknown status", "status=reported,lost", domain.CaseFilter{}, true},
		{"overdue true", "overdue=true", domain.CaseFilter{Overdue: &yes}, false},
		{"overdue 0", "overdue=0", domain.CaseFilter{Overdue: &no}, false},
		{"overdue word", "overdue=yes", domain.CaseFilter{}, true},
		{"days", "from=2026-01-05&to=2026-01-05", domain.CaseFilter{From: at("2026-01-05 00:00"), To: at("2026-01-06 00:00")}, false},
		{"months", "from=2026-01&to=2026-02", domain.CaseFilter{From: at("2026-01-01 00:00"), To: at("2026-03-01 00:00")}, false},
		{"RFC 3339", "from=2026-01-05T08:30:00%2B08:00", domain.CaseFilter{From: at("2026-01-05 08:30")}, false},
		{"bad from", "from=2026-13", domain.CaseFilter{}, true},
		{"bad to", "to=yesterday", domain.CaseFilter{}, true},
		{"cursor", "cursor=42&limit=200", domain.CaseFilter{After: 42, Limit: 200}, false},
		{"zero cursor", "cursor=0", domain.CaseFilter{}, true},
		{"word cursor", "cursor=abc", domain.CaseFilter{}, true},
		{"limit 0", "limit=0", domain.CaseFilter{}, true},
		{"limit 201", "limit=201", domain.CaseFilter{}, true},
	}
	for _, tc := range cases {
		v, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		got, err := CaseFilter(v)
		if tc.err {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("%s: error %v, want %s", tc.name, err, domain.EINVALID)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got.From != nil && tc.want.From != nil && got.From.Equal(*tc.want.From) {
			got.From = tc.want.From
		}
		if got.To != nil && tc.want.To != nil && got.To.Equal(*tc.want.To) {
			got.To = tc.want.To
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
