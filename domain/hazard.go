package domain

import (
	"strings"
	"time"
)

// Hazard levels (隐患等级).
const (
	HazardGeneral = "general" // 一般隐患
	HazardMajor   = "major"   // 重大隐患
)

// HazardLevelNames are the levels in the ledger's words.
var HazardLevelNames = map[string]string{HazardGeneral: "一般", HazardMajor: "重大"}

// HazardCategories are the categories a hazard ledger is kept by, in ledger order.
var HazardCategories = []string{"fire", "gas", "electric", "building", "construction", "special_equipment", "chemical", "geological", "drowning", "traffic", "other"}

// HazardCategoryNames are the categories in the ledger's words.
var HazardCategoryNames = map[string]string{"fire": "消防安全", "gas": "燃气安全", "electric": "用电安全", "building": "房屋安全",
	"construction": "建筑施工", "special_equipment": "特种设备", "chemical": "危险化学品", "geological": "地质灾害",
	"drowning": "防溺水", "traffic": "道路交通", "other": "其他"}

// HazardCategoryOr gives the category a hazard case without its own is counted under:
// its matter's hazard category (Matter.HazardCategory), or "other" when the matter has
// none.
func HazardCategoryOr(matterCategory string) string {
	if _, ok := HazardCategoryNames[matterCategory]; ok {
		return matterCategory
	}
	return "other"
}

// Hazard is what a hazard case (kind hazard) carries beyond the case: level, category,
// rectification measures and deadline, the org answering for it, where it was found and
// the rectification evidence. The case lifecycle moves it: resolve is the rectification,
// verify the on-site check that closes it.
type Hazard struct {
	CaseID   int64     `json:"case_id"`
	Level    string    `json:"level"`
	Category string    `json:"category"`
	Measures string    `json:"measures"`
	Deadline time.Time `json:"deadline"`
	Org      string    `json:"org"`
	PatrolID int64     `json:"patrol_id,omitempty"`
	Evidence []string  `json:"evidence"` // rectification photos
	// From the case, for ledgers and pages.
	Number     string     `json:"number,omitempty"`
	Title      string     `json:"title,omitempty"`
	Region     string     `json:"region,omitempty"`
	Address    string     `json:"address,omitempty"`
	Status     Status     `json:"status,omitempty"`
	FoundAt    time.Time  `json:"found_at"`
	ResolvedAt *time.Time `json:"resolved_at,omitempty"`
	Result     string     `json:"result,omitempty"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
	VerifiedBy string     `json:"verified_by,omitempty"`
}

// HazardFinding is a hazard found on a patrol (or reported directly): it becomes a hazard case.
type HazardFinding struct {
	Matter      string   `json:"matter"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Address     string   `json:"address"`
	Region      string   `json:"region"`
	Lat         *float64 `json:"lat"`
	Lon         *float64 `json:"lon"`
	Level       string   `json:"level"`
	Category    string   `json:"category"`
	Measures    string   `json:"measures"`
	Deadline    string   `json:"deadline"` // YYYY-MM-DD; default by level
	Org         string   `json:"org"`      // responsible org; default the matter's lead org
	Photos      []string `json:"photos"`
}

// HazardTerms are the default rectification terms: a general hazard within 7 days, a
// major one within 30 (重大隐患 need a plan and supervision, so they get longer).
var HazardTerms = map[string]int{HazardGeneral: 7, HazardMajor: 30}

// Validate checks a finding and fills defaults: level general, category other (the
// caller fills in the matter's category first),
// the deadline by level (end of that day, China time).
func (f *HazardFinding) Validate(now time.Time) (time.Time, error) {
	f.Title, f.Measures = strings.TrimSpace(f.Title), strings.TrimSpace(f.Measures)
	if f.Level == "" {
		f.Level = HazardGeneral
	}
	if f.Level != HazardGeneral && f.Level != HazardMajor {
		return time.Time{}, Errorf(EINVALID, "level must be general or major")
	}
	if f.Category == "" {
		f.Category = "other"
	}
	if _, ok := HazardCategoryNames[f.Category]; !ok {
		return time.Time{}, Errorf(EINVALID, "unknown hazard category %q", f.Category)
	}
	if len(f.Measures) > 5000 {
		return time.Time{}, Errorf(EINVALID, "measures are longer than 5000 characters")
	}
	var deadline time.Time
	if f.Deadline == "" {
		y, m, d := now.In(China).Date()
		deadline = time.Date(y, m, d, 0, 0, 0, 0, China).AddDate(0, 0, HazardTerms[f.Level]+1)
	} else {
		d, err := time.ParseInLocation("2006-01-02", f.Deadline, China)
		if err != nil {
			return time.Time{}, Errorf(EINVALID, "deadline must be a date YYYY-MM-DD")
		}
		deadline = d.AddDate(0, 0, 1) // the whole day
		if !deadline.After(now) || deadline.Sub(now) > 366*24*time.Hour {
			return time.Time{}, Errorf(EINVALID, "deadline must be within the coming year")
		}
	}
	if f.Photos == nil {
		f.Photos = []string{}
	}
	return deadline, ValidPhotos(f.Photos)
}

// HazardRectified tells whether a hazard case counts as rectified (已整改): its
// rectification was verified on site, or the case was closed after it.
func HazardRectified(s Status) bool { return s == StatusVerified || s == StatusClosed }

// HazardVoid tells whether a hazard case does not count at all (rejected or a duplicate).
func HazardVoid(s Status) bool { return s == StatusRejected || s == StatusMerged }

// LedgerRow is one line of a hazard ledger (隐患台账): patrols made (巡逻检查次数),
// hazards found, rectified, being rectified within their deadline, overdue, and the
// rectification rate (整改率: rectified / found, a Ratio; null when nothing was found).
// Patrols are counted by region only: a category or level line has none of its own.
type LedgerRow struct {
	Key        string   `json:"key"`
	Name       string   `json:"name"`
	Patrols    int      `json:"patrols"`
	Found      int      `json:"found"`
	Major      int      `json:"major"`
	Rectified  int      `json:"rectified"`
	Rectifying int      `json:"rectifying"`
	Overdue    int      `json:"overdue"`
	Rate       *float64 `json:"rate"`
}

// Count adds n hazards in one state; void ones are not counted.
func (r *LedgerRow) Count(s Status, major, overdue bool, n int) {
	if HazardVoid(s) {
		return
	}
	r.Found += n
	if major {
		r.Major += n
	}
	switch {
	case HazardRectified(s):
		r.Rectified += n
	case overdue:
		r.Overdue += n
	default:
		r.Rectifying += n
	}
	r.Rate = Ratio(r.Rectified, r.Found)
}

// Sum adds another row's figures.
func (r *LedgerRow) Sum(o LedgerRow) {
	r.Patrols += o.Patrols
	r.Found, r.Major, r.Rectified, r.Rectifying, r.Overdue = r.Found+o.Found, r.Major+o.Major, r.Rectified+o.Rectified, r.Rectifying+o.Rectifying, r.Overdue+o.Overdue
	r.Rate = Ratio(r.Rectified, r.Found)
}

// HazardState is a hazard's state in the ledger's words at now.
func HazardState(s Status, deadline, now time.Time) string {
	switch {
	case HazardVoid(s):
		return "void"
	case HazardRectified(s):
		return "rectified"
	case now.After(deadline):
		return "overdue"
	}
	return "rectifying"
}

// HazardPoint is a hazard case placed on a map: where it was found, its level and
// status, and whether its rectification is overdue.
type HazardPoint struct {
	CaseID  int64
	Number  string
	Title   string
	Region  string
	Lat     float64
	Lon     float64
	Level   string
	Status  Status
	Overdue bool
}
