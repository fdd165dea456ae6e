package service_test

import (
	"slices"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// pageIDs pages through u's list of f, limit cases a page, and gives the ids in order.
func pageIDs(t *testing.T, svc *service.Service, u domain.User, f domain.CaseFilter, limit int) []int64 {
	t.Helper()
	var ids []int64
	for f.Limit = limit; ; {
		page, next, err := svc.Cases(t.Context(), u, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			ids = append(ids, c.ID)
		}
		if next == 0 {
			return ids
		}
		f.After = next
	}
}

// A small scope's branch whose conditions read the row sorts its range's ids first and
// reads rows newest first until a page is full (store.branchPage): every page must
// still be the newest matching cases after the cursor, in order, on both engines.
func TestListRangeThenRows(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 400)
	ctx := t.Context()
	var all []*domain.Case // the whole street, read as the leader sees it (not a range)
	for f := (domain.CaseFilter{Limit: 200}); ; {
		page, next, err := svc.Cases(ctx, users["demo.leader"], f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if next == 0 {
			break
		}
		f.After = next
	}
	if len(all) != 400 {
		t.Fatalf("the demo's cases: %d", len(all))
	}
	// the village with most cases among the newest: a range of a few dozen in 400
	count := map[string]int{}
	for _, c := range all {
		count[c.Region[:12]]++
	}
	village := ""
	for v, n := range count {
		if village == "" || n > count[village] {
			village = v
		}
	}
	var in []*domain.Case
	for _, c := range all {
		if c.Region[:12] == village {
			in = append(in, c)
		}
	}
	u := domain.User{ID: 1 << 40, Login: "village.dispatcher", Grants: []domain.Grant{{Role: domain.RoleDispatcher, Region: village}}}
	word := string([]rune(in[0].Title)[:2])
	lead := ""
	for _, c := range in {
		if c.LeadOrg != "" && lead == "" {
			lead = c.LeadOrg
		}
	}
	for _, tc := range []struct {
		name  string
		f     domain.CaseFilter
		match func(*domain.Case) bool
	}{
		{"channel", domain.CaseFilter{Channel: string(in[0].Channel)}, func(c *domain.Case) bool { return c.Channel == in[0].Channel }},
		{"kind", domain.CaseFilter{Kind: string(in[0].Kind)}, func(c *domain.Case) bool { return c.Kind == in[0].Kind }},
		{"lead", domain.CaseFilter{Lead: lead}, func(c *domain.Case) bool { return c.LeadOrg == lead }},
		{"words", domain.CaseFilter{Q: word}, func(c *domain.Case) bool {
			return strings.Contains(c.Title, word) || strings.Contains(c.Description, word) || strings.Contains(c.Address, word)
		}},
		{"channel and closed", domain.CaseFilter{Channel: string(in[0].Channel), Status: []domain.Status{domain.StatusClosed}},
			func(c *domain.Case) bool { return c.Channel == in[0].Channel && c.Status == domain.StatusClosed }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []int64
			for _, c := range in {
				if tc.match(c) {
					want = append(want, c.ID)
				}
			}
			if len(want) < 2 {
				t.Fatalf("too few cases to page through: %v", want)
			}
			got := pageIDs(t, svc, u, tc.f, 3)
			if !slices.Equal(got, want) {
				t.Errorf("pages of 3 gave %v, want the newest first %v", got, want)
			}
		})
	}
}

// A whole scope's list of a period sorts the period's ids, then reads the page's rows:
// its pages are still the newest cases of the period after the cursor.
func TestListPeriodOfAWholeScope(t *testing.T) {
	svc, users, _ := whistletest.Demo(t, 400)
	ctx := t.Context()
	leader := users["demo.leader"]
	var all []*domain.Case
	for f := (domain.CaseFilter{Limit: 200}); ; {
		page, next, err := svc.Cases(ctx, leader, f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if next == 0 {
			break
		}
		f.After = next
	}
	from, to := all[len(all)*3/4].CreatedAt, all[len(all)/4].CreatedAt
	var want []int64
	for _, c := range all {
		if !c.CreatedAt.Before(from) && c.CreatedAt.Before(to) {
			want = append(want, c.ID)
		}
	}
	got := pageIDs(t, svc, leader, domain.CaseFilter{From: &from, To: &to}, 7)
	if len(want) < 100 || !slices.Equal(got, want) {
		t.Errorf("pages of 7 gave %d cases %v, want %d newest first %v", len(got), got, len(want), want)
	}
}
