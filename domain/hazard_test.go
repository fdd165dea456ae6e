package domain

import (
	"testing"
	"time"
)

func TestHazardFindingValidate(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, China)
	f := HazardFinding{Matter: "AQ-001"} // the service fills in the matter's category first; without one, other
	d, err := f.Validate(now)
	if err != nil || f.Level != HazardGeneral || f.Category != "other" || !d.Equal(time.Date(2026, 3, 10, 0, 0, 0, 0, China)) {
		t.Errorf("defaults: %v %+v deadline %v", err, f, d)
	}
	m := HazardFinding{Matter: "AQ-005", Level: HazardMajor}
	if d, _ := m.Validate(now); !d.Equal(time.Date(2026, 4, 2, 0, 0, 0, 0, China)) {
		t.Errorf("major deadline %v", d)
	}
	g := HazardFinding{Matter: "AQ-005", Deadline: "2026-03-05"}
	if d, err := g.Validate(now); err != nil || !d.Equal(time.Date(2026, 3, 6, 0, 0, 0, 0, China)) {
		t.Errorf("given deadline %v %v", d, err)
	}
	for name, bad := range map[string]HazardFinding{
		"bad level":     {Matter: "AQ-001", Level: "huge"},
		"bad category":  {Matter: "AQ-001", Category: "space"},
		"past deadline": {Matter: "AQ-001", Deadline: "2026-03-01"},
		"far deadline":  {Matter: "AQ-001", Deadline: "2027-06-01"},
		"bad date":      {Matter: "AQ-001", Deadline: "3/5"},
		"bad photo":     {Matter: "AQ-001", Photos: []string{"data:text/html;base64,AA"}},
	} {
		if _, err := bad.Validate(now); ErrorCode(err) != EINVALID {
			t.Errorf("%s: want invalid", name)
		}
	}
	if HazardCategoryOr("") != "other" || HazardCategoryOr("space") != "other" || HazardCategoryOr("geological") != "geological" {
		t.Error("HazardCategoryOr")
	}
}

func TestLedgerRow(t *testing.T) {
	var r LedgerRow
	r.Count(StatusClosed, false, false, 5)
	r.Count(StatusVerified, true, false, 2)
	r.Count(StatusInProgress, false, false, 2)
	r.Count(StatusResolved, false, true, 1) // resolved after its deadline, not yet verified
	r.Count(StatusRejected, false, false, 9)
	r.Count(StatusMerged, true, true, 9)
	if r.Found != 10 || r.Major != 2 || r.Rectified != 7 || r.Rectifying != 2 || r.Overdue != 1 || *r.Rate != 0.7 {
		t.Errorf("row %+v", r)
	}
	var tot LedgerRow
	tot.Sum(r)
	tot.Sum(LedgerRow{Found: 10})
	if tot.Found != 20 || *tot.Rate != 0.35 {
		t.Errorf("sum %+v", tot)
	}
	if (&LedgerRow{}).Rate != nil {
		t.Error("an empty row has no rate (null), not 0")
	}
	var void LedgerRow
	if void.Count(StatusRejected, false, false, 1); void.Rate != nil {
		t.Errorf("a row of void hazards only has no rate: %v", *void.Rate)
	}
	now := time.Date(2026, 3, 2, 0, 0, 0, 0, China)
	for _, tc := range []struct {
		s    Status
		due  time.Time
		want string
	}{
		{StatusClosed, now.AddDate(0, 0, -9), "rectified"},
		{StatusInProgress, now.AddDate(0, 0, 1), "rectifying"},
		{StatusDispatched, now.AddDate(0, 0, -1), "overdue"},
		{StatusRejected, now, "void"},
	} {
		if got := HazardState(tc.s, tc.due, now); got != tc.want {
			t.Errorf("HazardState(%s) = %s, want %s", tc.s, got, tc.want)
		}
	}
}
