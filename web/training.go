package web

import (
	"net/http"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// 混编培训 in the browser: the school's classes, a class's roster import (preview
// first), hand rules, the mixing with its scores explained, hand moves scored again,
// and the printable roster, group lists, room list and sign-in sheets. The same service
// methods as /api/v1/training.

// trainingRoles open the training pages: the school's officers, the region's leaders
// and administrators; the service decides what each sees and changes.
var trainingRoles = []domain.Role{domain.RoleAdmin, domain.RoleLeader, domain.RoleOfficer}

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.training", Path: "/training", Roles: trainingRoles, Order: 64})
		a.Page("GET /training", trainingRoles, a.trainingClasses)
		a.Action("POST /training", trainingRoles, a.trainingCreate)
		a.Page("GET /training/template.xlsx", trainingRoles, a.trainingTemplate)
		a.Page("GET /training/{id}", trainingRoles, a.trainingClass)
		a.Page("GET /training/{id}/print/{sheet}", trainingRoles, a.trainingPrint)
		a.Action("POST /training/{id}/roster", trainingRoles, a.trainingRoster)
		a.Action("POST /training/{id}/rules", trainingRoles, a.trainingRules)
		a.Action("POST /training/{id}/mix", trainingRoles, a.trainingMix)
		a.Action("POST /training/{id}/move", trainingRoles, a.trainingMove)
	})
}

type trainingListData struct {
	Classes []domain.TrainingClass
	Orgs    []string // the officer's orgs, offered when opening a class
	Opens   bool
	Names   Names
}

func (a *App) trainingClasses(w http.ResponseWriter, r *http.Request, q *Req) error {
	cs, err := a.svc.TrainingClasses(r.Context(), q.User)
	if err != nil {
		return err
	}
	names, err := a.names(r.Context(), nil)
	if err != nil {
		return err
	}
	d := trainingListData{Classes: cs, Orgs: domain.UserOrgs(q.User), Opens: q.User.Has(domain.RoleOfficer) || q.User.Has(domain.RoleAdmin), Names: names}
	return a.Render(w, q, http.StatusOK, "training", d)
}

func (a *App) trainingCreate(w http.ResponseWriter, r *http.Request, q *Req) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	c := domain.TrainingClass{Name: f("name"), Org: f("org"), Region: f("region"), StartsOn: f("starts_on"), EndsOn: f("ends_on")}
	c.GroupSize, _ = strconv.Atoi(f("group_size"))
	c.RoomSize, _ = strconv.Atoi(f("room_size"))
	c, err := a.svc.CreateTrainingClass(r.Context(), q.User, c)
	if domain.ErrorCode(err) == domain.EINVALID {
		q.Error = domain.ErrorMessage(err)
		cs, lerr := a.svc.TrainingClasses(r.Context(), q.User)
		if lerr != nil {
			return lerr
		}
		names, lerr := a.names(r.Context(), nil)
		if lerr != nil {
			return lerr
		}
		return a.Render(w, q, http.StatusBadRequest, "training", trainingListData{Classes: cs, Orgs: domain.UserOrgs(q.User), Opens: true, Names: names})
	}
	if err != nil {
		return err
	}
	return a.done(w, r, "/training/"+strconv.FormatInt(c.ID, 10), q.L.T("training.opened", c.Name))
}

func (a *App) trainingTemplate(w http.ResponseWriter, _ *http.Request, q *Req) error {
	b, err := a.svc.RosterTemplate(q.User)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="roster.xlsx"`)
	_, err = w.Write(b)
	return err
}

type trainingData struct {
	View    service.TrainingView
	Groups  []domain.MixGroup
	Rooms   []domain.MixRoom
	Names   map[int64]string
	School  string
	Program []service.SessionView
	Import  *service.TraineeImport
	Preview bool
	Sheet   string
}

func trainingID(r *http.Request) (int64, error) { return transport.PathID(r, "id", "training class") }

func (a *App) trainingView(r *http.Request, q *Req) (trainingData, error) {
	id, err := trainingID(r)
	if err != nil {
		return trainingData{}, err
	}
	v, err := a.svc.TrainingClass(r.Context(), q.User, id)
	if err != nil {
		return trainingData{}, err
	}
	d := trainingData{View: v, Groups: domain.MixGroups(v.Trainees), Rooms: domain.MixRooms(v.Trainees), Names: map[int64]string{}}
	for _, t := range v.Trainees {
		d.Names[t.ID] = t.Name
	}
	if d.Program, err = a.svc.TrainingProgramme(r.Context(), q.User, id); err != nil {
		return d, err
	}
	names, err := a.names(r.Context(), nil)
	d.School = names.Orgs[v.Class.Org]
	return d, err
}

func (a *App) trainingClass(w http.ResponseWriter, r *http.Request, q *Req) error {
	d, err := a.trainingView(r, q)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "trainingclass", d)
}

// trainingPrint is a printable sheet of a class: roster, groups, rooms or signin, as a
// page or with .pdf as a PDF.
func (a *App) trainingPrint(w http.ResponseWriter, r *http.Request, q *Req) error {
	d, err := a.trainingView(r, q)
	if err != nil {
		return err
	}
	sheet, asPDF := strings.CutSuffix(r.PathValue("sheet"), ".pdf")
	switch d.Sheet = sheet; d.Sheet {
	case "roster", "groups", "rooms", "signin":
	default:
		return domain.Errorf(domain.ENOTFOUND, "no such sheet: roster, groups, rooms or signin (.pdf)")
	}
	if asPDF {
		return a.trainingPDF(w, q, d)
	}
	return a.Render(w, q, http.StatusOK, "trainingprint", d)
}

// trainingRoster previews or imports an uploaded roster: the report on the class page
// (400 when a row is wrong), or after an import the class with its new roster.
func (a *App) trainingRoster(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := trainingID(r)
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		return domain.Errorf(domain.EINVALID, "bad form")
	}
	body, err := uploadedSheet(r, "roster")
	if err != nil {
		return err
	}
	preview := r.PostFormValue("mode") != "import"
	if len(body) == 0 {
		return domain.Invalidf("training.file", "%s", q.L.T("training.nofile"))
	}
	res, err := a.svc.ImportTrainees(r.Context(), q.User, id, body, preview)
	if err == nil && !preview {
		return a.done(w, r, "/training/"+strconv.FormatInt(id, 10), q.L.T("training.imported", len(res.Trainees)))
	}
	if err != nil && (domain.ErrorCode(err) != domain.EINVALID || len(res.Errors) == 0) {
		return err
	}
	d, verr := a.trainingView(r, q)
	if verr != nil {
		return verr
	}
	d.Import, d.Preview = &res, preview
	status := http.StatusOK
	if err != nil {
		q.Error = q.L.T("training.rejected", len(res.Errors))
		status = http.StatusBadRequest
	}
	return a.Render(w, q, status, "trainingclass", d)
}

// trainingRules adds a hand rule (kind, a, b) to the class's, or clears them (clear=1).
func (a *App) trainingRules(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := trainingID(r)
	if err != nil {
		return err
	}
	v, err := a.svc.TrainingClass(r.Context(), q.User, id)
	if err != nil {
		return err
	}
	rules := v.Rules
	if r.PostFormValue("clear") == "1" {
		rules = nil
	} else {
		ra, _ := strconv.ParseInt(r.PostFormValue("a"), 10, 64)
		rb, _ := strconv.ParseInt(r.PostFormValue("b"), 10, 64)
		rules = append(rules, domain.MixRule{Kind: r.PostFormValue("kind"), A: ra, B: rb})
	}
	if _, err := a.svc.SetMixRules(r.Context(), q.User, id, rules); err != nil {
		return a.trainingRefuse(w, r, q, err)
	}
	return a.done(w, r, "/training/"+strconv.FormatInt(id, 10)+"#rules", q.L.T("training.rules_saved", len(rules)))
}

func (a *App) trainingMix(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := trainingID(r)
	if err != nil {
		return err
	}
	var in service.MixIn
	in.GroupSize, _ = strconv.Atoi(r.PostFormValue("group_size"))
	in.RoomSize, _ = strconv.Atoi(r.PostFormValue("room_size"))
	if seed := strings.TrimSpace(r.PostFormValue("seed")); seed != "" {
		if in.Seed, err = strconv.ParseInt(seed, 10, 64); err != nil {
			return domain.Invalidf("mix.seed", "%s", q.L.T("training.bad_seed"))
		}
	}
	v, err := a.svc.MixTrainingClass(r.Context(), q.User, id, in)
	if err != nil {
		return a.trainingRefuse(w, r, q, err)
	}
	return a.done(w, r, "/training/"+strconv.FormatInt(id, 10)+"#report", q.L.T("training.mixed", v.Report.Groups, v.Report.Rooms))
}

// trainingMove moves a trainee to a group, or swaps two trainees' rooms.
func (a *App) trainingMove(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := trainingID(r)
	if err != nil {
		return err
	}
	var mv service.TraineeMove
	mv.Trainee, _ = strconv.ParseInt(r.PostFormValue("trainee"), 10, 64)
	mv.Group, _ = strconv.Atoi(r.PostFormValue("group"))
	mv.SwapRoomWith, _ = strconv.ParseInt(r.PostFormValue("swap_room_with"), 10, 64)
	v, err := a.svc.MoveTrainee(r.Context(), q.User, id, mv)
	if err != nil {
		return a.trainingRefuse(w, r, q, err)
	}
	return a.done(w, r, "/training/"+strconv.FormatInt(id, 10)+"#report", q.L.T("training.moved", v.Report.Balance))
}

// trainingRefuse shows a refused change (a bad value, a rule the mixing cannot meet) on
// the class page, in the words of the rule; other errors take the error page.
func (a *App) trainingRefuse(w http.ResponseWriter, r *http.Request, q *Req, err error) error {
	if code := domain.ErrorCode(err); code != domain.EINVALID && code != domain.ECONFLICT {
		return err
	}
	d, verr := a.trainingView(r, q)
	if verr != nil {
		return verr
	}
	q.Error = domain.ErrorMessage(err)
	return a.Render(w, q, statusOf(err), "trainingclass", d)
}
