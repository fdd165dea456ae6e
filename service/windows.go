package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"whistle/domain"
	"whistle/store"
)

// 大综窗: service halls and their windows. Administrators set them up within the
// regions they administer; leaders, dispatchers and administrators read those of their
// regions (another region's do not exist for them); a window case names the window it
// came through (FileIntake), and the statistics count what each window received.

// outsideAdmin is the refusal of a change an administrator makes outside their region.
func outsideAdmin(what, region string) error {
	return domain.Errorf(domain.EFORBIDDEN, "%s region %s lies outside the regions you administer", what, region)
}

// Halls lists the halls in region's subtree (u's first scope when ""), for leaders,
// dispatchers and administrators of it.
func (s *Service) Halls(ctx context.Context, u domain.User, region string) ([]domain.Hall, error) {
	region, err := domain.ReportRegion(u, region, "halls and windows")
	if err != nil {
		return nil, err
	}
	return s.db.Halls(ctx, region)
}

// Windows lists the windows of the halls in region's subtree, of one hall when hall is
// not 0, for leaders, dispatchers and administrators of it.
func (s *Service) Windows(ctx context.Context, u domain.User, region string, hall int64) ([]domain.Window, error) {
	region, err := domain.ReportRegion(u, region, "halls and windows")
	if err != nil {
		return nil, err
	}
	return s.db.Windows(ctx, region, hall)
}

// Hall reads one hall of a region u leads, dispatches in or administers.
func (s *Service) Hall(ctx context.Context, u domain.User, id int64) (domain.Hall, error) {
	h, err := s.db.Hall(ctx, id)
	if err != nil {
		return h, err
	}
	_, err = domain.ReportRegion(u, h.Region, "halls and windows")
	return h, notInScope(err, "hall %d not found", id)
}

// Window reads one window of a hall in a region u leads, dispatches in or administers.
func (s *Service) Window(ctx context.Context, u domain.User, id int64) (domain.Window, error) {
	w, err := s.db.Window(ctx, id)
	if err != nil {
		return w, err
	}
	h, err := s.db.Hall(ctx, w.HallID)
	if err != nil {
		return w, err
	}
	_, err = domain.ReportRegion(u, h.Region, "halls and windows")
	return w, notInScope(err, "window %d not found", id)
}

// notInScope names what a user reads outside their scope in its not-found (the region
// is not to be named to them).
func notInScope(err error, format string, args ...any) error {
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return domain.Errorf(domain.ENOTFOUND, format, args...)
	}
	return err
}

// PutHall sets up a hall (ID 0) or changes one, in a region the administrator
// administers. A hall keeps its windows inside its region, and is made inactive only
// once its windows are closed.
func (s *Service) PutHall(ctx context.Context, u domain.User, h domain.Hall) (domain.Hall, error) {
	if err := adminOnly(u); err != nil {
		return h, err
	}
	if err := h.Validate(); err != nil {
		return h, err
	}
	if _, err := s.db.Region(ctx, h.Region); err != nil {
		return h, domain.Errorf(domain.EINVALID, "unknown region %q", h.Region)
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if h.ID != 0 {
			old, err := tx.Hall(h.ID)
			if err != nil || !domain.Administers(u, old.Region) {
				return notFoundAs(err, "hall %d not found", h.ID)
			}
			if err := hallKeepsWindows(tx, h); err != nil {
				return err
			}
		}
		if !domain.Administers(u, h.Region) {
			return outsideAdmin("hall", h.Region)
		}
		return logPut(ctx, s, tx, u, "hall", &h.ID, tx.Hall, func() error { return tx.PutHall(&h) })
	})
	return h, err
}

// notFoundAs gives err, or when there is none (the thing lies outside the user's
// scope) a not-found of its own.
func notFoundAs(err error, format string, args ...any) error {
	if err != nil {
		return err
	}
	return domain.Errorf(domain.ENOTFOUND, format, args...)
}

// hallKeepsWindows refuses a change of hall h that would leave one of its windows
// outside its region, or an open window in an inactive hall.
func hallKeepsWindows(tx *store.Tx, h domain.Hall) error {
	ws, err := tx.HallWindows(h.ID)
	if err != nil {
		return err
	}
	for _, w := range ws {
		if !domain.Within(w.Region, h.Region) {
			return domain.Errorf(domain.EINVALID, "hall %s: its window %s lies in region %s, outside %s", h.Code, w.Label(), w.Region, h.Region)
		}
		if w.Active && !h.Active {
			return domain.Errorf(domain.EINVALID, "hall %s still has open windows (%s): close them before the hall", h.Code, w.Label())
		}
	}
	return nil
}

// PutWindow sets up a window (ID 0) in a hall or changes one, in a region the
// administrator administers. A window stays in its hall; its matters must be in the
// catalogue and its staff dispatchers of its region.
func (s *Service) PutWindow(ctx context.Context, u domain.User, w domain.Window) (domain.Window, error) {
	if err := adminOnly(u); err != nil {
		return w, err
	}
	today := domain.Today(s.now())
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		if w.ID != 0 {
			old, err := tx.Window(w.ID)
			if err != nil {
				return err
			}
			if w.HallID != 0 && w.HallID != old.HallID {
				return domain.Errorf(domain.EINVALID, "window %d stays in its hall %d; set up a new window in the other hall", w.ID, old.HallID)
			}
			w.HallID = old.HallID
		}
		h, err := tx.Hall(w.HallID)
		if domain.ErrorCode(err) == domain.ENOTFOUND && w.ID == 0 {
			return domain.Errorf(domain.EINVALID, "unknown hall %d: give the hall_id of a hall (GET /api/v1/halls)", w.HallID)
		}
		if err != nil {
			return err
		}
		switch {
		case w.ID != 0 && !domain.Administers(u, h.Region):
			return domain.Errorf(domain.ENOTFOUND, "window %d not found", w.ID)
		case !domain.Administers(u, h.Region):
			return outsideAdmin("hall "+h.Code+"'s", h.Region)
		}
		if err := w.Validate(h, today); err != nil {
			return err
		}
		if err := s.checkWindowLists(ctx, w); err != nil {
			return err
		}
		return logPut(ctx, s, tx, u, "window", &w.ID, tx.Window, func() error { return tx.PutWindow(&w) })
	})
	return w, err
}

// checkWindowLists checks that a window's matters are in the catalogue and that its
// staff are dispatchers (or administrators) whose region meets the window's.
func (s *Service) checkWindowLists(ctx context.Context, w domain.Window) error {
	if len(w.Matters) > 0 {
		ms, err := s.db.Matters(ctx)
		if err != nil {
			return err
		}
		for _, code := range w.Matters {
			if !slices.ContainsFunc(ms, func(m domain.Matter) bool { return m.Code == code }) {
				return domain.Errorf(domain.EINVALID, "window %s: unknown matter %q", w.Code, code)
			}
		}
	}
	for _, id := range w.Staff {
		p, err := s.db.User(ctx, id)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return domain.Errorf(domain.EINVALID, "window %s: unknown staff user %d", w.Code, id)
		} else if err != nil {
			return err
		}
		if !slices.ContainsFunc(p.Grants, func(g domain.Grant) bool {
			return (g.Role == domain.RoleDispatcher || g.Role == domain.RoleAdmin) &&
				(domain.Within(w.Region, g.Region) || domain.Within(g.Region, w.Region))
		}) {
			return domain.Errorf(domain.EINVALID, "window %s: staff user %d (%s) is no dispatcher of region %s", w.Code, id, p.Login, w.Region)
		}
	}
	return nil
}

// FilingWindows lists the windows open today that u, at the desk of region (u's first
// scope when ""), may file window cases through: those serving the region and those
// inside it, the ones u sits at first.
func (s *Service) FilingWindows(ctx context.Context, u domain.User, region string) ([]domain.Window, error) {
	region, err := domain.ReportRegion(u, region, "windows")
	if err != nil {
		return nil, err
	}
	above, err := s.db.WindowsServing(ctx, region)
	if err != nil {
		return nil, err
	}
	inside, err := s.db.Windows(ctx, region, 0)
	if err != nil {
		return nil, err
	}
	today := domain.Today(s.now())
	var out []domain.Window
	for _, w := range append(above, inside...) {
		if w.Active && w.OpenOn(today) && !slices.ContainsFunc(out, func(o domain.Window) bool { return o.ID == w.ID }) {
			out = append(out, w)
		}
	}
	slices.SortStableFunc(out, func(a, b domain.Window) int {
		return boolRank(slices.Contains(b.Staff, u.ID)) - boolRank(slices.Contains(a.Staff, u.ID))
	})
	return out, nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// fileWindow settles the window a window case came through (大综窗): the window it
// names must exist, be open today, serve the case's region and accept its matter by its
// channel. A case naming none is refused where windows serve its region (naming those
// that would take it) and goes without one where none do.
func (s *Service) fileWindow(ctx context.Context, f *filing) error {
	if !domain.IsWindowChannel(f.n.Channel) {
		return nil
	}
	today := domain.Today(s.now())
	if f.d.Window == "" {
		serving, err := s.db.WindowsServing(ctx, f.n.Region)
		if err != nil {
			return err
		}
		return domain.NoWindowGiven(serving, f.n.Region, f.n.Channel, f.m, today)
	}
	w, err := s.db.WindowByRef(ctx, f.d.Window)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return domain.Errorf(domain.EINVALID, "unknown window %q: give a window's code or id (GET /api/v1/windows)", f.d.Window)
	} else if err != nil {
		return err
	}
	if err := w.Takes(f.n.Region, f.n.Channel, f.m, today); err != nil {
		return err
	}
	f.d.Window, f.d.WindowID, f.window = w.Code, w.ID, &w
	return nil
}

// WindowStats reports the windows of the halls in region (u's first statistics scope
// when "") for the period [from, to): the windows set up on its last day, in all and by
// kind (those that took no case included), and what each window and hall received,
// counted when the cases were received. Leaders, dispatchers and administrators, in
// their own regions.
func (s *Service) WindowStats(ctx context.Context, u domain.User, region string, from, to time.Time) (domain.WindowReport, error) {
	region, err := domain.ReportRegion(u, region, "statistics")
	if err != nil {
		return domain.WindowReport{}, err
	}
	if !from.Before(to) {
		return domain.WindowReport{}, domain.Errorf(domain.EINVALID, "from must be before to")
	}
	halls, err := s.db.Halls(ctx, region)
	if err != nil {
		return domain.WindowReport{}, err
	}
	windows, err := s.db.Windows(ctx, region, 0)
	if err != nil {
		return domain.WindowReport{}, err
	}
	figures, err := s.db.WindowFigures(ctx, region, from, to)
	if err != nil {
		return domain.WindowReport{}, err
	}
	return domain.NewWindowReport(region, domain.Today(from), domain.Today(to.Add(-time.Second)), halls, windows, figures), nil
}

// WindowTable is the window report as a table for a CSV or XLSX download: each hall's
// total line followed by its windows, then the total; rates as the pages show them.
func WindowTable(rep domain.WindowReport) [][]string {
	rows := [][]string{
		{fmt.Sprintf("大综窗窗口受理统计 %s 至 %s", rep.From, rep.To)},
		{"服务大厅", "窗口编号", "窗口名称", "类型", "设立日期", "期末在设窗口", "受理", "办不成事", "办结", "按时办结", "按时办结率", "回访", "满意率"},
	}
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	figures := func(f domain.WindowFigures) []string {
		return []string{n(f.Received), n(f.CannotDo), n(f.Resolved), n(f.ResolvedOnTime), domain.PercentText(f.OnTimeRate), n(f.Visited), domain.PercentText(f.SatisfactionRate)}
	}
	setUp := func(w domain.WindowsSetUp) string {
		return fmt.Sprintf("%d（综合%d／办不成事%d／专业%d）", w.Total, w.Comprehensive, w.CannotDo, w.Specialised)
	}
	for _, h := range rep.Halls {
		rows = append(rows, append([]string{h.Name, h.Code, "合计", domain.HallKindNames[h.Kind], "", setUp(h.Windows)}, figures(h.WindowFigures)...))
		for _, w := range rep.Windows {
			if w.HallID != h.ID {
				continue
			}
			open := "否"
			if w.Open {
				open = "是"
			}
			rows = append(rows, append([]string{h.Name, w.Code, w.Name, domain.WindowKindNames[w.Kind], w.SetUp, open}, figures(w.WindowFigures)...))
		}
	}
	return append(rows, append([]string{"总计", "", "", "", "", setUp(rep.Total.Windows)}, figures(rep.Total.WindowFigures)...))
}
