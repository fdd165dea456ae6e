package store_test

import (
	"slices"
	"testing"
	"time"

	"whistle/domain"
	"whistle/whistletest"
)

// A walked scope's list of a period walks its cases newest first where the period holds
// many cases and few were received after it, else reads cases_created: either way its
// pages are the period's cases newest first.
func TestListPeriodWalkedOrByIndex(t *testing.T) {
	svc, users, clock := whistletest.Demo(t, 2000)
	ctx := t.Context()
	db, leader := whistletest.StoreOf(svc), users["demo.leader"]
	var all []*domain.Case
	for f := (domain.CaseFilter{Limit: 200}); ; {
		page, next, err := db.Cases(ctx, leader, f)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if next == 0 {
			break
		}
		f.After = next
	}
	if len(all) < 2000 {
		t.Fatalf("the leader sees %d cases", len(all))
	}
	at := func(i int) *time.Time { return &all[i].CreatedAt }
	hourAgo := clock.Now().Add(-time.Hour)
	for _, tc := range []struct {
		name     string
		from, to *time.Time
		walk     bool
	}{
		{"the newest four fifths, up to now", at(len(all) * 4 / 5), nil, true},
		{"the same, up to a minute from now", at(len(all) * 4 / 5), ptr(clock.Now().Add(time.Minute)), true},
		{"the middle half", at(len(all) * 3 / 4), at(len(all) / 4), false},
		{"the last hour", &hourAgo, nil, false},
		{"the oldest tenth", at(len(all) - 1), at(len(all) * 9 / 10), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			walk, err := db.WalkPeriod(ctx, *tc.from, tc.to)
			if err != nil || walk != tc.walk {
				t.Errorf("walked: %v %v, want %v", walk, err, tc.walk)
			}
			var want []int64
			for _, c := range all {
				if !c.CreatedAt.Before(*tc.from) && (tc.to == nil || c.CreatedAt.Before(*tc.to)) {
					want = append(want, c.ID)
				}
			}
			var got []int64
			for f := (domain.CaseFilter{From: tc.from, To: tc.to, Limit: 37}); ; {
				page, next, err := db.Cases(ctx, leader, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range page {
					got = append(got, c.ID)
				}
				if next == 0 {
					break
				}
				f.After = next
			}
			if !slices.Equal(got, want) {
				t.Errorf("pages of 37 gave %d cases, want %d newest first", len(got), len(want))
			}
			n, err := db.CountCases(ctx, leader, domain.CaseFilter{From: tc.from, To: tc.to}, 10_001)
			if err != nil || n != len(want) {
				t.Errorf("counted %d %v, want %d", n, err, len(want))
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
