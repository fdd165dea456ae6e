package web

import (
	"net/http"
	"strconv"
	"strings"

	"whistle/domain"
)

// The page defining an indicator system (考核指标体系): name, region, period, assessees,
// appeal days and a table of indicators. A refused system comes back on the form with
// why and every value entered, not on an error page.

// assessFormRows is how many indicator lines the form offers (a line without a code is
// left out).
const assessFormRows = 8

// assessIndicatorRow is one line of the form, as entered.
type assessIndicatorRow struct {
	Code, Name, Source, Weight, Direction, Rule, Floor, Target, PerEvent, MinVolume string
}

type assessFormData struct {
	Name, Region, PeriodKind, AssesseeKind, AppealDays string
	Rows                                               []assessIndicatorRow
	Sources                                            []domain.AssessSource
	PeriodKinds                                        []domain.AssessPeriodKind
	AssesseeKinds                                      []domain.AssesseeKind
	Rules                                              []domain.ScoringRule
}

func newAssessForm() assessFormData {
	return assessFormData{PeriodKind: string(domain.PeriodMonth), AssesseeKind: string(domain.AssessDepartments), AppealDays: "5",
		Sources:       domain.AssessSources,
		PeriodKinds:   []domain.AssessPeriodKind{domain.PeriodMonth, domain.PeriodQuarter, domain.PeriodYear},
		AssesseeKinds: []domain.AssesseeKind{domain.AssessStreets, domain.AssessCommunities, domain.AssessDepartments, domain.AssessGridWorkers},
		Rules:         []domain.ScoringRule{domain.RuleLinear, domain.RuleRank, domain.RulePass, domain.RuleDeduct}}
}

// assessNew shows the empty form: the region is the user's first granted one.
func (a *App) assessNew(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := newAssessForm()
	for _, g := range q.User.Grants {
		if g.Role == domain.RoleLeader || g.Role == domain.RoleAdmin {
			f.Region = g.Region
			break
		}
	}
	for len(f.Rows) < assessFormRows {
		f.Rows = append(f.Rows, assessIndicatorRow{Direction: string(domain.HigherBetter), Rule: string(domain.RuleLinear), Weight: "1", Floor: "0", Target: "1"})
	}
	return a.Render(w, q, http.StatusOK, "assessnew", f)
}

// assessCreate defines the system entered and opens its page; a refusal of the system
// (422, 400) shows the form again with what was entered.
func (a *App) assessCreate(w http.ResponseWriter, r *http.Request, q *Req) error {
	if err := r.ParseForm(); err != nil {
		return domain.Invalidf("assess.form", "the form could not be read")
	}
	f := newAssessForm()
	v := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	f.Name, f.Region, f.PeriodKind, f.AssesseeKind, f.AppealDays = v("name"), v("region"), v("period_kind"), v("assessee_kind"), v("appeal_days")
	col := func(k string, i int) string {
		if xs := r.PostForm[k]; i < len(xs) {
			return strings.TrimSpace(xs[i])
		}
		return ""
	}
	for i := range min(len(r.PostForm["ind_code"]), 50) {
		f.Rows = append(f.Rows, assessIndicatorRow{Code: col("ind_code", i), Name: col("ind_name", i), Source: col("ind_source", i),
			Weight: col("ind_weight", i), Direction: col("ind_direction", i), Rule: col("ind_rule", i), Floor: col("ind_floor", i),
			Target: col("ind_target", i), PerEvent: col("ind_per_event", i), MinVolume: col("ind_min_volume", i)})
	}
	sys, err := f.system()
	if err == nil {
		sys, err = a.svc.CreateAssessSystem(r.Context(), q.User, sys)
	}
	if err != nil {
		if st := statusOf(err); st != http.StatusBadRequest && st != http.StatusUnprocessableEntity {
			return err
		}
		for len(f.Rows) < assessFormRows {
			f.Rows = append(f.Rows, assessIndicatorRow{Direction: string(domain.HigherBetter), Rule: string(domain.RuleLinear)})
		}
		q.Error = q.ErrorMessage(err)
		return a.Render(w, q, statusOf(err), "assessnew", f)
	}
	return a.done(w, r, "/assessments/"+strconv.FormatInt(sys.ID, 10), q.L.T("assess.created"))
}

// system reads the form's system: the lines with a code, numbers parsed (an empty
// number is 0), the rest left to the domain's checks.
func (f assessFormData) system() (domain.AssessSystem, error) {
	sys := domain.AssessSystem{Name: f.Name, Region: f.Region, PeriodKind: domain.AssessPeriodKind(f.PeriodKind), AssesseeKind: domain.AssesseeKind(f.AssesseeKind)}
	var err error
	if sys.AppealDays, err = strconv.Atoi(f.AppealDays); err != nil {
		return sys, domain.Invalidf("assess.appeal_days", "appeal_days must be 0 to 30")
	}
	for i, row := range f.Rows {
		if row.Code == "" && row.Name == "" {
			continue
		}
		in := domain.Indicator{Code: row.Code, Name: row.Name, Source: domain.AssessSource(row.Source), Direction: domain.Direction(row.Direction), Rule: domain.ScoringRule(row.Rule)}
		for _, n := range []struct {
			text string
			to   *float64
		}{{row.Weight, &in.Weight}, {row.Floor, &in.Floor}, {row.Target, &in.Target}, {row.PerEvent, &in.PerEvent}} {
			if n.text == "" {
				continue
			}
			if *n.to, err = strconv.ParseFloat(n.text, 64); err != nil {
				return sys, domain.Invalidf("assess.indicator_number", "indicator %d: %q is not a number", i+1, n.text)
			}
		}
		if row.MinVolume != "" {
			if in.MinVolume, err = strconv.ParseInt(row.MinVolume, 10, 64); err != nil {
				return sys, domain.Invalidf("assess.indicator_number", "indicator %d: minimum volume %q is not a whole number", i+1, row.MinVolume)
			}
		}
		sys.Indicators = append(sys.Indicators, in)
	}
	return sys, nil
}
