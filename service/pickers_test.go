package service_test

import (
	"errors"
	"slices"
	"testing"

	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// keyOf is the field key of a refusal (domain.Invalidf), "" for any other error.
func keyOf(err error) string {
	var e *domain.Error
	if errors.As(err, &e) {
		return e.Key
	}
	return ""
}

// SaveUser names the grant that is wrong by its place, for the admin page's rows.
func TestSaveUserNamesTheWrongGrant(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 0)
	admin, vol := users["demo.admin"], users["demo.volunteer"]
	ok := domain.Grant{Role: domain.RoleVolunteer, Region: "431382001001"}
	for _, tc := range []struct {
		name string
		bad  domain.Grant
		key  string
		args []any
	}{
		{"a region that does not exist", domain.Grant{Role: domain.RoleGridWorker, Region: "431382001999"}, "grant.region_unknown", []any{2, "431382001999"}},
		{"a malformed region code", domain.Grant{Role: domain.RoleGridWorker, Region: "4313820"}, "grant.region_code", []any{2, "4313820"}},
		{"an org that does not exist", domain.Grant{Role: domain.RoleOfficer, Org: "NO-SUCH"}, "grant.org_unknown", []any{2, "NO-SUCH"}},
		{"an officer without an org", domain.Grant{Role: domain.RoleOfficer}, "grant.org_needed", nil},
		{"no role", domain.Grant{Region: "431382001"}, "grant.role", nil},
	} {
		u := vol
		u.Grants = []domain.Grant{ok, tc.bad}
		_, err := svc.SaveUser(t.Context(), admin, vol.ID, u, "")
		var e *domain.Error
		if !errors.As(err, &e) || e.Code != domain.EINVALID || e.Key != tc.key || e.Args[0] != 2 || tc.args != nil && !slices.Equal(e.Args, tc.args) {
			t.Errorf("%s: %v (key %q, args %v), want %s naming grant 2", tc.name, err, keyOf(err), e.Args, tc.key)
		}
	}
	if _, err := svc.SaveUser(t.Context(), admin, vol.ID, domain.User{Name: vol.Name}, ""); keyOf(err) != "grant.none" {
		t.Errorf("no grants: %v", err)
	}
	if err := svc.PutOrg(t.Context(), admin, domain.Org{Code: "X-1", Name: "某单位", Kind: "bakery"}); keyOf(err) != "org.kind" {
		t.Errorf("an unknown org kind: %v", err)
	}
}

// The region picker's search finds by name or code, with the names above each hit, for
// administrators only; the tree's children come one level at a time.
func TestSearchRegions(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 0)
	hits, err := svc.SearchRegions(t.Context(), users["demo.admin"], "民光社区第2")
	if err != nil || len(hits) != 1 || hits[0].Code != "431382001001002" || hits[0].Path != "湖南省 娄底市 涟源市 蓝田街道 民光社区居委会" {
		t.Fatalf("search 民光社区第2: %+v %v", hits, err)
	}
	if hits, err := svc.SearchRegions(t.Context(), users["demo.admin"], "431382001001"); err != nil || len(hits) == 0 || hits[0].Code != "431382001001" {
		t.Errorf("search by code: %+v %v", hits, err)
	}
	if hits, err := svc.SearchRegions(t.Context(), users["demo.admin"], "%"); err != nil || len(hits) != 0 {
		t.Errorf("a LIKE wildcard matched %d regions: %v", len(hits), err)
	}
	if _, err := svc.SearchRegions(t.Context(), users["demo.admin"], " "); keyOf(err) != "region.search" {
		t.Errorf("empty search: %v", err)
	}
	if _, err := svc.SearchRegions(t.Context(), users["demo.leader"], "民光"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a leader searching: %v", err)
	}
}

// A month saved from the grid replaces that month only and keeps the office hours when
// none are given.
func TestPutCalendarMonth(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 0)
	admin := users["demo.admin"]
	if err := svc.PutCalendarYear(t.Context(), admin, serviceYear(2027, "2027-01-01", "2027-02-11")); err != nil {
		t.Fatal(err)
	}
	feb := []domain.CalendarDay{{Date: "2027-02-07", Kind: domain.Workday}, {Date: "2027-02-12", Kind: domain.Holiday, Name: "春节"}}
	if err := svc.PutCalendarMonth(t.Context(), admin, 2027, 2, nil, feb); err != nil {
		t.Fatal(err)
	}
	y, err := svc.CalendarYear(t.Context(), 2027)
	var dates []string
	for _, d := range y.Days {
		dates = append(dates, d.Date+" "+string(d.Kind))
	}
	if err != nil || !slices.Equal(dates, []string{"2027-01-01 holiday", "2027-02-07 workday", "2027-02-12 holiday"}) {
		t.Errorf("2027 after saving February: %v %v", dates, err)
	}
	for _, tc := range []struct {
		days []domain.CalendarDay
		key  string
	}{
		{[]domain.CalendarDay{{Date: "2027-03-01", Kind: domain.Holiday}}, "calendar.not_in_month"},
		{[]domain.CalendarDay{{Date: "2027-02-10", Kind: domain.Workday}}, "calendar.workday"},
		{[]domain.CalendarDay{{Date: "2027-02-10", Kind: "party"}}, "calendar.kind"},
	} {
		if err := svc.PutCalendarMonth(t.Context(), admin, 2027, 2, nil, tc.days); keyOf(err) != tc.key {
			t.Errorf("%+v: %v, want %s", tc.days, err, tc.key)
		}
	}
	if err := svc.PutCalendarMonth(t.Context(), users["demo.leader"], 2027, 2, nil, nil); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a leader saving a month: %v", err)
	}
}

func serviceYear(year int, holidays ...string) service.CalendarYear {
	y := service.CalendarYear{Year: year}
	for _, d := range holidays {
		y.Days = append(y.Days, domain.CalendarDay{Date: d, Kind: domain.Holiday})
	}
	return y
}

// RecentMatters reads only the user's own cases, the latest matter first, each once.
func TestRecentMatters(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 2000)
	grid := users["demo.grid"]
	got, err := svc.RecentMatters(t.Context(), grid, 5)
	if err != nil || len(got) == 0 || len(got) > 5 {
		t.Fatalf("recent matters %v %v", got, err)
	}
	mine, err := svc.MyReports(t.Context(), grid, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, c := range mine { // newest first
		if len(want) < 5 && !slices.Contains(want, c.Matter) {
			want = append(want, c.Matter)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("recent %v, want %v from her own reports", got, want)
	}
	if none, err := svc.RecentMatters(t.Context(), users["demo.leader"], 5); err != nil || len(none) != 0 {
		t.Errorf("a leader who reported nothing: %v %v", none, err)
	}
}
