package web

import (
	"context"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"whistle/domain"
	"whistle/transport"
)

// The case page: every field, the timeline of events, photos, likely duplicates, and a
// form for each action the user may take now (domain.AllowedActions). Actions post to
// /cases/{id}/act/{action} and come back here.

func init() {
	register(func(a *App) {
		a.Page("GET /cases/{id}", nil, a.casePage)
		a.Action("POST /cases/{id}/act/{action}", nil, a.caseAct)
	})
}

type casePageData struct {
	Case       *domain.Case
	Actions    []domain.Action
	Names      Names
	Orgs       []domain.Org
	Suggested  string // the matter's lead org for the case's region
	Duplicates []dupRow
	Files      []domain.Attachment
	Ancestors  []domain.Region
	Form       map[string]string                 // the refused form's values, to fill it again
	PhotoSteps map[int]domain.Action             // event seq → its action, to caption a photo by what it proves
	Replies    map[string][]domain.ReplyTemplate // 常用语 by use, filled in from the case, for the answer and result forms
	Map        template.HTML                     // the case's grid and community with its position (caseMap)
}

func caseID(r *http.Request) (int64, error) { return transport.PathID(r, "id", "case") }

func (a *App) casePage(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	return a.showCase(w, r, q, id, http.StatusOK, nil)
}

// showCase renders the case page with status; form refills a refused action's fields.
func (a *App) showCase(w http.ResponseWriter, r *http.Request, q *Req, id int64, status int, form map[string]string) error {
	ctx := r.Context()
	c, err := a.svc.Case(ctx, q.User, id)
	if err != nil {
		return err
	}
	d := casePageData{Case: c, Actions: domain.AllowedActions(q.User, c), Form: form}
	orgs, ms, err := a.catalog(ctx)
	if err != nil {
		return err
	}
	d.Orgs = orgs
	for _, m := range ms {
		if m.Code == c.Matter {
			d.Suggested = m.LeadOrgFor(c.Region)
		}
	}
	var similar []*domain.Case
	if can(d.Actions, string(domain.ActMerge)) {
		if d.Duplicates, similar, err = a.duplicates(ctx, q.User, c); err != nil {
			return err
		}
	}
	if d.Ancestors, err = a.svc.Ancestors(ctx, c.Region); err != nil {
		return err
	}
	if d.Replies, err = a.caseReplies(ctx, q.User, c, d.Actions); err != nil {
		return err
	}
	if d.Map, err = a.caseMapOf(ctx, q, d.Ancestors, c); err != nil {
		return err
	}
	regions := []string{c.Region}
	for _, e := range c.Events {
		if e.Data.Region != "" {
			regions = append(regions, e.Data.Region)
		}
	}
	if d.Names, err = a.names(ctx, similar, regions...); err != nil {
		return err
	}
	if d.Files, err = a.svc.Attachments(ctx, q.User, c.ID); err != nil {
		return err
	}
	d.PhotoSteps = photoSteps(c)
	return a.Render(w, q, status, "case", d)
}

// dupRow is one likely duplicate: from the spatial index (with its distance) or from
// the same matter in the same community.
type dupRow struct {
	ID        int64
	Number    string
	Title     string
	Status    domain.Status
	Region    string
	CreatedAt time.Time
	Distance  *float64
}

// duplicates joins the two rules: the intake service's spatial duplicate index first,
// then open cases of the same matter in the same community from the last days.
func (a *App) duplicates(ctx context.Context, u domain.User, c *domain.Case) ([]dupRow, []*domain.Case, error) {
	var out []dupRow
	seen := map[int64]bool{}
	near, err := a.svc.Duplicates(ctx, u, c.ID)
	if err != nil {
		return nil, nil, err
	}
	for _, d := range near {
		dist := d.Distance
		out, seen[d.CaseID] = append(out, dupRow{ID: d.CaseID, Number: d.Number, Title: d.Title, Status: d.Status, CreatedAt: d.CreatedAt, Distance: &dist}), true
	}
	similar, err := a.svc.LikelyDuplicates(ctx, u, c, 10)
	if err != nil {
		return nil, nil, err
	}
	for _, s := range similar {
		if !seen[s.ID] {
			out = append(out, dupRow{ID: s.ID, Number: s.Number, Title: s.Title, Status: s.Status, Region: s.Region, CreatedAt: s.CreatedAt})
		}
	}
	return out, similar, nil
}

// caseAct carries out one action from the case page's forms.
func (a *App) caseAct(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := caseID(r)
	if err != nil {
		return err
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") && r.MultipartForm == nil {
		if err := r.ParseMultipartForm(maxUpload); err != nil {
			return domain.Errorf(domain.EINVALID, "bad form")
		}
	}
	cmd, form, msg := commandFrom(r)
	if msg == "act.need.into" && form["into"] != "" { // merging into a case named by its number
		if into, err := a.svc.CaseByNumber(r.Context(), q.User, form["into"]); err == nil {
			cmd.Into, msg = into.ID, ""
		}
	}
	files, ferr := photoUploads(r, "photos")
	if ferr != nil {
		msg = "act.bad_photos"
	}
	if msg == "" {
		var c *domain.Case
		c, err = a.svc.Act(r.Context(), q.User, id, cmd)
		if err == nil && len(files) > 0 && len(c.Events) > 0 {
			// the photos prove this event (a resolve's rectification); the action stands
			// even if a photo is refused, and the page says so
			if perr := a.savePhotos(r.Context(), q.User, id, c.Events[len(c.Events)-1].Seq, files); perr != nil {
				q.Error = q.L.T("act.photo_refused", q.ErrorMessage(perr))
				return a.showCase(w, r, q, id, http.StatusOK, nil)
			}
		}
		if err == nil && r.PostFormValue("row") == "1" && r.Header.Get("HX-Request") != "" {
			return a.Fragment(w, q, http.StatusOK, "case", "caseacted", c)
		}
		if err == nil {
			back := safeNext(r.PostFormValue("back"))
			if back == "/" {
				back = "/cases/" + strconv.FormatInt(id, 10)
			}
			return a.done(w, r, back, actedMessage(q, cmd.Action, c.Number))
		}
		if _, ok := transport.Status(err); !ok {
			return err
		}
		q.Error = q.L.T("act.failed", q.L.Label("action", cmd.Action), q.ErrorMessage(err))
	} else {
		q.Error = q.L.T(msg)
	}
	status := http.StatusBadRequest
	if err != nil {
		status = statusOf(err)
	}
	if r.PostFormValue("row") == "1" && r.Header.Get("HX-Request") != "" { // a queue row's button
		c, cerr := a.svc.Case(r.Context(), q.User, id)
		if cerr != nil {
			return cerr
		}
		return a.Fragment(w, q, status, "case", "caseacted", c)
	}
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return err
	}
	return a.showCase(w, r, q, id, status, form)
}

// commandFrom reads an action form into a command. A field the action needs and lacks
// gives the catalog key of the message saying so, before the service is asked.
func commandFrom(r *http.Request) (domain.Command, map[string]string, string) {
	if r.PostForm == nil {
		_ = r.ParseForm()
	}
	f := func(k string) string { return strings.TrimSpace(r.PostForm.Get(k)) }
	cmd := domain.Command{Action: domain.Action(r.PathValue("action")), Org: f("org"), Reason: f("reason"), Note: f("note"),
		Result: f("result"), Satisfaction: domain.Satisfaction(f("satisfaction"))}
	cmd.Version, _ = strconv.Atoi(f("version"))
	cmd.Hours, _ = strconv.Atoi(f("hours"))
	cmd.WorkingDays, _ = strconv.Atoi(f("working_days"))
	cmd.Into, _ = strconv.ParseInt(strings.TrimPrefix(f("into"), "#"), 10, 64)
	cmd.CoOrgs = nonEmpty(r.PostForm["co_orgs"])
	cmd.Orgs = nonEmpty(r.PostForm["orgs"])
	if u := f("until"); u != "" {
		if t, err := time.ParseInLocation("2006-01-02T15:04", u, domain.China); err == nil {
			cmd.Until = &t
		} else {
			return cmd, formOf(r), "act.need.until"
		}
	}
	form := formOf(r)
	need := map[domain.Action]struct {
		ok  bool
		key string
	}{
		domain.ActReject:  {cmd.Reason != "", "act.need.reason"},
		domain.ActReturn:  {cmd.Reason != "", "act.need.reason"},
		domain.ActSuspend: {cmd.Reason != "", "act.need.reason"},
		domain.ActResolve: {cmd.Result != "", "act.need.result"},
		domain.ActReopen:  {cmd.Note != "", "act.need.note"},
		domain.ActComment: {cmd.Note != "", "act.need.note"},
		domain.ActMerge:   {cmd.Into > 0, "act.need.into"},
		domain.ActWhistle: {len(cmd.Orgs) > 0, "act.need.orgs"},
		domain.ActVisit:   {cmd.Satisfaction != "", "act.need.satisfaction"},
	}
	if n, ok := need[cmd.Action]; ok && !n.ok {
		return cmd, form, n.key
	}
	return cmd, form, ""
}

func formOf(r *http.Request) map[string]string {
	m := map[string]string{"action": r.PathValue("action")}
	for k, v := range r.PostForm {
		if k != "_csrf" && len(v) > 0 {
			m[k] = v[0]
		}
	}
	return m
}

func nonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// photoSteps maps each event of c to its action, so a photo is captioned by what it
// proves (办结照片), not by its step's number.
func photoSteps(c *domain.Case) map[int]domain.Action {
	m := make(map[int]domain.Action, len(c.Events)+1)
	if len(c.Events) > 0 { // a photo of the case itself came with its report
		m[0] = c.Events[0].Action
	}
	for _, e := range c.Events {
		m[e.Seq] = e.Action
	}
	return m
}

// caseReplies gives the reply templates, filled in from c, for the forms among actions
// that take a text: a direct answer and a result.
func (a *App) caseReplies(ctx context.Context, u domain.User, c *domain.Case, actions []domain.Action) (map[string][]domain.ReplyTemplate, error) {
	out := map[string][]domain.ReplyTemplate{}
	for use, action := range map[string]domain.Action{domain.ReplyAnswer: domain.ActAnswer, domain.ReplyResult: domain.ActResolve} {
		if !can(actions, string(action)) {
			continue
		}
		ts, err := a.svc.CaseReplies(ctx, u, c, use)
		if err != nil && domain.ErrorCode(err) != domain.EFORBIDDEN {
			return nil, err
		}
		out[use] = ts
	}
	return out, nil
}

// caseMapOf draws the case's map from its ancestors and the grids of its community.
func (a *App) caseMapOf(ctx context.Context, q *Req, ancestors []domain.Region, c *domain.Case) (template.HTML, error) {
	var grids []domain.Region
	for _, r := range ancestors {
		if r.Level == domain.LevelVillage {
			var err error
			if grids, err = a.svc.Grids(ctx, r.Code); err != nil {
				return "", err
			}
		}
	}
	return a.tiled(ctx, q, caseMap(ancestors, grids, c.Region, c.Lat, c.Lon))
}
