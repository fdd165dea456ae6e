package domain

import (
	"slices"
	"strings"
	"time"
)

// ProblemCategory is the kind of obstacle a project meets (项目问题).
type ProblemCategory string

// ProblemCategories: 用地, 水电气, 融资, 审批, 用工, 其他.
var ProblemCategories = []ProblemCategory{"land", "utilities", "financing", "permits", "labour", "other"}

// ProblemCategoryNames are the categories in the reports' words.
var ProblemCategoryNames = map[ProblemCategory]string{"land": "用地", "utilities": "水电气", "financing": "融资",
	"permits": "审批", "labour": "用工", "other": "其他"}

// ProjectProblem is an obstacle a project's service officer raises: it is filed as an
// enterprise_problem case under Matter (the installation's liaison problem matter when
// empty) and runs the normal lifecycle.
type ProjectProblem struct {
	Category    ProblemCategory `json:"category"`
	Title       string          `json:"title"`
	Description string          `json:"description"`
	Matter      string          `json:"matter,omitempty"`
}

// Validate checks a problem before it is filed.
func (p *ProjectProblem) Validate() error {
	p.Title, p.Description, p.Matter = strings.TrimSpace(p.Title), strings.TrimSpace(p.Description), strings.TrimSpace(p.Matter)
	if !slices.Contains(ProblemCategories, p.Category) {
		return Invalidf("category", "category must be land, utilities, financing, permits, labour or other")
	}
	if p.Title == "" || len([]rune(p.Title)) > 100 {
		return Invalidf("title", "a problem needs a title of at most 100 characters")
	}
	if len([]rune(p.Description)) > 2000 {
		return Invalidf("description", "the description is at most 2000 characters")
	}
	return nil
}

// CaseTitle is the title of the case a problem files: its category and project first,
// so a dispatcher's queue says what it is.
func (p ProjectProblem) CaseTitle(project string) string {
	t := "【项目·" + ProblemCategoryNames[p.Category] + "】" + project + "：" + p.Title
	if r := []rune(t); len(r) > 200 {
		t = string(r[:200])
	}
	return t
}

// ProblemRow is a project's problem as its page lists it: the case's number and state.
type ProblemRow struct {
	CaseID   int64           `json:"case_id"`
	Number   string          `json:"number"`
	Title    string          `json:"title"`
	Status   Status          `json:"status"`
	Category ProblemCategory `json:"category"`
	Filed    time.Time       `json:"filed_at"`
}

// ProjectFile is a document or photo of a project: a stage's proof (Stage set) or a
// monthly report's site photo (Month set).
type ProjectFile struct {
	ID          int64     `json:"id"`
	ProjectID   int64     `json:"project_id"`
	Stage       Stage     `json:"stage,omitempty"`
	Month       string    `json:"month,omitempty"`
	SHA256      string    `json:"sha256"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	ThumbSHA256 string    `json:"thumb_sha256,omitempty"`
	UploadedBy  int64     `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// ValidFileTarget checks what a file belongs to: a life stage or a month, exactly one.
func ValidFileTarget(stage Stage, month string) error {
	switch {
	case (stage == "") == (month == ""):
		return Invalidf("stage", "a file belongs to a stage (its document) or a month (a progress photo), one of the two")
	case stage != "" && stage.Index() < 0:
		return Invalidf("stage", "stage %q is not a life stage", stage)
	case month != "" && !validMonth(month):
		return Invalidf("month", "month must be YYYY-MM")
	}
	return nil
}

func validMonth(s string) bool {
	_, err := time.Parse("2006-01", s)
	return err == nil && len(s) == 7
}

// Bar is one stage on a project's timeline (甘特图): where its planned and actual days
// fall on the project's span, in per mille of the span's width from its left end.
type Bar struct {
	Stage                   Stage
	Planned, Actual         string
	PlanAt, ActualAt        int  // ‰ from the left; -1 when the day is not set
	Late                    bool // reached after its planned day, or not reached and the planned day has passed
	PlanLeft, PlanWidth     int  // the planned span: from the previous stage's planned day (or the last one reached, for a stage ahead) to this one's
	ActualLeft, ActualWidth int  // the actual span, likewise
}

// Timeline lays a project's stage records on one axis from the earliest to the latest
// day any of them names (and today, so a stage not yet reached shows against now).
// It returns the bars, the span's first and last days and where today falls (‰).
func Timeline(stages []StageRecord, today string) (bars []Bar, first, last string, now int) {
	days := []string{today}
	for _, s := range stages {
		for _, d := range []string{s.Planned, s.Actual} {
			if d != "" {
				days = append(days, d)
			}
		}
	}
	first, last = slices.Min(days), slices.Max(days)
	t0, _ := time.Parse(time.DateOnly, first)
	t1, _ := time.Parse(time.DateOnly, last)
	span := t1.Sub(t0).Hours() / 24
	at := func(d string) int {
		if d == "" {
			return -1
		}
		if span == 0 {
			return 0
		}
		t, _ := time.Parse(time.DateOnly, d)
		return int(t.Sub(t0).Hours()/24/span*1000 + 0.5)
	}
	prevPlan, prevActual := -1, -1
	for _, s := range stages {
		b := Bar{Stage: s.Stage, Planned: s.Planned, Actual: s.Actual, PlanAt: at(s.Planned), ActualAt: at(s.Actual)}
		b.Late = (s.Actual != "" && s.Planned != "" && s.Actual > s.Planned) || (s.Actual == "" && s.Planned != "" && s.Planned < today)
		from := prevPlan
		if from < 0 || (prevActual > from && s.Actual == "") {
			from = prevActual // a plan ahead runs from the last stage reached
		}
		b.PlanLeft, b.PlanWidth = segment(from, b.PlanAt)
		b.ActualLeft, b.ActualWidth = segment(prevActual, b.ActualAt)
		if b.PlanAt >= 0 {
			prevPlan = b.PlanAt
		}
		if b.ActualAt >= 0 {
			prevActual = b.ActualAt
		}
		bars = append(bars, b)
	}
	return bars, first, last, at(today)
}

// segment is the span from the previous stage's mark to this one's (a point when there
// is no previous mark or the marks go backwards).
func segment(prev, at int) (left, width int) {
	if at < 0 {
		return 0, 0
	}
	if prev < 0 || prev > at {
		return at, 0
	}
	return prev, at - prev
}
