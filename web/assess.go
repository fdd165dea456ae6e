package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// 考核 in the browser: the indicator systems, a system's periods, a period's table
// with each score's indicators and each indicator's cases, publication, appeals, the
// 红黑榜 with its trend, the XLSX download and the printable 通报; exclusions. The same
// service methods as /api/v1/assessments.

// assessRoles open the assessment pages: the service decides what each reads.
var assessRoles = []domain.Role{domain.RoleAdmin, domain.RoleLeader, domain.RoleDispatcher, domain.RoleOfficer}

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.assessments", Path: "/assessments", Roles: assessRoles, Order: 57})
		a.Page("GET /assessments", assessRoles, a.assessSystems)
		a.Page("GET /assessments/new", assessDefiners, a.assessNew)
		a.Action("POST /assessments", assessDefiners, a.assessCreate)
		a.Page("GET /assessments/{id}", assessRoles, a.assessSystem)
		a.Page("GET /assessments/{id}/periods/{period}", assessRoles, a.assessPeriod)
		a.Page("GET /assessments/{id}/periods/{period}/table.xlsx", assessRoles, a.assessXLSX)
		a.Page("GET /assessments/{id}/periods/{period}/ranking", assessRoles, a.assessRanking)
		a.Page("GET /assessments/{id}/periods/{period}/circular", assessRoles, a.assessCircular)
		a.Action("POST /assessments/{id}/periods/{period}/publish", assessRoles, a.assessPublish)
		a.Action("POST /assessments/{id}/periods/{period}/manual", assessRoles, a.assessManual)
		a.Action("POST /assessments/{id}/periods/{period}/appeals", assessRoles, a.assessAppeal)
		a.Action("POST /assessments/appeals/{id}/decide", assessRoles, a.assessDecideAppeal)
		a.Page("GET /assessments/exclusions", assessRoles, a.assessExclusions)
		a.Action("POST /assessments/exclusions", assessRoles, a.assessRequestExclusion)
		a.Action("POST /assessments/exclusions/{id}/decide", assessRoles, a.assessDecideExclusion)
		a.Page("GET /assessments/ratings", assessRoles, a.assessRatings)
		a.Action("POST /assessments/ratings", assessRoles, a.assessRate)
	})
}

// assessDefiners open the form defining a system: the service lets the region's
// leaders and administrators define one (domain.AssessManages).
var assessDefiners = []domain.Role{domain.RoleAdmin, domain.RoleLeader}

type assessListData struct {
	Systems []domain.AssessSystem
	Defines bool // the user may open the form defining a system
}

func (a *App) assessSystems(w http.ResponseWriter, r *http.Request, q *Req) error {
	ss, err := a.svc.AssessSystems(r.Context(), q.User)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "assesslist", assessListData{Systems: ss, Defines: q.User.Has(domain.RoleAdmin) || q.User.Has(domain.RoleLeader)})
}

type assessSystemData struct {
	System  domain.AssessSystem
	Periods []service.PeriodStatus
	Manages bool
}

func (a *App) assessSystem(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "indicator system")
	if err != nil {
		return err
	}
	sys, err := a.svc.AssessSystem(r.Context(), q.User, id)
	if err != nil {
		return err
	}
	ps, err := a.svc.AssessPeriods(r.Context(), q.User, id)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "assesssystem", assessSystemData{System: sys, Periods: ps, Manages: domain.AssessManages(q.User, sys.Region)})
}

// assessPath reads the path's system id and period.
func assessPath(r *http.Request) (int64, string, error) {
	id, err := transport.PathID(r, "id", "indicator system")
	return id, r.PathValue("period"), err
}

// assessRow is one assessee's score with, per indicator, its value as read and the
// case list behind it.
type assessRow struct {
	domain.AssessScore
	Cells   []assessCell
	Appeals bool // the user may appeal for it
}

type assessCell struct {
	Indicator domain.Indicator
	Score     domain.IndicatorScore
	Value     string
	Cases     string // the case list link, "" where the source is not cases
}

type assessPeriodData struct {
	View      service.AssessView
	Rows      []assessRow
	Base      string
	Decides   bool
	Manages   bool
	Published bool
	Manual    []domain.Indicator // the manual items a manager scores before publication
}

func (a *App) assessView(r *http.Request, q *Req) (assessPeriodData, error) {
	id, period, err := assessPath(r)
	if err != nil {
		return assessPeriodData{}, err
	}
	v, err := a.svc.AssessPeriod(r.Context(), q.User, id, period)
	if err != nil {
		return assessPeriodData{}, err
	}
	d := assessPeriodData{View: v, Base: "/assessments/" + strconv.FormatInt(id, 10) + "/periods/" + period,
		Decides: domain.AssessDecides(q.User, v.System.Region), Manages: domain.AssessManages(q.User, v.System.Region),
		Published: v.Result.Status == domain.PeriodPublished}
	for _, in := range v.System.Indicators {
		if in.Source == domain.SrcManual && d.Manages && !d.Published {
			d.Manual = append(d.Manual, in)
		}
	}
	for _, sc := range v.Result.Scores {
		row := assessRow{AssessScore: sc, Appeals: d.Published && domain.AssessSpeaksFor(q.User, v.System.AssesseeKind, sc.Key)}
		for i, is := range sc.Indicators {
			in := v.System.Indicators[i]
			row.Cells = append(row.Cells, assessCell{Indicator: in, Score: is, Value: service.FormatAssessValue(in, is.Value), Cases: assessCases(v, sc.Key, in)})
		}
		d.Rows = append(d.Rows, row)
	}
	return d, nil
}

// assessCases is the case list an indicator read from the rollup counts: the
// assessee's cases received in the period (a department's as lead org in the
// system's region).
func assessCases(v service.AssessView, key string, in domain.Indicator) string {
	if !in.Source.FromRollup() {
		return ""
	}
	q := url.Values{"from": {v.From}, "to": {v.To}}
	if v.System.AssesseeKind == domain.AssessDepartments {
		q.Set("region", v.System.Region)
		q.Set("lead", key)
	} else {
		q.Set("region", key)
	}
	if in.Source == domain.SrcOverdueRate {
		q.Set("overdue", "true")
	}
	return withQuery("/cases", q)
}

func (a *App) assessPeriod(w http.ResponseWriter, r *http.Request, q *Req) error {
	d, err := a.assessView(r, q)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "assessperiod", d)
}

func (a *App) assessCircular(w http.ResponseWriter, r *http.Request, q *Req) error {
	d, err := a.assessView(r, q)
	if err != nil {
		return err
	}
	if !d.Published {
		return domain.Errorf(domain.ECONFLICT, "a circular is of a published period")
	}
	rk, err := a.svc.AssessRanking(r.Context(), q.User, d.View.System.ID, d.View.Result.Period, 3)
	if err != nil {
		return err
	}
	scored := 0
	for _, sc := range d.View.Result.Scores {
		if sc.Scored {
			scored++
		}
	}
	return a.Render(w, q, http.StatusOK, "assesscircular", struct {
		assessPeriodData
		Ranking service.Ranking
		Scored  int
	}{d, rk, scored})
}

func (a *App) assessXLSX(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, period, err := assessPath(r)
	if err != nil {
		return err
	}
	v, err := a.svc.AssessPeriod(r.Context(), q.User, id, period)
	if err != nil {
		return err
	}
	return transport.WriteTable(w, "assessment_"+strconv.FormatInt(id, 10)+"_"+period, "考核", "xlsx", service.AssessTable(v))
}

type assessRankingData struct {
	Ranking service.Ranking
	Base    string
	N       int
}

func (a *App) assessRanking(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, period, err := assessPath(r)
	if err != nil {
		return err
	}
	n := 3
	if s := r.URL.Query().Get("n"); s != "" {
		if n, err = strconv.Atoi(s); err != nil || n < 1 || n > 100 {
			return domain.Invalidf("assess.n", "n must be a number from 1 to 100")
		}
	}
	rk, err := a.svc.AssessRanking(r.Context(), q.User, id, period, n)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "assessranking", assessRankingData{Ranking: rk, Base: "/assessments/" + strconv.FormatInt(id, 10) + "/periods/" + period, N: n})
}

func (a *App) assessPublish(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, period, err := assessPath(r)
	if err != nil {
		return err
	}
	if _, err := a.svc.PublishAssess(r.Context(), q.User, id, period); err != nil {
		return err
	}
	http.Redirect(w, r, "/assessments/"+strconv.FormatInt(id, 10)+"/periods/"+period, http.StatusSeeOther)
	return nil
}

func (a *App) assessAppeal(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, period, err := assessPath(r)
	if err != nil {
		return err
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	if _, err := a.svc.FileAppeal(r.Context(), q.User, domain.Appeal{SystemID: id, Period: period, Assessee: f("assessee"), Indicator: f("indicator"), Reason: f("reason")}); err != nil {
		return err
	}
	http.Redirect(w, r, "/assessments/"+strconv.FormatInt(id, 10)+"/periods/"+period+"#appeals", http.StatusSeeOther)
	return nil
}

// assessDecideAppeal is the leader's: accept=1 with the corrected num (and volume), or
// a rejection, each with its reason.
func (a *App) assessDecideAppeal(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "appeal")
	if err != nil {
		return err
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	d := service.AppealDecision{Accept: f("accept") == "1", Decision: f("decision")}
	if d.Accept {
		if d.Num, err = strconv.ParseFloat(f("num"), 64); err != nil {
			return domain.Invalidf("assess.num", "the corrected value must be a number")
		}
		if v := f("volume"); v != "" {
			if d.Volume, err = strconv.ParseInt(v, 10, 64); err != nil {
				return domain.Invalidf("assess.volume", "the corrected volume must be a whole number")
			}
		}
	}
	ap, err := a.svc.DecideAppeal(r.Context(), q.User, id, d)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/assessments/"+strconv.FormatInt(ap.SystemID, 10)+"/periods/"+ap.Period+"#appeals", http.StatusSeeOther)
	return nil
}

type assessExclusionsData struct {
	Exclusions []domain.Exclusion
	Sources    []domain.AssessSource
	From, To   string
	Leads      bool
}

func (a *App) assessExclusions(w http.ResponseWriter, r *http.Request, q *Req) error {
	p := r.URL.Query()
	d := assessExclusionsData{From: p.Get("from"), To: p.Get("to")}
	if len(domain.ReadScopes(q.User)) > 0 {
		xs, err := a.svc.Exclusions(r.Context(), q.User, p.Get("region"), d.From, d.To, p.Get("status"))
		if err != nil {
			return err
		}
		d.Exclusions = xs
	}
	for _, s := range domain.AssessSources {
		if s.FromRollup() {
			d.Sources = append(d.Sources, s)
		}
	}
	d.Leads = q.User.Has(domain.RoleLeader)
	return a.Render(w, q, http.StatusOK, "assessexclusions", d)
}

func (a *App) assessRequestExclusion(w http.ResponseWriter, r *http.Request, q *Req) error {
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EINVALID, "the form does not parse")
	}
	caseID, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("case_id")), 10, 64)
	if err != nil || caseID <= 0 {
		return domain.Invalidf("assess.case", "case must be a case id")
	}
	x := domain.Exclusion{CaseID: caseID, Kind: domain.ExclusionKind(r.PostFormValue("kind")), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	for _, s := range r.PostForm["source"] {
		x.Sources = append(x.Sources, domain.AssessSource(s))
	}
	if _, err := a.svc.RequestExclusion(r.Context(), q.User, x); err != nil {
		return err
	}
	http.Redirect(w, r, "/assessments/exclusions", http.StatusSeeOther)
	return nil
}

func (a *App) assessDecideExclusion(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := transport.PathID(r, "id", "exclusion")
	if err != nil {
		return err
	}
	if _, err := a.svc.DecideExclusion(r.Context(), q.User, id, r.PostFormValue("approve") == "1", strings.TrimSpace(r.PostFormValue("note"))); err != nil {
		return err
	}
	http.Redirect(w, r, "/assessments/exclusions", http.StatusSeeOther)
	return nil
}

// assessManual is a manager's score of an assessee on a manual item, with its reason.
func (a *App) assessManual(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, period, err := assessPath(r)
	if err != nil {
		return err
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	points, err := strconv.ParseFloat(f("points"), 64)
	if err != nil {
		return domain.Invalidf("assess.points", "points must be a number from 0 to 100")
	}
	if err := a.svc.SetManualScore(r.Context(), q.User, id, period, f("assessee"), f("indicator"), points, f("reason")); err != nil {
		return err
	}
	http.Redirect(w, r, "/assessments/"+strconv.FormatInt(id, 10)+"/periods/"+period, http.StatusSeeOther)
	return nil
}

type assessRatingsData struct {
	Ratings []domain.ReportInRating
	Grades  []domain.RatingGrade
	Reads   bool
}

// assessRatings lists the report-in ratings of the months asked (the last twelve) with
// the form to rate one.
func (a *App) assessRatings(w http.ResponseWriter, r *http.Request, q *Req) error {
	p := r.URL.Query()
	d := assessRatingsData{Grades: []domain.RatingGrade{domain.RatingSatisfied, domain.RatingBasically, domain.RatingNot}, Reads: len(domain.ReadScopes(q.User)) > 0}
	if d.Reads {
		rs, err := a.svc.Ratings(r.Context(), q.User, p.Get("region"), p.Get("from"), p.Get("to"))
		if err != nil {
			return err
		}
		d.Ratings = rs
	}
	return a.Render(w, q, http.StatusOK, "assessratings", d)
}

func (a *App) assessRate(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	caseID, err := strconv.ParseInt(f("case_id"), 10, 64)
	if err != nil || caseID <= 0 {
		return domain.Invalidf("assess.case", "case must be a case id")
	}
	rt := domain.ReportInRating{CaseID: caseID, Org: f("org"), Grade: domain.RatingGrade(f("grade")), Timely: f("timely") == "1", Note: f("note")}
	if _, err := a.svc.RateReportIn(r.Context(), q.User, rt); err != nil {
		return err
	}
	http.Redirect(w, r, "/assessments/ratings", http.StatusSeeOther)
	return nil
}
