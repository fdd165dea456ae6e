package web

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"whistle/domain"
	"whistle/service"
	"whistle/transport"
)

// A group's statistics for leaders (重点人群统计): the register's counts, every choice
// field's shares, aid by kind with distinct households and persons, open risks and the
// child regions, all as of any day; charts drawn by static/js/groups.js; a round's
// progress; and a printable briefing in sentences a leader reads out.

var groupStatsRoles = []domain.Role{domain.RoleAdmin, domain.RoleLeader, domain.RoleDispatcher, domain.RoleHelper, domain.RoleGridWorker}

func init() {
	register(func(a *App) {
		a.Page("GET /groups/{id}/stats", groupStatsRoles, a.groupStats)
		a.Page("GET /groups/{id}/briefing", groupStatsRoles, a.groupBriefing)
		a.Action("POST /groups/{id}/risks/{risk}/case", []domain.Role{domain.RoleAdmin, domain.RoleDispatcher, domain.RoleHelper, domain.RoleGridWorker}, a.groupRiskCase)
	})
}

type groupStatsData struct {
	G        *domain.Group
	S        domain.GroupStats
	Region   domain.Region
	Children []domain.Region
	Names    Names
	Among    string
	Choices  []choice // field=value options for "among", each with the words people read
	Rounds   []domain.Round
	Round    domain.Round
	ByHelper []domain.Progress
	ByRegion []domain.Progress
	Total    domain.Progress // the round's tasks all together
	Chart    template.JS
	Today    string
	Risks    []service.RiskLine // open on the day
	CanFile  bool               // u may raise a case from a risk
	AidKinds []aidChoice        // the multi-select of kinds totalled together
	AidQuery template.URL       // the aid filters for links: "&aid_from=…&aid_kinds=…"
}

// aidChoice is a kind of aid in the multi-select, chosen or not.
type aidChoice struct {
	Kind     domain.AidKind
	Selected bool
}

func (a *App) groupStatsData(r *http.Request, q *Req) (groupStatsData, error) {
	ctx := r.Context()
	gs, err := a.keyGroups(ctx)
	if err != nil {
		return groupStatsData{}, err
	}
	id, err := groupID(r)
	if err != nil {
		return groupStatsData{}, err
	}
	qs := r.URL.Query()
	d := groupStatsData{Among: qs.Get("among"), Today: domain.Today(q.Now)}
	if d.G, err = gs.Group(ctx, q.User, id); err != nil {
		return d, err
	}
	if err = d.figures(ctx, gs, q, qs); err != nil {
		return d, err
	}
	if d.Region, err = a.svc.Region(ctx, d.S.Region); err != nil {
		return d, err
	}
	if d.Children, err = a.svc.Children(ctx, d.S.Region); err != nil {
		return d, err
	}
	codes := []string{d.S.Region}
	for _, l := range d.S.ByRegion {
		codes = append(codes, l.Region)
	}
	if d.Names, err = a.names(ctx, nil, codes...); err != nil {
		return d, err
	}
	for _, f := range d.G.Fields {
		if f.Type == domain.FieldChoice || f.Type == domain.FieldBool {
			opts := f.Options
			if f.Type == domain.FieldBool {
				opts = []string{domain.Yes, domain.No}
			}
			for _, o := range opts {
				d.Choices = append(d.Choices, choice{Value: f.Key + "=" + o, Label: q.L.T("grp.choice", f.Label, o)})
			}
		}
	}
	if d.Rounds, err = gs.Rounds(ctx, q.User, id); err != nil {
		return d, err
	}
	if len(d.Rounds) > 0 {
		d.Round = d.Rounds[0]
		if want, err := strconv.ParseInt(qs.Get("round"), 10, 64); err == nil {
			for _, r := range d.Rounds {
				if r.ID == want {
					d.Round = r
				}
			}
		}
		if d.ByHelper, err = gs.RoundProgress(ctx, q.User, d.Round.ID, "helper", d.S.AsOf); err != nil {
			return d, err
		}
		if d.ByRegion, err = gs.RoundProgress(ctx, q.User, d.Round.ID, "region", d.S.AsOf); err != nil {
			return d, err
		}
		for _, p := range d.ByHelper {
			d.Total.Tasks, d.Total.Done, d.Total.Late = d.Total.Tasks+p.Tasks, d.Total.Done+p.Done, d.Total.Late+p.Late
			d.Total.Missing, d.Total.Pending = d.Total.Missing+p.Missing, d.Total.Pending+p.Pending
		}
	}
	if d.Risks, err = gs.OpenRisks(ctx, q.User, id, d.S.Region, d.S.AsOf); err != nil {
		return d, err
	}
	d.CanFile = !q.User.Has(domain.RoleLeader) || q.User.Has(domain.RoleDispatcher) || q.User.Has(domain.RoleAdmin)
	d.Chart, err = groupChart(q, d)
	return d, err
}

// figures asks for the group's statistics as the page's filters say. A filter the
// service refuses (among, aid_kinds) is the page's error, and the figures come without
// it; a day that is no day is left out.
func (d *groupStatsData) figures(ctx context.Context, gs *service.Groups, q *Req, qs url.Values) error {
	day := func(name string) string {
		v, err := domain.ParseDay(qs.Get(name))
		if err != nil && qs.Get(name) != "" {
			q.Error = q.L.T("grp.bad_day")
		}
		return v
	}
	sq := service.StatsQuery{Group: d.G.ID, Region: qs.Get("region"), AsOf: day("as_of"), Among: d.Among, AidFrom: day("aid_from"), AidKinds: qs["aid_kinds"]}
	var err error
	d.S, err = gs.Stats(ctx, q.User, sq)
	if domain.ErrorCode(err) == domain.EINVALID {
		q.Error = q.L.T("grp.refused", domain.ErrorMessage(err))
		d.Among, sq.Among, sq.AidKinds = "", "", nil
		d.S, err = gs.Stats(ctx, q.User, sq)
	}
	if err != nil {
		return err
	}
	carry := url.Values{}
	if d.S.AidFrom != "" {
		carry.Set("aid_from", d.S.AidFrom)
	}
	for _, k := range domain.AidKinds {
		chosen := d.S.AidSelected != nil && slices.Contains(d.S.AidSelected.Kinds, k)
		d.AidKinds = append(d.AidKinds, aidChoice{Kind: k, Selected: chosen})
		if chosen {
			carry.Add("aid_kinds", string(k))
		}
	}
	if len(carry) > 0 {
		d.AidQuery = template.URL("&" + carry.Encode())
	}
	return nil
}

// groupRiskCase raises a case from an open risk and opens the case.
func (a *App) groupRiskCase(w http.ResponseWriter, r *http.Request, q *Req) error {
	ctx := r.Context()
	if _, err := groupID(r); err != nil {
		return err
	}
	risk, err := transport.PathID(r, "risk", "risk")
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
	subject, _ := strconv.ParseInt(r.PostFormValue("subject"), 10, 64)
	c, err := gs.RaiseCase(ctx, q.User, subject, risk, "", "", "")
	if err != nil {
		if c := domain.ErrorCode(err); c != domain.EINVALID && c != domain.ECONFLICT && c != domain.EFORBIDDEN {
			return err
		}
		q.Error = q.L.T("grp.refused", domain.ErrorMessage(err))
		d, derr := a.groupStatsData(r, q)
		if derr != nil {
			return derr
		}
		return a.Render(w, q, http.StatusBadRequest, "groupstats", d)
	}
	return a.done(w, r, "/cases/"+strconv.FormatInt(c.ID, 10), q.L.T("flash.filed", c.Number))
}

// groupChart is the charts' data for groups.js: each counted field's shares, aid by kind,
// and persons and aid by child region.
func groupChart(q *Req, d groupStatsData) (template.JS, error) {
	type series struct {
		Key    string   `json:"key"`
		Label  string   `json:"label"`
		Names  []string `json:"names"`
		Values []int    `json:"values"`
		// Shares are a field's rates as the table beside the chart writes them: the
		// share of the field's subjects, not of the slices (a multi-choice's slices
		// add up to more than the subjects).
		Shares []string `json:"shares,omitempty"`
	}
	out := struct {
		Fields  []series `json:"fields"`
		Aid     series   `json:"aid"`
		AidYuan []string `json:"aidYuan"`
		Regions series   `json:"regions"`
		Labels  map[string]string
	}{Labels: map[string]string{"persons": q.L.T("grp.persons"), "households": q.L.T("grp.households"), "yuan": q.L.T("grp.yuan")}}
	for _, f := range d.S.Fields {
		if len(f.Counts) == 0 {
			continue
		}
		s := series{Key: f.Key, Label: f.Label}
		for _, c := range f.Counts {
			s.Names, s.Values, s.Shares = append(s.Names, c.Value), append(s.Values, c.N), append(s.Shares, q.L.Pct(c.Rate))
		}
		out.Fields = append(out.Fields, s)
	}
	out.Aid.Label = q.L.T("grp.aid")
	for _, a := range d.S.Aid {
		out.Aid.Names = append(out.Aid.Names, q.L.Label("grp.aidkind", a.Kind))
		out.Aid.Values = append(out.Aid.Values, a.Households)
		out.AidYuan = append(out.AidYuan, a.Amount)
	}
	out.Regions.Label = q.L.T("grp.by_region")
	for _, l := range d.S.ByRegion {
		name := d.Names.Regions[l.Region]
		if name == "" {
			name = l.Region
		}
		out.Regions.Names = append(out.Regions.Names, name)
		out.Regions.Values = append(out.Regions.Values, l.Persons)
	}
	b, err := json.Marshal(out)
	return template.JS(b), err
}

func (a *App) groupStats(w http.ResponseWriter, r *http.Request, q *Req) error {
	d, err := a.groupStatsData(r, q)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "groupstats", d)
}

func (a *App) groupBriefing(w http.ResponseWriter, r *http.Request, q *Req) error {
	d, err := a.groupStatsData(r, q)
	if err != nil {
		return err
	}
	return a.Render(w, q, http.StatusOK, "groupbrief", d)
}

// choice is one option of a select: the value sent and the words shown (性别：男, not
// gender=男).
type choice struct{ Value, Label string }

// ChoiceLabel is the words for the chosen value, the value itself when not among them.
func (d groupStatsData) ChoiceLabel(value string) string {
	for _, c := range d.Choices {
		if c.Value == value {
			return c.Label
		}
	}
	return value
}
