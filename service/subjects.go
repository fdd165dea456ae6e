package service

import (
	"cmp"
	"context"
	"strconv"
	"strings"
	"time"

	"whistle/domain"
	"whistle/store"
)

// SubjectQuery is what a register list asks for.
type SubjectQuery struct {
	Group    int64
	Region   string
	Query    string // name or number
	IDNumber string // exact, through the keyed hash
	Phone    string // exact, through the keyed hash
	Mine     bool   // only the subjects u helps
	AsOf     string
	After    int64
	Limit    int
}

// Subjects lists top-level subjects (households, persons, organisations) u may see, with
// their values as of the day, masked for u.
func (s *Groups) Subjects(ctx context.Context, u domain.User, q SubjectQuery) ([]domain.Subject, error) {
	g, err := s.Group(ctx, u, q.Group)
	if err != nil {
		return nil, err
	}
	if q.AsOf == "" {
		q.AsOf = s.today()
	} else if q.AsOf, err = domain.ParseDay(q.AsOf); err != nil {
		return nil, err
	}
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 100
	}
	f := store.SubjectFilter{Group: g.ID, Top: true, Query: q.Query, AsOf: q.AsOf, After: q.After, Limit: q.Limit}
	region, ok := scopeRegion(u, g, q.Region)
	switch {
	case q.Mine || !ok && q.Region == "":
		f.HelperOf = u.ID
		f.Region = q.Region
	case !ok:
		return nil, domain.Errorf(domain.ENOTFOUND, "region %s not found in your scope", q.Region)
	default:
		f.Region = region
	}
	var searches []domain.Change
	for _, search := range []struct {
		t domain.FieldType
		v string
	}{{domain.FieldIDNumber, q.IDNumber}, {domain.FieldPhone, q.Phone}} {
		if search.v == "" {
			continue
		}
		if err := s.maySearch(ctx, u, g, search.t, search.v); err != nil {
			return nil, err
		}
		if f.Hash, err = s.SearchHash(search.t, search.v); err != nil {
			return nil, err
		}
		searches = append(searches, searchChange(search.t, search.v))
		f.Top = false // a member's number finds the member
	}
	subjects, err := s.db.Subjects(ctx, f)
	if err != nil {
		return nil, err
	}
	if err := s.logSearches(ctx, u, g, searches, len(subjects)); err != nil {
		return nil, err
	}
	return s.dress(ctx, u, g, subjects, q.AsOf, nil, false)
}

// Searches by personal data: each user may make PersonalSearches of them in a window
// of PersonalSearchWindow, so a mask cannot be undone by trying every value it hides
// (a phone's four hidden digits are 10,000 tries; an ID number's, knowing the birth
// day and the check digit, about 1,000).
const (
	PersonalSearches     = 30
	PersonalSearchWindow = 10 * time.Minute
)

// maySearch counts a search of g by a personal value against u's limit (429 past it)
// and allows it only to who may reveal the fields searched (403, logged with the value
// masked, so the log shows who tried).
func (s *Groups) maySearch(ctx context.Context, u domain.User, g *domain.Group, t domain.FieldType, value string) error {
	win := s.now().Unix() / int64(PersonalSearchWindow.Seconds())
	ok, err := s.db.Hit(ctx, "search:"+strconv.FormatInt(u.ID, 10), win, PersonalSearches)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.ETOOMANY, "at most %d searches by ID number or phone in %d minutes; try again later",
			PersonalSearches, int(PersonalSearchWindow.Minutes()))
	}
	refused := domain.CanSearchBy(u, g, t)
	if domain.ErrorCode(refused) != domain.EFORBIDDEN {
		return refused
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		return s.audit(ctx, tx, u, "subject.search_refused", domain.GroupObject(g.ID), searchChange(t, value))
	})
	return cmp.Or(err, refused)
}

// searchChange is what the log keeps of a search: the field's type and the value
// searched, masked as the pages show it.
func searchChange(t domain.FieldType, value string) domain.Change {
	f := domain.Field{Type: t}
	masked := f.Mask(strings.TrimSpace(value))
	if v, err := f.Normalize(value); err == nil {
		masked = f.Mask(v)
	}
	return domain.Change{Facts: map[string]any{"field": string(t), "value": masked}}
}

// logSearches logs the searches a list made, each with the number of subjects found,
// in one transaction: the list is answered only once they are written.
func (s *Groups) logSearches(ctx context.Context, u domain.User, g *domain.Group, searches []domain.Change, found int) error {
	if len(searches) == 0 {
		return nil
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		for _, c := range searches {
			c.Facts["results"] = found
			if err := s.audit(ctx, tx, u, domain.ActSearch, domain.GroupObject(g.ID), c); err != nil {
				return err
			}
		}
		return nil
	})
}

// dress adds values (masked for u, revealing the fields in reveal), members, helpers and
// open flags to subjects as of day.
func (s *Groups) dress(ctx context.Context, u domain.User, g *domain.Group, subjects []domain.Subject, day string, reveal map[string]bool, members bool) ([]domain.Subject, error) {
	if len(subjects) == 0 {
		return subjects, nil
	}
	all := append([]domain.Subject{}, subjects...)
	var ids []int64
	for _, sub := range subjects {
		ids = append(ids, sub.ID)
	}
	kids := map[int64][]domain.Subject{}
	if members && g.Kind == domain.KindHousehold {
		for _, sub := range subjects {
			if sub.Kind != domain.KindHousehold {
				continue
			}
			ms, err := s.db.Subjects(ctx, store.SubjectFilter{Household: sub.ID, AsOf: day})
			if err != nil {
				return nil, err
			}
			kids[sub.ID] = ms
			all = append(all, ms...)
		}
	}
	clear, err := s.clearValues(ctx, all, day)
	if err != nil {
		return nil, err
	}
	helpers, err := s.db.Assignments(ctx, store.AssignmentFilter{Subjects: ids, On: day})
	if err != nil {
		return nil, err
	}
	helperOf := map[int64]domain.Assignment{}
	for _, a := range helpers {
		helperOf[a.Subject] = a
	}
	flags, err := s.db.Flags(ctx, store.FlagFilter{Subjects: ids})
	if err != nil {
		return nil, err
	}
	for i := range subjects {
		sub := &subjects[i]
		sub.Values = domain.MaskValues(u, g, clear[sub.ID], reveal)
		if a, ok := helperOf[sub.ID]; ok {
			sub.Helper = &a
		}
		for _, m := range kids[sub.ID] {
			m.Values = domain.MaskValues(u, g, clear[m.ID], reveal)
			sub.Members = append(sub.Members, m)
		}
		for _, f := range flags {
			if f.Subject == sub.ID && f.OpenOn(day) {
				sub.Flags = append(sub.Flags, f)
			}
		}
	}
	return subjects, nil
}

// seesSubject tells whether u may see sub: in their register scope, or its helper today.
func (s *Groups) seesSubject(ctx context.Context, u domain.User, sub domain.Subject) (bool, error) {
	if domain.SeesRegister(u, sub.Region) {
		return true, nil
	}
	top := sub.ID
	if sub.Household != 0 {
		top = sub.Household
	}
	as, err := s.db.Assignments(ctx, store.AssignmentFilter{Subjects: []int64{top}, User: u.ID, On: s.today()})
	return len(as) > 0, err
}

// subject reads a subject u may see, with its group.
func (s *Groups) subject(ctx context.Context, u domain.User, id int64) (domain.Subject, *domain.Group, error) {
	subs, err := s.db.Subjects(ctx, store.SubjectFilter{IDs: []int64{id}})
	if err != nil {
		return domain.Subject{}, nil, err
	}
	if len(subs) == 0 {
		return domain.Subject{}, nil, domain.Errorf(domain.ENOTFOUND, "subject %d not found", id)
	}
	ok, err := s.seesSubject(ctx, u, subs[0])
	if err != nil {
		return domain.Subject{}, nil, err
	}
	if !ok {
		return domain.Subject{}, nil, domain.Errorf(domain.ENOTFOUND, "subject %d not found", id)
	}
	g, err := s.db.Group(ctx, subs[0].GroupID)
	return subs[0], g, err
}

// Subject reads one subject with members, helper and open flags as of day. Fields in
// reveal are shown in clear when u may reveal them, and each such reading is audited
// with its purpose.
func (s *Groups) Subject(ctx context.Context, u domain.User, id int64, day string, reveal []string, purpose string) (domain.Subject, error) {
	sub, g, err := s.subject(ctx, u, id)
	if err != nil {
		return sub, err
	}
	if day == "" {
		day = s.today()
	} else if day, err = domain.ParseDay(day); err != nil {
		return sub, err
	}
	want := map[string]bool{}
	var audited []string
	for _, name := range reveal {
		f, ok := g.Field(name)
		if !ok || !f.Type.Sensitive() {
			return sub, domain.Errorf(domain.EINVALID, "%q is not a personal-data field of the group", name)
		}
		if !domain.CanReveal(u, f) {
			return sub, domain.Errorf(domain.EFORBIDDEN, "your role may not see %s in clear", f.Label)
		}
		want[f.Key] = true
		audited = append(audited, f.Key)
	}
	if len(audited) > 0 && len([]rune(purpose)) < 2 {
		return sub, domain.Errorf(domain.EINVALID, "say why you need to see %v (purpose)", audited)
	}
	out, err := s.dress(ctx, u, g, []domain.Subject{sub}, day, want, true)
	if err != nil {
		return sub, err
	}
	if len(audited) > 0 {
		err = s.db.Update(ctx, func(tx *store.Tx) error {
			return s.audit(ctx, tx, u, domain.ActReveal, domain.SubjectObject(g.ID, sub.ID), domain.Reveal{Fields: audited, Purpose: purpose, Subjects: 1}.Change())
		})
	}
	return out[0], err
}

// SetValues records new attribute values of a subject valid from a day (an edit outside
// a visit): administrators of the place or the subject's helper.
func (s *Groups) SetValues(ctx context.Context, u domain.User, id int64, from string, values map[string]string) error {
	sub, g, err := s.subject(ctx, u, id)
	if err != nil {
		return err
	}
	if !domain.CanManageGroups(u, sub.Region) {
		ok, err := s.helps(ctx, u, sub)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Errorf(domain.EFORBIDDEN, "only administrators and the subject's helper change its attributes")
		}
	}
	if from == "" {
		from = s.today()
	} else if from, err = domain.ParseDay(from); err != nil {
		return err
	}
	if from > s.today() || from < sub.From {
		return domain.Errorf(domain.EINVALID, "values begin on a day between the subject's entry %s and today", sub.From)
	}
	var vals []domain.Value
	for k, raw := range values {
		f, ok := g.Field(k)
		if !ok {
			return domain.Errorf(domain.EINVALID, "unknown field %q", k)
		}
		if f.On != sub.Kind {
			return domain.Errorf(domain.EINVALID, "field %s belongs to the %s, not the %s", f.Key, f.On, sub.Kind)
		}
		v, err := f.Normalize(raw)
		if err != nil {
			return err
		}
		vals = append(vals, domain.Value{Subject: sub.ID, Field: f.Key, From: from, Value: v, Source: "edit"})
	}
	old, err := s.clearValues(ctx, []domain.Subject{sub}, from)
	if err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := s.putValues(tx, g, vals, u.ID, false); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "subject.values", domain.SubjectObject(g.ID, sub.ID), valuesChange(g, old[sub.ID], vals))
	})
}

// helps tells whether u is the helper of sub (or of its household) today.
func (s *Groups) helps(ctx context.Context, u domain.User, sub domain.Subject) (bool, error) {
	top := sub.ID
	if sub.Household != 0 {
		top = sub.Household
	}
	as, err := s.db.Assignments(ctx, store.AssignmentFilter{Subjects: []int64{top}, User: u.ID, On: s.today()})
	return len(as) > 0, err
}

// AssignHelper pairs a helper with a subject from a day (结对), ending the subject's
// running assignment the day before; its open visit tasks follow the new helper.
func (s *Groups) AssignHelper(ctx context.Context, u domain.User, subjectID, helperID int64, from, note string) (domain.Assignment, error) {
	a := domain.Assignment{Subject: subjectID, UserID: helperID, Note: note}
	sub, _, err := s.subject(ctx, u, subjectID)
	if err != nil {
		return a, err
	}
	if sub.Household != 0 {
		return a, domain.Errorf(domain.EINVALID, "helpers are paired with the household, not a member")
	}
	if !domain.CanManageGroups(u, sub.Region) {
		return a, domain.Errorf(domain.EFORBIDDEN, "only administrators of the place pair helpers")
	}
	if a.From, err = dayOrToday(from, s.today()); err != nil {
		return a, err
	}
	helper, err := s.db.User(ctx, helperID)
	if err != nil || helper.Disabled || !helper.Has(domain.RoleHelper) && !helper.Has(domain.RoleGridWorker) {
		return a, domain.Errorf(domain.EINVALID, "user %d is not an active helper or grid worker", helperID)
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := s.assign(tx, &a); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "subject.helper", domain.SubjectObject(sub.GroupID, sub.ID), domain.Change{After: a})
	})
	a.HelperName = helper.Name
	return a, err
}

func dayOrToday(day, today string) (string, error) {
	if day == "" {
		return today, nil
	}
	return domain.ParseDay(day)
}

// assign ends the subject's assignments running on or after a.From and starts a.
func (s *Groups) assign(tx *store.Tx, a *domain.Assignment) error {
	old, err := tx.Assignments(store.AssignmentFilter{Subjects: []int64{a.Subject}})
	if err != nil {
		return err
	}
	before := dayBefore(a.From)
	for _, o := range old {
		if o.To == "" || o.To >= a.From {
			if o.UserID == a.UserID && o.From <= a.From && o.To == "" {
				return domain.Errorf(domain.ECONFLICT, "this helper already helps the subject")
			}
			if err := tx.EndAssignment(o.ID, before); err != nil {
				return err
			}
		}
	}
	if err := tx.AddAssignment(a); err != nil {
		return err
	}
	return tx.ReassignOpenVisits(a.Subject, a.UserID, a.From)
}

func dayBefore(day string) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, -1).Format("2006-01-02")
}

// Handover moves every subject a helper helps in a group to another helper from a day
// (a helper leaves: 交接), and their open visit tasks with them. It tells how many.
func (s *Groups) Handover(ctx context.Context, u domain.User, groupID, fromUser, toUser int64, day, note string) (int, error) {
	g, err := s.Group(ctx, u, groupID)
	if err != nil {
		return 0, err
	}
	if !domain.CanManageGroups(u, g.Region) {
		return 0, domain.Errorf(domain.EFORBIDDEN, "only administrators of region %s hand subjects over", g.Region)
	}
	if day, err = dayOrToday(day, s.today()); err != nil {
		return 0, err
	}
	helper, err := s.db.User(ctx, toUser)
	if err != nil || helper.Disabled || !helper.Has(domain.RoleHelper) && !helper.Has(domain.RoleGridWorker) {
		return 0, domain.Errorf(domain.EINVALID, "user %d is not an active helper or grid worker", toUser)
	}
	if fromUser == toUser {
		return 0, domain.Errorf(domain.EINVALID, "hand over to another helper")
	}
	n := 0
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		running, err := tx.Assignments(store.AssignmentFilter{Group: g.ID, Region: g.Region, User: fromUser, On: day})
		if err != nil {
			return err
		}
		for _, r := range running {
			a := domain.Assignment{Subject: r.Subject, UserID: toUser, From: day, Note: note}
			if err := s.assign(tx, &a); err != nil {
				return err
			}
			n++
		}
		return s.audit(ctx, tx, u, "group.handover", domain.GroupObject(g.ID), domain.Change{Facts: map[string]any{
			"from_user": fromUser, "to_user": toUser, "day": day, "subjects": n}})
	})
	return n, err
}

// Coverage lists the top-level subjects in u's scope without a helper on day.
func (s *Groups) Coverage(ctx context.Context, u domain.User, groupID int64, region, day string) ([]domain.Subject, int, error) {
	g, err := s.Group(ctx, u, groupID)
	if err != nil {
		return nil, 0, err
	}
	region, ok := scopeRegion(u, g, region)
	if !ok {
		return nil, 0, domain.Errorf(domain.ENOTFOUND, "region not found in your scope")
	}
	if day, err = dayOrToday(day, s.today()); err != nil {
		return nil, 0, err
	}
	subs, err := s.db.Subjects(ctx, store.SubjectFilter{Group: g.ID, Region: region, Top: true, AsOf: day})
	if err != nil {
		return nil, 0, err
	}
	as, err := s.db.Assignments(ctx, store.AssignmentFilter{Group: g.ID, Region: region, On: day})
	if err != nil {
		return nil, 0, err
	}
	helped := map[int64]bool{}
	for _, a := range as {
		helped[a.Subject] = true
	}
	out := []domain.Subject{}
	for _, sub := range subs {
		if !helped[sub.ID] {
			sub.Values = map[string]string{}
			out = append(out, sub)
		}
	}
	return out, len(subs), nil
}

// EndSubject takes a subject (a household with its members) off the register after
// day, the last day it counts: administrators of the place. Its history stays.
func (s *Groups) EndSubject(ctx context.Context, u domain.User, id int64, day string) error {
	sub, _, err := s.subject(ctx, u, id)
	if err != nil {
		return err
	}
	if !domain.CanManageGroups(u, sub.Region) {
		return domain.Errorf(domain.EFORBIDDEN, "only administrators of the place change the register")
	}
	if day, err = dayOrToday(day, s.today()); err != nil {
		return err
	}
	if sub.To != "" {
		return domain.Errorf(domain.ECONFLICT, "subject %d left the register on %s", sub.ID, sub.To)
	}
	if day < sub.From {
		return domain.Errorf(domain.EINVALID, "a subject leaves on or after the day it entered (%s)", sub.From)
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.EndSubject(sub.ID, day); err != nil {
			return err
		}
		as, err := tx.Assignments(store.AssignmentFilter{Subjects: []int64{sub.ID}, On: day})
		if err != nil {
			return err
		}
		for _, a := range as {
			if err := tx.EndAssignment(a.ID, day); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, u, "subject.end", domain.SubjectObject(sub.GroupID, sub.ID), domain.Change{Before: map[string]string{"to": ""}, After: map[string]string{"to": day}})
	})
}

// Reveals lists the latest reveals of a group's personal data (the audit), newest
// first, for administrators of the group's region; for whoever does not see the group
// it does not exist.
func (s *Groups) Reveals(ctx context.Context, u domain.User, groupID int64, limit int) ([]domain.Reveal, error) {
	g, err := s.Group(ctx, u, groupID)
	if err != nil {
		return nil, err
	}
	if !domain.CanManageGroups(u, g.Region) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "administrators of the group's region only")
	}
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	return s.db.Reveals(ctx, groupID, limit)
}

// SubjectGroup reads the group of a subject u may see (a helper visiting their subject
// needs its fields, wherever the group's area lies).
func (s *Groups) SubjectGroup(ctx context.Context, u domain.User, subjectID int64) (*domain.Group, error) {
	_, g, err := s.subject(ctx, u, subjectID)
	return g, err
}

// valuesChange is the log's change of a subject's values: the fields given, before
// (old, clear) and after, personal data masked.
func valuesChange(g *domain.Group, old map[string]string, vals []domain.Value) domain.Change {
	before, after := map[string]string{}, map[string]string{}
	for _, v := range vals {
		f, _ := g.Field(v.Field)
		before[f.Key], after[f.Key] = f.Mask(old[f.Key]), f.Mask(v.Value)
	}
	return domain.Change{Before: before, After: after}
}
