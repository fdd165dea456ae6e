package web

import (
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// The helpers' phone pages (帮扶责任人): my open visit tasks, due first, and the visit
// form of one household: its attributes and its members' as they stand, changed on the
// spot, risks found, a note and photos. Recording it closes the task; the changed
// answers become the new values from the visit's day.

var helperRoles = []domain.Role{domain.RoleHelper, domain.RoleGridWorker}

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.helper", Path: "/h", Roles: []domain.Role{domain.RoleHelper}, Order: 31})
		a.Page("GET /h", helperRoles, a.helperHome)
		a.Page("GET /h/visits/{id}", helperRoles, a.helperVisit)
		a.Action("POST /h/visits/{id}", helperRoles, a.helperRecord)
	})
}

type helperHomeData struct {
	Open  []domain.Visit
	Done  []domain.Visit
	Today string
	Names Names
	Saved bool
}

func (a *App) helperHome(w http.ResponseWriter, r *http.Request, q *Req) error {
	ctx := r.Context()
	gs, err := a.keyGroups(ctx)
	if err != nil {
		return err
	}
	d := helperHomeData{Today: domain.Today(q.Now), Saved: r.URL.Query().Get("saved") != ""}
	if d.Open, err = gs.Visits(ctx, q.User, service.VisitQuery{Mine: true, Status: domain.VisitOpen}); err != nil {
		return err
	}
	done, err := gs.Visits(ctx, q.User, service.VisitQuery{Mine: true, Status: domain.VisitDone})
	if err != nil {
		return err
	}
	sort.Slice(done, func(i, j int) bool { return done[i].Day > done[j].Day })
	d.Done = done[:min(len(done), 10)]
	var regions []string
	for _, v := range append(append([]domain.Visit{}, d.Open...), d.Done...) {
		regions = append(regions, v.Region)
	}
	if d.Names, err = a.names(ctx, nil, regions...); err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "grouphome", d)
}

// visitInput is one attribute on the visit form.
type visitInput struct {
	Name     string // form name: v_<subject>_<field>
	Field    domain.Field
	Current  string // display value
	Selected map[string]bool
	Masked   bool // personal data: shown, not edited here
}

// visitPerson is the household or one member on the form.
type visitPerson struct {
	Subject domain.Subject
	Inputs  []visitInput
}

type helperVisitData struct {
	Visit   domain.Visit
	Group   *domain.Group
	People  []visitPerson
	Risks   []domain.RiskKind
	Checked map[string]bool
	Form    map[string]string
	Today   string
	Names   Names
	Labels  map[string]string // field key → label, for a recorded visit's answers
	Members map[int64]string  // subject id → name
}

func (a *App) helperVisitData(r *http.Request, q *Req) (helperVisitData, *service.Groups, error) {
	ctx := r.Context()
	gs, err := a.keyGroups(ctx)
	if err != nil {
		return helperVisitData{}, nil, err
	}
	id, err := transport.PathID(r, "id", "visit")
	if err != nil {
		return helperVisitData{}, nil, err
	}
	d := helperVisitData{Risks: domain.RiskKinds, Today: domain.Today(q.Now), Checked: map[string]bool{}, Form: map[string]string{}}
	if d.Visit, err = gs.Visit(ctx, q.User, id); err != nil {
		return d, nil, err
	}
	sub, err := gs.Subject(ctx, q.User, d.Visit.Subject, "", nil, "")
	if err != nil {
		return d, nil, err
	}
	if d.Group, err = gs.SubjectGroup(ctx, q.User, sub.ID); err != nil {
		return d, nil, err
	}
	add := func(s domain.Subject) {
		p := visitPerson{Subject: s}
		for _, f := range d.Group.FieldsOn(s.Kind) {
			v, seen := s.Values[f.Key]
			if !seen && !domain.SeesField(q.User, f) {
				continue
			}
			in := visitInput{Name: "v_" + strconv.FormatInt(s.ID, 10) + "_" + f.Key, Field: f, Current: v, Selected: map[string]bool{}, Masked: f.Type.Sensitive()}
			if f.Type == domain.FieldMulti {
				for _, o := range strings.Split(v, ";") {
					in.Selected[o] = true
				}
			}
			p.Inputs = append(p.Inputs, in)
		}
		d.People = append(d.People, p)
	}
	add(sub)
	for _, m := range sub.Members {
		add(m)
	}
	d.Labels, d.Members = map[string]string{}, map[int64]string{sub.ID: sub.Name}
	for _, f := range d.Group.Fields {
		d.Labels[f.Key] = f.Label
	}
	for _, m := range sub.Members {
		d.Members[m.ID] = m.Name
	}
	d.Names, err = a.names(ctx, nil, sub.Region)
	return d, gs, err
}

func (a *App) helperVisit(w http.ResponseWriter, r *http.Request, q *Req) error {
	d, _, err := a.helperVisitData(r, q)
	if err != nil {
		return err
	}
	d.Form["day"] = d.Today
	return a.Render(w, q, http.StatusOK, "groupvisit", d)
}

// helperRecord records the visit: only answers that differ from the values shown are
// sent, so a visit that changes nothing records nothing but itself.
func (a *App) helperRecord(w http.ResponseWriter, r *http.Request, q *Req) error {
	ctx := r.Context()
	if err := r.ParseMultipartForm(maxUpload); err != nil && err != http.ErrNotMultipart {
		return domain.Errorf(domain.EINVALID, "bad form")
	}
	d, gs, err := a.helperVisitData(r, q)
	if err != nil {
		return err
	}
	rec := domain.VisitRecord{Day: strings.TrimSpace(r.PostFormValue("day")), Note: strings.TrimSpace(r.PostFormValue("note"))}
	d.Form["day"], d.Form["note"] = rec.Day, rec.Note
	for _, k := range r.PostForm["risk"] {
		rec.Risks = append(rec.Risks, domain.RiskKind(k))
		d.Checked[k] = true
	}
	for _, p := range d.People {
		for i, in := range p.Inputs {
			if in.Masked {
				continue
			}
			sent, present := r.PostForm[in.Name]
			if !present {
				continue // not on the form that was sent: unchanged
			}
			var v string
			if in.Field.Type == domain.FieldMulti {
				var picked []string
				for _, x := range sent {
					if x != "" {
						picked = append(picked, x)
					}
				}
				v = strings.Join(picked, ";")
			} else {
				v = strings.TrimSpace(r.PostFormValue(in.Name))
			}
			p.Inputs[i].Current = v
			if v == strings.TrimSpace(in.Current) || (in.Field.Type == domain.FieldMulti && sameSet(v, in.Selected)) {
				continue
			}
			if in.Field.Type == domain.FieldMoney && in.Current != "" {
				if a, err1 := domain.ParseYuan(v); err1 == nil {
					if b, err2 := domain.ParseYuan(in.Current); err2 == nil && a == b {
						continue
					}
				}
			}
			rec.Answers = append(rec.Answers, domain.Answer{Subject: p.Subject.ID, Field: in.Field.Key, Value: v})
		}
	}
	files, err := photoUploads(r, "photos")
	if err == nil {
		_, err = gs.RecordVisit(ctx, q.User, d.Visit.ID, rec)
	}
	if err != nil {
		if c := domain.ErrorCode(err); c != domain.EINVALID && c != domain.ECONFLICT {
			return err
		}
		q.Error = q.L.T("grp.refused", domain.ErrorMessage(err))
		return a.Render(w, q, http.StatusBadRequest, "groupvisit", d)
	}
	for _, f := range files {
		body, err := io.ReadAll(f.Body)
		if err != nil {
			return err
		}
		if _, err := gs.AddVisitPhoto(ctx, q.User, d.Visit.ID, body); err != nil {
			return err
		}
	}
	http.Redirect(w, r, "/h?saved="+strconv.FormatInt(d.Visit.ID, 10), http.StatusSeeOther)
	return nil
}

// sameSet tells whether a ;-joined choice holds exactly the selected options.
func sameSet(v string, selected map[string]bool) bool {
	n := 0
	for k, on := range selected {
		if on && k != "" {
			n++
		}
	}
	parts := 0
	for _, p := range strings.Split(v, ";") {
		if p == "" {
			continue
		}
		parts++
		if !selected[p] {
			return false
		}
	}
	return parts == n
}
