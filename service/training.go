package service

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"whistle/domain"
	"whistle/sheets"
	"whistle/store"
)

// 混编培训: a party school's joint classes. The school's staff (officers of its org)
// and the administrators of the region the class is held in run them; the region's
// leaders read them. The roster is imported from XLSX (a preview writes nothing), the
// class is mixed into groups and rooms (domain.Mix), and hand edits are scored again.

// TrainingView is a class with its roster, hand rules and, once mixed, its scores.
type TrainingView struct {
	Class    domain.TrainingClass `json:"class"`
	Trainees []domain.Trainee     `json:"trainees"`
	Rules    []domain.MixRule     `json:"rules"`
	Report   *domain.MixReport    `json:"report,omitempty"`
	Manages  bool                 `json:"manages"`
}

// TraineeImport is what a roster import read: the trainees it would write and every
// problem by row and column; Written tells whether it replaced the roster.
type TraineeImport struct {
	Rows     int               `json:"rows"`
	Trainees []domain.Trainee  `json:"trainees"`
	Errors   []domain.RowError `json:"errors"`
	Written  bool              `json:"written"`
}

// MixIn asks for a mixing: groups of at most GroupSize, rooms of RoomSize, and the
// seed (the same seed gives the same mixing).
type MixIn struct {
	GroupSize int   `json:"group_size"`
	RoomSize  int   `json:"room_size"`
	Seed      int64 `json:"seed"`
}

// TraineeMove is a hand edit: Trainee to Group, or Trainee's room swapped with
// SwapRoomWith's.
type TraineeMove struct {
	Trainee      int64 `json:"trainee"`
	Group        int   `json:"group,omitempty"`
	SwapRoomWith int64 `json:"swap_room_with,omitempty"`
}

// TrainingClasses lists the classes u sees.
func (s *Service) TrainingClasses(ctx context.Context, u domain.User) ([]domain.TrainingClass, error) {
	if !domain.TrainingRole(u) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "training classes are the party school's, its region's leaders' and administrators'")
	}
	var regions []string
	for _, g := range u.Grants {
		if g.Role == domain.RoleLeader || g.Role == domain.RoleAdmin {
			regions = append(regions, g.Region)
		}
	}
	return s.db.TrainingClasses(ctx, domain.UserOrgs(u), regions)
}

// CreateTrainingClass opens a class for a school (an org): its officers open their
// own; an administrator opens one in its region. The region defaults to the school's.
func (s *Service) CreateTrainingClass(ctx context.Context, u domain.User, c domain.TrainingClass) (domain.TrainingClass, error) {
	if !u.Has(domain.RoleOfficer) && !u.Has(domain.RoleAdmin) {
		return c, domain.Errorf(domain.EFORBIDDEN, "only a school's officers and administrators open training classes")
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	org, err := s.db.Org(ctx, c.Org)
	if err != nil {
		return c, domain.Invalidf("training.org", "unknown org %q", c.Org)
	}
	if c.Region == "" {
		c.Region = org.Region
	}
	if _, err := s.db.Region(ctx, c.Region); err != nil {
		return c, domain.Invalidf("training.region", "unknown region %q", c.Region)
	}
	if !domain.TrainingManages(u, c) {
		return c, domain.Errorf(domain.EOUTOFSCOPE, "you run no classes of %s in %s", c.Org, c.Region)
	}
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.InsertTrainingClass(&c, u.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "training.class", classObject(c.ID), domain.Change{After: c})
	})
	return c, err
}

func classObject(id int64) string { return fmt.Sprintf("training/%d", id) }

// readClass reads a class u sees; one u does not see does not exist for u.
func (s *Service) readClass(ctx context.Context, u domain.User, id int64) (domain.TrainingClass, error) {
	c, err := s.db.TrainingClass(ctx, id)
	if err == nil && !domain.TrainingReads(u, c) {
		err = domain.Errorf(domain.ENOTFOUND, "training class %d not found", id)
	}
	return c, err
}

// TrainingClass reads a class with its roster, rules and scores.
func (s *Service) TrainingClass(ctx context.Context, u domain.User, id int64) (TrainingView, error) {
	c, err := s.readClass(ctx, u, id)
	if err != nil {
		return TrainingView{}, err
	}
	ts, err := s.db.Trainees(ctx, id)
	if err != nil {
		return TrainingView{}, err
	}
	rules, err := s.db.MixRules(ctx, id)
	if err != nil {
		return TrainingView{}, err
	}
	return trainingView(u, c, ts, rules), nil
}

func trainingView(u domain.User, c domain.TrainingClass, ts []domain.Trainee, rules []domain.MixRule) TrainingView {
	v := TrainingView{Class: c, Trainees: ts, Rules: rules, Manages: domain.TrainingManages(u, c)}
	v.Class.Trainees = len(ts)
	if !c.MixedAt.IsZero() && len(ts) > 0 {
		r := domain.ScoreMix(ts, c.RoomSize, rules)
		v.Report = &r
	}
	return v
}

// manageClass runs change on class id in one transaction when u runs it (403 when u
// only reads it, 404 when u does not see it), logging action, and answers the view.
func (s *Service) manageClass(ctx context.Context, u domain.User, id int64, action string,
	change func(tx *store.Tx, c *domain.TrainingClass, ts []domain.Trainee, rules []domain.MixRule) ([]domain.Trainee, []domain.MixRule, any, error)) (TrainingView, error) {
	var v TrainingView
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.TrainingClass(id)
		if err == nil && !domain.TrainingReads(u, c) {
			err = domain.Errorf(domain.ENOTFOUND, "training class %d not found", id)
		}
		if err != nil {
			return err
		}
		if !domain.TrainingManages(u, c) {
			return domain.Errorf(domain.EFORBIDDEN, "only the school's officers and the region's administrators change a class")
		}
		ts, err := tx.Trainees(id)
		if err != nil {
			return err
		}
		rules, err := tx.MixRules(id)
		if err != nil {
			return err
		}
		ts, rules, facts, err := change(tx, &c, ts, rules)
		if err != nil {
			return err
		}
		v = trainingView(u, c, ts, rules)
		return s.audit(ctx, tx, u, action, classObject(id), domain.Change{Facts: map[string]any{"change": facts}})
	})
	return v, err
}

// ImportTrainees reads a roster (XLSX, first sheet, a header row of 姓名 来源 单位 职级
// 性别 年龄 领域) for class id. With preview, or when any row is wrong, nothing is
// written; otherwise the roster replaces the class's, its rules and mixing cleared.
func (s *Service) ImportTrainees(ctx context.Context, u domain.User, id int64, body []byte, preview bool) (TraineeImport, error) {
	c, err := s.readClass(ctx, u, id)
	if err != nil {
		return TraineeImport{}, err
	}
	if !domain.TrainingManages(u, c) {
		return TraineeImport{}, domain.Errorf(domain.EFORBIDDEN, "only the school's officers and the region's administrators import a roster")
	}
	rows, err := sheets.ReadFirst(bytes.NewReader(body), false)
	if err != nil {
		return TraineeImport{}, domain.Invalidf("training.file", "名册须为 XLSX 表格（%v）", err)
	}
	ts, errs := domain.ParseTrainees(rows)
	imp := TraineeImport{Rows: max(len(rows)-1, 0), Trainees: ts, Errors: errs}
	if imp.Trainees == nil {
		imp.Trainees = []domain.Trainee{}
	}
	if imp.Errors == nil {
		imp.Errors = []domain.RowError{}
	}
	if len(errs) > 0 && !preview {
		first := errs[:min(len(errs), 5)]
		return imp, domain.Invalidf("training.file", "名册有 %d 处错误，未导入：%s", len(errs), RowErrorLines(first))
	}
	if preview {
		return imp, nil
	}
	if len(ts) == 0 {
		return imp, domain.Invalidf("training.file", "名册中没有学员")
	}
	_, err = s.manageClass(ctx, u, id, "training.roster", func(tx *store.Tx, c *domain.TrainingClass, _ []domain.Trainee, _ []domain.MixRule) ([]domain.Trainee, []domain.MixRule, any, error) {
		if err := tx.ClearAttendance(id); err != nil {
			return nil, nil, nil, err
		}
		if err := tx.ReplaceTrainees(id, ts); err != nil {
			return nil, nil, nil, err
		}
		return ts, nil, map[string]any{"trainees": len(ts)}, tx.SetClassMixed(c, false)
	})
	imp.Written = err == nil
	return imp, err
}

// SetMixRules replaces a class's hand rules; a mixed class is scored against them.
func (s *Service) SetMixRules(ctx context.Context, u domain.User, id int64, rules []domain.MixRule) (TrainingView, error) {
	return s.manageClass(ctx, u, id, "training.rules", func(tx *store.Tx, c *domain.TrainingClass, ts []domain.Trainee, _ []domain.MixRule) ([]domain.Trainee, []domain.MixRule, any, error) {
		if len(rules) > 1000 {
			return nil, nil, nil, domain.Invalidf("mix.rule", "一个班最多 1000 条规则")
		}
		known := map[int64]bool{}
		for _, t := range ts {
			known[t.ID] = true
		}
		for i, r := range rules {
			if !known[r.A] || !known[r.B] || r.A == r.B {
				return nil, nil, nil, domain.Invalidf("mix.rule", "第 %d 条规则须指向本班两名不同的学员", i+1)
			}
			if r.Kind != domain.RuleApart && r.Kind != domain.RuleTogether {
				return nil, nil, nil, domain.Invalidf("mix.rule", "第 %d 条规则的类型须为 together（同组）或 apart（分开）", i+1)
			}
		}
		return ts, rules, rules, tx.ReplaceMixRules(id, rules)
	})
}

// MixTrainingClass mixes a class into groups and rooms, keeping every hard rule, and
// records the placement; the same roster, rules and seed give the same placement.
func (s *Service) MixTrainingClass(ctx context.Context, u domain.User, id int64, in MixIn) (TrainingView, error) {
	return s.manageClass(ctx, u, id, "training.mix", func(tx *store.Tx, c *domain.TrainingClass, ts []domain.Trainee, rules []domain.MixRule) ([]domain.Trainee, []domain.MixRule, any, error) {
		if in.GroupSize != 0 {
			c.GroupSize = in.GroupSize
		}
		if in.RoomSize != 0 {
			c.RoomSize = in.RoomSize
		}
		c.Seed = in.Seed
		if err := c.Validate(); err != nil {
			return nil, nil, nil, err
		}
		out, err := domain.Mix(ts, domain.MixSpec{GroupSizes: domain.GroupSizesOf(len(ts), c.GroupSize), RoomSize: c.RoomSize, Seed: c.Seed, Rules: rules})
		if err != nil {
			return nil, nil, nil, err
		}
		if err := tx.PlaceTrainees(id, out); err != nil {
			return nil, nil, nil, err
		}
		return out, rules, in, tx.SetClassMixed(c, true)
	})
}

// MoveTrainee edits a mixed class by hand: a trainee to another group, or two
// trainees' rooms swapped; the class is scored again.
func (s *Service) MoveTrainee(ctx context.Context, u domain.User, id int64, mv TraineeMove) (TrainingView, error) {
	return s.manageClass(ctx, u, id, "training.move", func(tx *store.Tx, c *domain.TrainingClass, ts []domain.Trainee, rules []domain.MixRule) ([]domain.Trainee, []domain.MixRule, any, error) {
		if c.MixedAt.IsZero() {
			return nil, nil, nil, domain.Errorf(domain.ECONFLICT, "班级尚未混编")
		}
		var err error
		switch {
		case mv.SwapRoomWith != 0 && mv.Group != 0:
			err = domain.Invalidf("mix.move", "give either group or swap_room_with, not both")
		case mv.SwapRoomWith != 0:
			err = domain.SwapRooms(ts, mv.Trainee, mv.SwapRoomWith)
		default:
			err = domain.MoveTrainee(ts, mv.Trainee, mv.Group, groupsOf(ts))
		}
		if err != nil {
			return nil, nil, nil, err
		}
		if err := tx.PlaceTrainees(id, ts); err != nil {
			return nil, nil, nil, err
		}
		return ts, rules, mv, tx.SetClassMixed(c, true)
	})
}

func groupsOf(ts []domain.Trainee) int {
	n := 0
	for _, t := range ts {
		n = max(n, t.Group)
	}
	return n
}

// RosterTemplate is an empty roster with its header, to fill in and import.
func (s *Service) RosterTemplate(u domain.User) ([]byte, error) {
	if !domain.TrainingRole(u) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "training classes are the party school's, its region's leaders' and administrators'")
	}
	return sheets.Write("学员名册", [][]string{domain.TraineeColumns, {"张三", "株洲市委党校", "株洲市发展和改革委员会", "副处", "男", "41", "经济"}})
}

// RowErrorLines renders an import's problems one a line, for a page or a message.
func RowErrorLines(errs []domain.RowError) string {
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = domain.RowErrorText(e)
	}
	return strings.Join(lines, "\n")
}
