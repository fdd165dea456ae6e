package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// Key groups (重点人群) for administrators: the groups, a new group's schema, a group's
// page with its register import (a preview of every row's mistakes before anything is
// written), its export, its rounds and its helpers' coverage.

var (
	groupAdminRoles = []domain.Role{domain.RoleAdmin}
	groupReadRoles  = []domain.Role{domain.RoleAdmin, domain.RoleLeader, domain.RoleDispatcher}
)

func init() {
	register(func(a *App) {
		a.Nav(NavItem{Key: "nav.groups", Path: "/groups", Roles: groupReadRoles, Order: 60})
		a.Page("GET /groups", groupReadRoles, a.groupList)
		a.Action("POST /groups", groupAdminRoles, a.groupCreate)
		a.Page("GET /groups/{id}", groupReadRoles, a.groupPage)
		a.Action("POST /groups/{id}/import", groupAdminRoles, a.groupImport)
		a.Action("POST /groups/{id}/rounds", groupAdminRoles, a.groupRound)
		a.Page("GET /groups/{id}/export", groupReadRoles, a.groupExport)
		a.Action("POST /groups/{id}/assign", groupAdminRoles, a.groupAssign)
		a.Action("POST /groups/{id}/handover", groupAdminRoles, a.groupHandover)
	})
}

// keyGroups is the key-group service, which the service opens on first use.
func (a *App) keyGroups(ctx context.Context) (*service.Groups, error) { return a.svc.KeyGroups(ctx) }

// groupFieldRows is how many field rows the new-group form offers.
const groupFieldRows = 10

type groupListData struct {
	Groups []*domain.Group
	Manage bool
	Form   map[string]string
	Rows   []int
	Types  []domain.FieldType
	Names  Names // the groups' regions by name
}

func (a *App) groupListData(ctx context.Context, q *Req, form map[string]string) (groupListData, error) {
	gs, err := a.keyGroups(ctx)
	if err != nil {
		return groupListData{}, err
	}
	d := groupListData{Form: form, Types: domain.FieldTypes, Manage: q.User.Has(domain.RoleAdmin)}
	for i := 0; i < groupFieldRows; i++ {
		d.Rows = append(d.Rows, i)
	}
	if d.Groups, err = gs.Groups(ctx, q.User); err != nil {
		return d, err
	}
	var regions []string
	for _, g := range d.Groups {
		regions = append(regions, g.Region)
	}
	d.Names, err = a.names(ctx, nil, regions...)
	return d, err
}

func (a *App) groupList(w http.ResponseWriter, r *http.Request, q *Req) error {
	d, err := a.groupListData(r.Context(), q, map[string]string{"kind": "household"})
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "groups", d)
}

// groupFromForm reads the new-group form: the group, then one field per filled row.
func groupFromForm(r *http.Request) (domain.Group, map[string]string) {
	form := map[string]string{}
	for k, v := range r.PostForm {
		form[k] = strings.TrimSpace(strings.Join(v, ""))
	}
	g := domain.Group{Code: form["code"], Name: form["name"], Kind: domain.SubjectKind(form["kind"]), Region: form["region"], Description: form["description"], Fields: []domain.Field{}}
	for i := 0; i < groupFieldRows; i++ {
		p := fmt.Sprintf("f%d_", i)
		if form[p+"key"] == "" && form[p+"label"] == "" {
			continue
		}
		f := domain.Field{Key: form[p+"key"], Label: form[p+"label"], Type: domain.FieldType(form[p+"type"]), On: domain.SubjectKind(form[p+"on"]), Required: form[p+"required"] == "1"}
		if opts := form[p+"options"]; opts != "" {
			for _, o := range strings.FieldsFunc(opts, func(r rune) bool { return r == ',' || r == '，' || r == '、' || r == ';' || r == '；' }) {
				if o = strings.TrimSpace(o); o != "" {
					f.Options = append(f.Options, o)
				}
			}
		}
		g.Fields = append(g.Fields, f)
	}
	return g, form
}

func (a *App) groupCreate(w http.ResponseWriter, r *http.Request, q *Req) error {
	ctx := r.Context()
	gs, err := a.keyGroups(ctx)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EINVALID, "bad form")
	}
	g, form := groupFromForm(r)
	created, err := gs.CreateGroup(ctx, q.User, g)
	if err != nil {
		if c := domain.ErrorCode(err); c != domain.EINVALID && c != domain.ECONFLICT && c != domain.EFORBIDDEN {
			return err
		}
		q.Error = q.L.T("grp.refused", domain.ErrorMessage(err))
		d, derr := a.groupListData(ctx, q, form)
		if derr != nil {
			return derr
		}
		return a.Render(w, q, http.StatusBadRequest, "groups", d)
	}
	http.Redirect(w, r, "/groups/"+strconv.FormatInt(created.ID, 10), http.StatusSeeOther)
	return nil
}

type groupPageData struct {
	G        *domain.Group
	Manage   bool
	Report   *domain.Register
	Preview  bool
	Imported string
	Rounds   []domain.Round
	Total    int
	Unhelped []domain.Subject
	Today    string
	AsOf     string
	Names    Names
	Helpers  []domain.User // who may be paired: helpers and grid workers of the group's area
}

func (a *App) groupPageData(ctx context.Context, q *Req, id int64) (groupPageData, error) {
	gs, err := a.keyGroups(ctx)
	if err != nil {
		return groupPageData{}, err
	}
	d := groupPageData{Today: domain.Today(q.Now), AsOf: domain.Today(q.Now)}
	if d.G, err = gs.Group(ctx, q.User, id); err != nil {
		return d, err
	}
	d.Manage = domain.CanManageGroups(q.User, d.G.Region)
	if d.Rounds, err = gs.Rounds(ctx, q.User, id); err != nil {
		return d, err
	}
	if d.Unhelped, d.Total, err = gs.Coverage(ctx, q.User, id, "", ""); err != nil {
		return d, err
	}
	regions := []string{d.G.Region}
	for _, s := range d.Unhelped {
		regions = append(regions, s.Region)
	}
	if d.Names, err = a.names(ctx, nil, regions...); err != nil {
		return d, err
	}
	if d.Manage {
		users, err := a.svc.Users(ctx, q.User)
		if err != nil {
			return d, err
		}
		for _, u := range users {
			for _, g := range u.Grants {
				if (g.Role == domain.RoleHelper || g.Role == domain.RoleGridWorker) && !u.Disabled &&
					(domain.Within(g.Region, d.G.Region) || domain.Within(d.G.Region, g.Region)) {
					d.Helpers = append(d.Helpers, u)
					break
				}
			}
		}
	}
	return d, nil
}

func groupID(r *http.Request) (int64, error) { return transport.PathID(r, "id", "group") }

func (a *App) groupPage(w http.ResponseWriter, r *http.Request, q *Req) error {
	id, err := groupID(r)
	if err != nil {
		return err
	}
	d, err := a.groupPageData(r.Context(), q, id)
	if err != nil {
		return err
	}
	d.Imported = r.URL.Query().Get("imported")
	return a.Render(w, q, http.StatusOK, "group", d)
}

// groupImport previews or imports an uploaded register. A preview shows every row's
// mistakes; an import with any mistake writes nothing and shows them the same way.
func (a *App) groupImport(w http.ResponseWriter, r *http.Request, q *Req) error {
	ctx := r.Context()
	id, err := groupID(r)
	if err != nil {
		return err
	}
	gs, err := a.keyGroups(ctx)
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(maxUpload); err != nil {
		return domain.Errorf(domain.EINVALID, "bad form")
	}
	preview := r.PostFormValue("mode") != "import"
	asOf := strings.TrimSpace(r.PostFormValue("as_of"))
	d, err := a.groupPageData(ctx, q, id)
	if err != nil {
		return err
	}
	d.Preview, d.AsOf = preview, asOf
	refuse := func(msg string) error {
		q.Error = msg
		return a.Render(w, q, http.StatusBadRequest, "group", d)
	}
	body, err := uploadedSheet(r, "register")
	if err != nil {
		return err
	}
	if len(body) == 0 {
		return refuse(q.L.T("grp.import.nofile"))
	}
	table, err := service.ReadTable(body)
	if err != nil {
		return refuse(q.L.T("grp.refused", domain.ErrorMessage(err)))
	}
	reg, err := gs.ImportRegister(ctx, q.User, id, table, asOf, preview)
	d.Report = &reg
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			return err
		}
		return refuse(q.L.T("grp.import.refused", len(reg.Errors)))
	}
	if preview {
		return a.Render(w, q, http.StatusOK, "group", d)
	}
	http.Redirect(w, r, fmt.Sprintf("/groups/%d?imported=%d", id, reg.Subjects), http.StatusSeeOther)
	return nil
}

// groupRound starts a monitoring round from the group page.
func (a *App) groupRound(w http.ResponseWriter, r *http.Request, q *Req) error {
	ctx := r.Context()
	id, err := groupID(r)
	if err != nil {
		return err
	}
	gs, err := a.keyGroups(ctx)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EINVALID, "bad form")
	}
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	_, err = gs.StartRound(ctx, q.User, domain.Round{GroupID: id, Name: f("name"), Starts: f("starts"), Due: f("due")})
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			return err
		}
		d, derr := a.groupPageData(ctx, q, id)
		if derr != nil {
			return derr
		}
		q.Error = q.L.T("grp.refused", domain.ErrorMessage(err))
		return a.Render(w, q, http.StatusBadRequest, "group", d)
	}
	http.Redirect(w, r, fmt.Sprintf("/groups/%d#rounds", id), http.StatusSeeOther)
	return nil
}

// groupExport downloads the register in the import layout, personal data masked.
func (a *App) groupExport(w http.ResponseWriter, r *http.Request, q *Req) error {
	ctx := r.Context()
	id, err := groupID(r)
	if err != nil {
		return err
	}
	gs, err := a.keyGroups(ctx)
	if err != nil {
		return err
	}
	rows, err := gs.ExportRegister(ctx, q.User, id, "", "", false)
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format != "xlsx" {
		format = "csv"
	}
	return transport.WriteTable(w, fmt.Sprintf("register-%d", id), "名册", format, rows)
}

// groupAssign pairs a helper with a household from the coverage list.
func (a *App) groupAssign(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.groupHelperAction(w, r, q, func(gs *service.Groups, id int64, f func(string) string) error {
		subject, _ := strconv.ParseInt(f("subject"), 10, 64)
		helper, _ := strconv.ParseInt(f("helper"), 10, 64)
		_, err := gs.AssignHelper(r.Context(), q.User, subject, helper, f("from"), "")
		return err
	})
}

// groupHandover moves a leaving helper's households to another helper.
func (a *App) groupHandover(w http.ResponseWriter, r *http.Request, q *Req) error {
	return a.groupHelperAction(w, r, q, func(gs *service.Groups, id int64, f func(string) string) error {
		from, _ := strconv.ParseInt(f("from_user"), 10, 64)
		to, _ := strconv.ParseInt(f("to_user"), 10, 64)
		_, err := gs.Handover(r.Context(), q.User, id, from, to, f("day"), f("note"))
		return err
	})
}

// groupHelperAction runs a helper change from the group page and shows the page again
// with the reason when it is refused.
func (a *App) groupHelperAction(w http.ResponseWriter, r *http.Request, q *Req, do func(*service.Groups, int64, func(string) string) error) error {
	ctx := r.Context()
	id, err := groupID(r)
	if err != nil {
		return err
	}
	gs, err := a.keyGroups(ctx)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EINVALID, "bad form")
	}
	if err := do(gs, id, func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }); err != nil {
		switch domain.ErrorCode(err) {
		case domain.EINVALID, domain.ECONFLICT, domain.ENOTFOUND:
		default:
			return err
		}
		d, derr := a.groupPageData(ctx, q, id)
		if derr != nil {
			return derr
		}
		q.Error = q.L.T("grp.refused", domain.ErrorMessage(err))
		return a.Render(w, q, http.StatusBadRequest, "group", d)
	}
	http.Redirect(w, r, fmt.Sprintf("/groups/%d#coverage", id), http.StatusSeeOther)
	return nil
}
