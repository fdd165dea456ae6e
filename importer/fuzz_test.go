package importer

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"whistle/domain"
)

// The importers' readers under any file: no panic, and a refusal says the file is bad
// (invalid input), never something the server did wrong.

// headOf is the first n lines of a shipped file, a seed of the right shape.
func headOf(f *testing.F, path string, n int) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	lines := bytes.SplitAfter(b, []byte("\n"))
	return bytes.Join(lines[:min(n, len(lines))], nil)
}

// invalid holds err to invalid input.
func invalid(t *testing.T, input []byte, err error) {
	t.Helper()
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("%q: error %v is not invalid input", input, err)
	}
}

// FuzzReadMatters: a matter catalogue gives matters that pass their own checks.
func FuzzReadMatters(f *testing.F) {
	f.Add(headOf(f, "../demo/data/matters.csv", 6))
	for _, s := range []string{"", "code,name\n", "\ufeffcode,name,class,category,lead_org,ack_deadline,resolve_deadline,priority,public,keywords,description\nSR-1,a,b,event,X,2h,1d,2,true,,\n",
		"code,name,class,category,lead_org,ack_deadline,resolve_deadline,priority,public,keywords,description,routes,comprehensive\nSR-1,a,b,event,X,99999999h,1d,2,true,,,431382-X,maybe\n", "\"unterminated"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ms, err := ReadMatters(bytes.NewReader(body))
		if err != nil {
			invalid(t, body, err)
			return
		}
		for _, m := range ms {
			if m.Code == "" || m.LeadOrg == "" {
				t.Fatalf("%q: accepted matter %+v", body, m)
			}
		}
	})
}

// FuzzReadCalendar: a holiday calendar gives days that pass their own checks.
func FuzzReadCalendar(f *testing.F) {
	f.Add(headOf(f, "calendars/cn-2026.csv", 8))
	for _, s := range []string{"", "2026-02-30,holiday,x\n", "2026-01-01,weekday,元旦\n", "# only a comment", "2026-01-01\n", "\"a\nb\",holiday"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		days, err := ReadCalendar(bytes.NewReader(body))
		if err != nil {
			invalid(t, body, err)
			return
		}
		for _, d := range days {
			if err := domain.ValidateDay(d); err != nil {
				t.Fatalf("%q: accepted %+v: %v", body, d, err)
			}
		}
	})
}

// FuzzReadDivisions: a china-division CSV gives regions of known levels, above grids.
func FuzzReadDivisions(f *testing.F) {
	for _, s := range []string{"code,name,provinceCode\n43,湖南省\n", "code,name\n431382,涟源市,4313\n431382001,蓝田街道\n431382001001,民光社区居委会\n",
		"code,name\n4313820010010011,网格\n", "code,name\n12x,?\n", "code,name\n43\n", "", "code\n\"43", "code,name\n\"43\"x,a\n"} {
		f.Add([]byte(s))
	}
	keep := func(code string) bool { return !strings.HasPrefix(code, "11") }
	f.Fuzz(func(t *testing.T, body []byte) {
		var got []domain.Region
		n, err := readDivisions(bytes.NewReader(body), "x.csv", keep, func(rs []domain.Region) error {
			got = append(got, rs...)
			return nil
		})
		if err != nil {
			invalid(t, body, err)
			return
		}
		if n != len(got) {
			t.Fatalf("%q: told %d regions, put %d", body, n, len(got))
		}
		for _, r := range got {
			if r.Level == domain.LevelGrid || r.Level == domain.LevelMicroGrid || !keep(r.Code) {
				t.Fatalf("%q: imported %+v", body, r)
			}
		}
	})
}
