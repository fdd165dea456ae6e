package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"

	"whistle/domain"
	"whistle/images"
	"whistle/store"
)

// StartRound creates a monitoring round and a visit task, due on its due day, for every
// top-level subject of its region in the register, given to the subject's helper.
func (s *Groups) StartRound(ctx context.Context, u domain.User, r domain.Round) (domain.Round, error) {
	g, err := s.Group(ctx, u, r.GroupID)
	if err != nil {
		return r, err
	}
	if r.Starts, err = dayOrToday(r.Starts, s.today()); err != nil {
		return r, err
	}
	if r.Due, err = domain.ParseDay(r.Due); err != nil {
		return r, domain.Errorf(domain.EINVALID, "due must be YYYY-MM-DD")
	}
	if err := r.Validate(g); err != nil {
		return r, err
	}
	if !domain.CanManageGroups(u, r.Region) {
		return r, domain.Errorf(domain.EFORBIDDEN, "only administrators of region %s start its rounds", r.Region)
	}
	// the register as it stands when the round is set up, within the round
	day := max(r.Starts, s.today())
	day = min(day, r.Due)
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddRound(&r, u.ID); err != nil {
			return err
		}
		subs, err := tx.Subjects(store.SubjectFilter{Group: g.ID, Region: r.Region, Top: true, AsOf: day})
		if err != nil {
			return err
		}
		as, err := tx.Assignments(store.AssignmentFilter{Group: g.ID, Region: r.Region, On: day})
		if err != nil {
			return err
		}
		helper := map[int64]int64{}
		for _, a := range as {
			helper[a.Subject] = a.UserID
		}
		for _, sub := range subs {
			v := domain.Visit{RoundID: r.ID, Subject: sub.ID, Region: sub.Region, HelperID: helper[sub.ID], Due: r.Due}
			if err := tx.AddVisit(&v); err != nil {
				return err
			}
		}
		r.Tasks = len(subs)
		return s.audit(ctx, tx, u, "round.start", domain.GroupObject(g.ID)+"/"+objectID("round", r.ID), domain.Change{After: r})
	})
	return r, err
}

// Rounds lists the rounds of a group u may see.
func (s *Groups) Rounds(ctx context.Context, u domain.User, groupID int64) ([]domain.Round, error) {
	if _, err := s.Group(ctx, u, groupID); err != nil {
		return nil, err
	}
	return s.db.Rounds(ctx, groupID)
}

// Round reads a round u may see.
func (s *Groups) Round(ctx context.Context, u domain.User, id int64) (domain.Round, *domain.Group, error) {
	r, err := s.db.Round(ctx, id)
	if err != nil {
		return r, nil, err
	}
	g, err := s.Group(ctx, u, r.GroupID)
	if err != nil {
		return r, nil, domain.Errorf(domain.ENOTFOUND, "round %d not found", id)
	}
	return r, g, nil
}

// VisitQuery is what a list of visit tasks asks for.
type VisitQuery struct {
	Round  int64
	Mine   bool
	Region string
	Status domain.VisitStatus
	Limit  int
}

// Visits lists visit tasks: a helper's own (Mine, or a helper without a region scope),
// or a round's in u's region scope.
func (s *Groups) Visits(ctx context.Context, u domain.User, q VisitQuery) ([]domain.Visit, error) {
	f := store.VisitFilter{Round: q.Round, Status: q.Status, Limit: q.Limit}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 200
	}
	if q.Status != "" && q.Status != domain.VisitOpen && q.Status != domain.VisitDone {
		return nil, domain.Errorf(domain.EINVALID, "status is open or done")
	}
	if q.Mine || q.Round == 0 {
		f.Helper = u.ID
		f.Region = q.Region
	} else {
		_, g, err := s.Round(ctx, u, q.Round)
		if err != nil {
			return nil, err
		}
		region, ok := scopeRegion(u, g, q.Region)
		if !ok {
			f.Helper = u.ID
		}
		f.Region = region
	}
	vs, err := s.db.MonitoringVisits(ctx, f)
	if err != nil {
		return nil, err
	}
	return vs, s.addPhotos(ctx, vs)
}

func (s *Groups) addPhotos(ctx context.Context, vs []domain.Visit) error {
	var ids []int64
	for _, v := range vs {
		ids = append(ids, v.ID)
	}
	photos, err := s.db.PhotoIDs(ctx, ids)
	for i := range vs {
		vs[i].Photos = photos[vs[i].ID]
	}
	return err
}

// Visit reads a visit task u may see: their own, or in their region scope.
func (s *Groups) Visit(ctx context.Context, u domain.User, id int64) (domain.Visit, error) {
	vs, err := s.db.MonitoringVisits(ctx, store.VisitFilter{IDs: []int64{id}})
	if err != nil {
		return domain.Visit{}, err
	}
	if len(vs) == 0 || !(vs[0].HelperID == u.ID || domain.SeesRegister(u, vs[0].Region)) {
		return domain.Visit{}, domain.Errorf(domain.ENOTFOUND, "visit %d not found", id)
	}
	return vs[0], s.addPhotos(ctx, vs)
}

// mayRecord tells whether u may record visit v: its helper, or a grid worker or
// administrator of the place.
func mayRecord(u domain.User, v domain.Visit) bool {
	if v.HelperID == u.ID && u.ID != 0 {
		return true
	}
	for _, g := range u.Grants {
		if (g.Role == domain.RoleGridWorker || g.Role == domain.RoleAdmin) && domain.Within(v.Region, g.Region) {
			return true
		}
	}
	return false
}

// RecordVisit closes a visit task: the answers become attribute versions valid from the
// visit's day, each risk found raises a flag (unless one of its kind is open), all in
// one transaction.
func (s *Groups) RecordVisit(ctx context.Context, u domain.User, id int64, rec domain.VisitRecord) (domain.Visit, error) {
	v, err := s.Visit(ctx, u, id)
	if err != nil {
		return v, err
	}
	if !mayRecord(u, v) {
		return v, domain.Errorf(domain.EFORBIDDEN, "only the helper of the visit records it")
	}
	r, g, err := s.Round(ctx, u, v.RoundID)
	if err != nil {
		return v, err
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		v, err = tx.MonitoringVisit(id) // read again under the write lock
		if err != nil {
			return err
		}
		top, err := tx.Subject(v.Subject)
		if err != nil {
			return err
		}
		kinds := map[int64]domain.SubjectKind{top.ID: top.Kind}
		members, err := tx.Subjects(store.SubjectFilter{Household: top.ID})
		if err != nil {
			return err
		}
		for _, m := range members {
			kinds[m.ID] = m.Kind
		}
		if err := rec.Validate(g, &r, &v, kinds, s.today()); err != nil {
			return err
		}
		if rec.Day < top.From {
			return domain.Errorf(domain.EINVALID, "the visit day is before the subject entered the register (%s)", top.From)
		}
		var vals []domain.Value
		for _, a := range rec.Answers {
			vals = append(vals, domain.Value{Subject: a.Subject, Field: a.Field, From: rec.Day, Value: a.Value, Source: "visit", VisitID: v.ID})
		}
		if err := s.putValues(tx, g, vals, u.ID, false); err != nil {
			return err
		}
		open, err := tx.Flags(store.FlagFilter{Subjects: []int64{top.ID}})
		if err != nil {
			return err
		}
		for _, k := range rec.Risks {
			already := slices.ContainsFunc(open, func(f domain.RiskFlag) bool { return f.Kind == k && f.Cleared == "" })
			if already {
				continue
			}
			f := domain.RiskFlag{Subject: top.ID, Kind: k, Raised: rec.Day, VisitID: v.ID, Note: rec.Note}
			if err := tx.AddFlag(&f); err != nil {
				return err
			}
		}
		v.Day, v.Answers, v.Risks, v.Note, v.DoneBy = rec.Day, rec.Answers, rec.Risks, rec.Note, u.ID
		return tx.RecordVisit(&v)
	})
	if err != nil {
		return v, err
	}
	return s.Visit(ctx, u, id)
}

// MaxPhoto is the largest visit photo accepted.
const MaxPhoto = 5 << 20

// AddVisitPhoto keeps a JPEG or PNG photo of a visit; the helper of the visit only.
func (s *Groups) AddVisitPhoto(ctx context.Context, u domain.User, id int64, data []byte) (int64, error) {
	v, err := s.Visit(ctx, u, id)
	if err != nil {
		return 0, err
	}
	if !mayRecord(u, v) {
		return 0, domain.Errorf(domain.EFORBIDDEN, "only the helper of the visit adds its photos")
	}
	if len(data) == 0 || len(data) > MaxPhoto {
		return 0, domain.Errorf(domain.EINVALID, "a photo must be 1 byte to %d bytes", MaxPhoto)
	}
	ct := images.Sniff(data)
	if ct != "image/jpeg" && ct != "image/png" {
		return 0, domain.Errorf(domain.EINVALID, "a photo must be JPEG or PNG, not %s", ct)
	}
	sum := sha256.Sum256(data)
	p := store.Photo{VisitID: id, ContentType: ct, SHA256: hex.EncodeToString(sum[:]), Data: data}
	err = s.db.Update(ctx, func(tx *store.Tx) error { return tx.AddPhoto(&p) })
	return p.ID, err
}

// VisitPhoto reads a photo of a visit u may see.
func (s *Groups) VisitPhoto(ctx context.Context, u domain.User, visit, photo int64) (store.Photo, error) {
	if _, err := s.Visit(ctx, u, visit); err != nil {
		return store.Photo{}, err
	}
	return s.db.Photo(ctx, visit, photo)
}

// RoundProgress counts a round's tasks as of day by helper or by region (cut to the
// level below the round's region), in u's scope.
func (s *Groups) RoundProgress(ctx context.Context, u domain.User, id int64, by, day string) ([]domain.Progress, error) {
	r, g, err := s.Round(ctx, u, id)
	if err != nil {
		return nil, err
	}
	region, ok := scopeRegion(u, g, "")
	if !ok {
		return nil, domain.Errorf(domain.ENOTFOUND, "round %d not found", id)
	}
	if domain.Within(r.Region, region) {
		region = r.Region
	}
	if day, err = dayOrToday(day, s.today()); err != nil {
		return nil, err
	}
	vs, err := s.db.MonitoringVisits(ctx, store.VisitFilter{Round: r.ID, Region: region})
	if err != nil {
		return nil, err
	}
	var key func(domain.Visit) (string, string)
	switch by {
	case "helper", "":
		key = func(v domain.Visit) (string, string) {
			if v.HelperID == 0 {
				return "0", "无帮扶人"
			}
			return fmt.Sprint(v.HelperID), v.HelperName
		}
	case "region":
		names := map[string]string{}
		key = func(v domain.Visit) (string, string) {
			code := v.Region
			if n := domain.ChildCodeLength(region); n > 0 && len(code) > n {
				code = code[:n]
			}
			if _, ok := names[code]; !ok {
				if reg, err := s.db.Region(ctx, code); err == nil {
					names[code] = reg.Name
				}
			}
			return code, names[code]
		}
	default:
		return nil, domain.Errorf(domain.EINVALID, "by is helper or region")
	}
	return domain.RoundProgress(vs, day, key), nil
}

// mayHandleRisk tells whether u may clear a flag of sub or raise a case from it.
func (s *Groups) mayHandleRisk(ctx context.Context, u domain.User, sub domain.Subject) (bool, error) {
	if domain.CanRecordAid(u, sub.Region) {
		return true, nil
	}
	for _, g := range u.Grants {
		if g.Role == domain.RoleGridWorker && domain.Within(sub.Region, g.Region) {
			return true, nil
		}
	}
	return s.helps(ctx, u, sub)
}

// riskOf reads a flag of a subject u may handle.
func (s *Groups) riskOf(ctx context.Context, u domain.User, subjectID, flagID int64) (domain.RiskFlag, domain.Subject, error) {
	sub, _, err := s.subject(ctx, u, subjectID)
	if err != nil {
		return domain.RiskFlag{}, sub, err
	}
	fs, err := s.db.Flags(ctx, store.FlagFilter{IDs: []int64{flagID}, Subjects: []int64{subjectID}})
	if err != nil {
		return domain.RiskFlag{}, sub, err
	}
	if len(fs) == 0 {
		return domain.RiskFlag{}, sub, domain.Errorf(domain.ENOTFOUND, "risk %d not found", flagID)
	}
	ok, err := s.mayHandleRisk(ctx, u, sub)
	if err != nil {
		return fs[0], sub, err
	}
	if !ok {
		return fs[0], sub, domain.Errorf(domain.EFORBIDDEN, "only the helper, grid worker or street of the place handles this risk")
	}
	return fs[0], sub, nil
}

// Risks lists a subject's risk flags, open and cleared.
func (s *Groups) Risks(ctx context.Context, u domain.User, subjectID int64) ([]domain.RiskFlag, error) {
	if _, _, err := s.subject(ctx, u, subjectID); err != nil {
		return nil, err
	}
	return s.db.Flags(ctx, store.FlagFilter{Subjects: []int64{subjectID}})
}

// ClearRisk closes an open flag on a day.
func (s *Groups) ClearRisk(ctx context.Context, u domain.User, subjectID, flagID int64, day string) (domain.RiskFlag, error) {
	f, _, err := s.riskOf(ctx, u, subjectID, flagID)
	if err != nil {
		return f, err
	}
	if f.Cleared != "" {
		return f, domain.Errorf(domain.ECONFLICT, "risk %d was cleared on %s", f.ID, f.Cleared)
	}
	if day, err = dayOrToday(day, s.today()); err != nil {
		return f, err
	}
	if day < f.Raised || day > s.today() {
		return f, domain.Errorf(domain.EINVALID, "a risk is cleared between the day it was raised and today")
	}
	f.Cleared = day
	return f, s.db.Update(ctx, func(tx *store.Tx) error { return tx.ClearFlag(f.ID, day) })
}

// RiskMattersSetting names the setting that holds, as JSON, the matter a risk of each
// kind raises a case under when no matter is given: {"lost_job": "LD-001", ...}.
const RiskMattersSetting = "risk_matters"

// RiskMatters reads the matter a risk of each kind raises a case under by default; a
// kind the installation has not mapped is absent.
func (s *Service) RiskMatters(ctx context.Context) (map[domain.RiskKind]string, error) {
	out := map[domain.RiskKind]string{}
	v, err := s.db.Setting(ctx, RiskMattersSetting)
	if err != nil || v == "" {
		return out, err
	}
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		return map[domain.RiskKind]string{}, fmt.Errorf("%s: %w", RiskMattersSetting, err)
	}
	return out, nil
}

// SetRiskMatters maps risk kinds to the matters their cases are raised under
// (administrators only): every kind known, every matter in the catalogue. The map
// replaces the one before; a kind left out raises no case without a matter given.
func (s *Service) SetRiskMatters(ctx context.Context, u domain.User, m map[domain.RiskKind]string) error {
	if err := adminOnly(u); err != nil {
		return err
	}
	for kind, code := range m {
		if !slices.Contains(domain.RiskKinds, kind) {
			return domain.Errorf(domain.EINVALID, "unknown risk kind %q", kind)
		}
		if _, err := s.db.Matter(ctx, code); err != nil {
			return domain.Errorf(domain.EINVALID, "risk %s: unknown matter %q", kind, code)
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return s.putSetting(ctx, u, RiskMattersSetting, string(b))
}

// RaiseCase files a case from a risk flag into the normal case lifecycle, as a round's
// errand (domain.OnRound: whoever handles the risk files it by the grid_patrol channel):
// the street then accepts, dispatches and follows it like any other. The reporter is u;
// the subject's name stays out of the case's public text.
func (s *Groups) RaiseCase(ctx context.Context, u domain.User, subjectID, flagID int64, matter, title, description string) (*domain.Case, error) {
	f, sub, err := s.riskOf(ctx, u, subjectID, flagID)
	if err != nil {
		return nil, err
	}
	if f.CaseID != 0 {
		return nil, domain.Errorf(domain.ECONFLICT, "risk %d already raised case %d", f.ID, f.CaseID)
	}
	if f.Cleared != "" {
		return nil, domain.Errorf(domain.ECONFLICT, "risk %d is cleared", f.ID)
	}
	g, err := s.db.Group(ctx, sub.GroupID)
	if err != nil {
		return nil, err
	}
	if matter == "" {
		byKind, err := s.RiskMatters(ctx)
		if err != nil {
			return nil, err
		}
		if matter = byKind[f.Kind]; matter == "" {
			return nil, domain.Errorf(domain.EINVALID, "no matter given and none chosen for %s risks: name one, or an administrator maps the risk to a matter (PUT /api/v1/settings/risk-matters)", f.Kind)
		}
	}
	if title == "" {
		title = fmt.Sprintf("%s监测发现风险：%s", g.Name, riskLabels[f.Kind])
	}
	if description == "" {
		description = fmt.Sprintf("%s 第%d号监测对象（%s）于 %s 走访发现风险“%s”。%s", g.Name, sub.ID, sub.Ref, f.Raised, riskLabels[f.Kind], f.Note)
	}
	c, err := s.file(ctx, u, domain.NewCase{Matter: matter, Title: title, Description: description, Region: sub.Region,
		Channel: "grid_patrol", Kind: "request", Reporter: domain.Reporter{Name: u.Name, Phone: u.Phone, UserID: u.ID}}, domain.OnRound)
	if err != nil {
		return nil, err
	}
	return c, s.db.Update(ctx, func(tx *store.Tx) error { return tx.FlagCase(f.ID, c.ID) })
}

// riskLabels are the risks' Chinese names.
var riskLabels = map[domain.RiskKind]string{domain.RiskLostJob: "失业", domain.RiskIllness: "因病", domain.RiskHousing: "住房困难", domain.RiskOther: "其他"}

// RiskLine is an open risk with the subject it was found on, for lists.
type RiskLine struct {
	domain.RiskFlag
	Name   string `json:"name"`
	Ref    string `json:"ref"`
	Region string `json:"region"`
}

// OpenRisks lists the risks open on day in a group's region in u's scope, oldest first.
func (s *Groups) OpenRisks(ctx context.Context, u domain.User, groupID int64, region, day string) ([]RiskLine, error) {
	g, err := s.Group(ctx, u, groupID)
	if err != nil {
		return nil, err
	}
	region, ok := scopeRegion(u, g, region)
	if !ok {
		return nil, domain.Errorf(domain.ENOTFOUND, "region not found in your scope")
	}
	if day, err = dayOrToday(day, s.today()); err != nil {
		return nil, err
	}
	flags, err := s.db.Flags(ctx, store.FlagFilter{Group: g.ID, Region: region})
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, f := range flags {
		if f.OpenOn(day) {
			ids = append(ids, f.Subject)
		}
	}
	if len(ids) == 0 {
		return []RiskLine{}, nil
	}
	subs, err := s.db.Subjects(ctx, store.SubjectFilter{IDs: ids})
	if err != nil {
		return nil, err
	}
	byID := map[int64]domain.Subject{}
	for _, sub := range subs {
		byID[sub.ID] = sub
	}
	out := []RiskLine{}
	for _, f := range flags {
		if sub, ok := byID[f.Subject]; ok && f.OpenOn(day) {
			out = append(out, RiskLine{RiskFlag: f, Name: sub.Name, Ref: sub.Ref, Region: sub.Region})
		}
	}
	return out, nil
}
