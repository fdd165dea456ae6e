package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"whistle/domain"
	"whistle/store"
)

// The catalogue: regions down to micro-grids, orgs, matters, the working-day calendar,
// linkages and Open311 client apps. Every signed-in user reads it (forms and names need
// it); only administrators change it, and each change is checked here once for the API
// and the pages alike.

// adminOnly refuses anyone but an administrator.
func adminOnly(u domain.User) error {
	if !u.Has(domain.RoleAdmin) {
		return domain.Errorf(domain.EFORBIDDEN, "administrators only")
	}
	return nil
}

// installationAdmin refuses anyone but an administrator of the whole installation: the
// region tree, the orgs, the matters and the calendar serve every region, so an
// administrator of one street or county among others changes none of them (403).
func (s *Service) installationAdmin(ctx context.Context, u domain.User) error {
	if err := adminOnly(u); err != nil {
		return err
	}
	top, err := s.InstallationRegion(ctx)
	if err != nil {
		return err
	}
	if !domain.Administers(u, top) {
		return domain.Errorf(domain.EFORBIDDEN, "the catalogue and the calendar are the installation's: only administrators of all of it (%s) change them", top)
	}
	return nil
}

// InstallationSetting names the setting that holds the region the installation serves,
// for an installation that holds regions beyond its own: the demo serves 涟源市 and keeps
// 渌口区 (another city's district) for its investment projects, so its region tree
// branches at the province, though 涟源市's administrator runs it. Unset, the region is
// read off the tree.
const InstallationSetting = "installation_region"

// InstallationRegion is the region the installation serves: the setting when there is
// one, else the top of its region tree below which it first branches ("" when it holds
// several provinces). A county's installation holds the province and the city above it
// only as names.
func (s *Service) InstallationRegion(ctx context.Context) (string, error) {
	if v, err := s.db.Setting(ctx, InstallationSetting); err != nil || v != "" {
		return v, err
	}
	code := ""
	for depth := 0; depth < 8; depth++ {
		kids, err := s.db.Children(ctx, code)
		if err != nil || len(kids) != 1 {
			return code, err
		}
		code = kids[0].Code
	}
	return code, nil
}

// Region reads one region.
func (s *Service) Region(ctx context.Context, code string) (domain.Region, error) {
	return s.db.Region(ctx, code)
}

// Children lists the regions directly under parent ("" for the top level).
func (s *Service) Children(ctx context.Context, parent string) ([]domain.Region, error) {
	return s.db.Children(ctx, parent)
}

// Ancestors lists the regions above code, the top first.
func (s *Service) Ancestors(ctx context.Context, code string) ([]domain.Region, error) {
	return s.db.Ancestors(ctx, code)
}

// RegionNames names the regions of codes; unknown codes are left out.
func (s *Service) RegionNames(ctx context.Context, codes []string) (map[string]string, error) {
	return s.db.RegionNames(ctx, codes)
}

// Grids lists the grids under root ("" for all) with their polygons.
func (s *Service) Grids(ctx context.Context, root string) ([]domain.Region, error) {
	return s.db.Grids(ctx, root)
}

// RegionFamily is a region with the regions above it and those directly under it.
type RegionFamily struct {
	Region    domain.Region
	Ancestors []domain.Region
	Children  []domain.Region
}

// Family reads a region with its ancestors and children; code "" is the top level,
// which has children only.
func (s *Service) Family(ctx context.Context, code string) (RegionFamily, error) {
	var f RegionFamily
	var err error
	if code != "" {
		if f.Region, err = s.db.Region(ctx, code); err != nil {
			return f, err
		}
		if f.Ancestors, err = s.db.Ancestors(ctx, code); err != nil {
			return f, err
		}
	}
	f.Children, err = s.db.Children(ctx, code)
	return f, err
}

// Locate names the grid (or the smallest region with a polygon) holding a position.
func (s *Service) Locate(ctx context.Context, lat, lon float64) (domain.Region, error) {
	if !domain.ValidPosition(lat, lon) {
		return domain.Region{}, domain.Errorf(domain.EINVALID, "lat and lon must be numbers in range")
	}
	return s.db.Locate(ctx, lat, lon)
}

// PutRegion adds or changes a region (administrators draw grids and micro-grids with
// their polygons): the code gives its level and parent, and the parent must exist.
func (s *Service) PutRegion(ctx context.Context, u domain.User, reg domain.Region) (domain.Region, error) {
	if err := s.installationAdmin(ctx, u); err != nil {
		return reg, err
	}
	level, err := domain.LevelOf(reg.Code)
	if err != nil {
		return reg, err
	}
	if reg.Name == "" || len(reg.Name) > 200 {
		return reg, domain.Errorf(domain.EINVALID, "a region needs a name of at most 200 bytes")
	}
	if (reg.Lat == nil) != (reg.Lon == nil) || reg.Lat != nil && !domain.ValidPosition(*reg.Lat, *reg.Lon) {
		return reg, domain.Errorf(domain.EINVALID, "a region's centre needs both lat and lon, in range")
	}
	reg.Level, reg.Parent = level, domain.ParentCode(reg.Code)
	if reg.Parent != "" {
		if _, err := s.db.Region(ctx, reg.Parent); err != nil {
			return reg, domain.Errorf(domain.EINVALID, "parent region %s does not exist", reg.Parent)
		}
	}
	if err := s.checkOutline(ctx, reg); err != nil {
		return reg, err
	}
	err = s.audited(ctx, u, "region.put", "region/"+reg.Code, func(tx *store.Tx) (domain.Change, error) {
		return swap(func() (domain.Region, error) { return tx.Region(reg.Code) }, func() error { return tx.PutRegions([]domain.Region{reg}) })
	})
	if err != nil {
		return reg, err
	}
	return s.db.Region(ctx, reg.Code)
}

// checkOutline checks a region's polygon, as drawn on the map or imported: a valid
// outline (domain.CheckOutline), every vertex near its parent: inside the parent's box
// grown by a fifth (1 km at least) or, for a parent without a polygon, inside the box
// of its other children grown by its size (5 km at least: a new grid may extend a
// community). A parent with neither takes any outline. What it catches is the outline
// drawn in the wrong place: latitude and longitude swapped, a digit lost.
func (s *Service) checkOutline(ctx context.Context, reg domain.Region) error {
	if reg.Polygon == "" {
		return nil
	}
	p, err := domain.ParsePolygon(reg.Polygon)
	if err != nil {
		return &domain.Error{Code: domain.EINVALID, Key: "region.polygon", Message: domain.ErrorMessage(err)}
	}
	if err := p.CheckOutline(); err != nil {
		return err
	}
	if reg.Parent == "" {
		return nil
	}
	box, grow, err := s.nearParent(ctx, reg)
	if err != nil || box == nil {
		return err
	}
	dLat, dLon := max((box[1]-box[0])*grow[0], grow[1]), max((box[3]-box[2])*grow[0], grow[1])
	for _, ring := range p.Rings() {
		for _, pt := range ring {
			if pt[1] < box[0]-dLat || pt[1] > box[1]+dLat || pt[0] < box[2]-dLon || pt[0] > box[3]+dLon {
				return domain.Invalidf("region.polygon_far", "polygon: the point %.6f, %.6f lies far outside parent region %s", pt[1], pt[0], reg.Parent)
			}
		}
	}
	return nil
}

// nearParent gives the box (min lat, max lat, min lon, max lon) a region's outline must
// lie near, and how much it grows (a fraction of its size, at least so many degrees):
// the parent's polygon's, or its other children's; nil when neither has a polygon.
func (s *Service) nearParent(ctx context.Context, reg domain.Region) (*[4]float64, [2]float64, error) {
	parent, err := s.db.Region(ctx, reg.Parent)
	if err != nil {
		return nil, [2]float64{}, err
	}
	if pp, err := domain.ParsePolygon(parent.Polygon); parent.Polygon != "" && err == nil {
		a, b, c, d := pp.Box()
		return &[4]float64{a, b, c, d}, [2]float64{0.2, 0.01}, nil
	}
	kids, err := s.db.Children(ctx, reg.Parent)
	if err != nil {
		return nil, [2]float64{}, err
	}
	var box *[4]float64
	for _, k := range kids {
		kp, err := domain.ParsePolygon(k.Polygon)
		if k.Code == reg.Code || k.Polygon == "" || err != nil {
			continue
		}
		a, b, c, d := kp.Box()
		if box == nil {
			box = &[4]float64{a, b, c, d}
		}
		box = &[4]float64{min(box[0], a), max(box[1], b), min(box[2], c), max(box[3], d)}
	}
	return box, [2]float64{1, 0.05}, nil
}

// Orgs lists every org.
func (s *Service) Orgs(ctx context.Context) ([]domain.Org, error) { return s.db.Orgs(ctx) }

// PutOrg adds or changes an org; its region, when given, must exist.
func (s *Service) PutOrg(ctx context.Context, u domain.User, o domain.Org) error {
	if err := s.installationAdmin(ctx, u); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	if o.Region != "" {
		if _, err := s.db.Region(ctx, o.Region); err != nil {
			return domain.Invalidf("org.region_unknown", "unknown region %s", o.Region)
		}
	}
	return s.audited(ctx, u, "org.put", "org/"+o.Code, func(tx *store.Tx) (domain.Change, error) {
		return swap(func() (domain.Org, error) { return tx.Org(o.Code) }, func() error { return tx.PutOrg(o) })
	})
}

// Matters lists the matter catalogue.
func (s *Service) Matters(ctx context.Context) ([]domain.Matter, error) { return s.db.Matters(ctx) }

// Matter reads one matter.
func (s *Service) Matter(ctx context.Context, code string) (domain.Matter, error) {
	return s.db.Matter(ctx, code)
}

// MatterAttributes lists the extra fields a matter asks for; the matter must exist.
func (s *Service) MatterAttributes(ctx context.Context, code string) ([]domain.MatterAttribute, error) {
	if _, err := s.db.Matter(ctx, code); err != nil {
		return nil, err
	}
	return s.db.MatterAttributes(ctx, code)
}

// CatalogVersion changes whenever regions, orgs or matters change, so names read from
// them can be kept until it moves.
func (s *Service) CatalogVersion(ctx context.Context) (int64, error) {
	return s.db.CatalogVersion(ctx)
}

// PutMatters stores matters (one edited, or a whole imported catalogue) all or none.
func (s *Service) PutMatters(ctx context.Context, u domain.User, ms []domain.Matter) error {
	if err := s.installationAdmin(ctx, u); err != nil {
		return err
	}
	return s.db.Update(ctx, func(tx *store.Tx) error {
		for _, m := range ms {
			c, err := swap(func() (domain.Matter, error) { return tx.Matter(m.Code) }, func() error { return tx.PutMatter(m) })
			if err != nil {
				return err
			}
			if err := s.audit(ctx, tx, u, "matter.put", "matter/"+m.Code, c); err != nil {
				return err
			}
		}
		return nil
	})
}

// Calendar reads the working-day calendar with the office hours.
func (s *Service) Calendar(ctx context.Context) (*domain.Calendar, error) {
	return s.db.Calendar(ctx)
}

// CalendarYear is one year of the calendar as an administrator edits it.
type CalendarYear struct {
	Year   int
	Office []domain.Span
	Days   []domain.CalendarDay
}

// CalendarYear reads one year's exceptional days and the office hours.
func (s *Service) CalendarYear(ctx context.Context, year int) (CalendarYear, error) {
	if year < 2000 || year > 2100 {
		return CalendarYear{}, domain.Errorf(domain.EINVALID, "year must be 2000 to 2100")
	}
	days, err := s.db.CalendarDays(ctx, year)
	if err != nil {
		return CalendarYear{}, err
	}
	cal, err := s.db.Calendar(ctx)
	if err != nil {
		return CalendarYear{}, err
	}
	return CalendarYear{Year: year, Office: cal.Office, Days: days}, nil
}

// PutCalendarYear replaces a year's exceptional days and, when given, the office hours.
func (s *Service) PutCalendarYear(ctx context.Context, u domain.User, y CalendarYear) error {
	if err := s.installationAdmin(ctx, u); err != nil {
		return err
	}
	if y.Year < 2000 || y.Year > 2100 {
		return domain.Errorf(domain.EINVALID, "year must be 2000 to 2100")
	}
	for _, d := range y.Days {
		if err := domain.ValidateDay(d); err != nil {
			return err
		}
		if !strings.HasPrefix(d.Date, strconv.Itoa(y.Year)+"-") {
			return domain.Invalidf("calendar.year", "%s is not in %d", d.Date, y.Year)
		}
	}
	return s.audited(ctx, u, "calendar.put", "calendar/"+strconv.Itoa(y.Year), func(tx *store.Tx) (domain.Change, error) {
		return swap(func() (CalendarYear, error) { return calendarYear(tx, y.Year) }, func() error {
			if err := tx.PutCalendarYear(y.Year, y.Days); err != nil || y.Office == nil {
				return err
			}
			return tx.PutOfficeHours(y.Office)
		})
	})
}

// calendarYear reads a year of the calendar in tx, as CalendarYear does.
func calendarYear(tx *store.Tx, year int) (CalendarYear, error) {
	days, err := tx.CalendarDays(year)
	if err != nil {
		return CalendarYear{}, err
	}
	cal, err := tx.Calendar()
	if err != nil {
		return CalendarYear{}, err
	}
	return CalendarYear{Year: year, Office: cal.Office, Days: days}, nil
}

// Linkages lists the linkages (包联) of a kind and target that lie in u's regions:
// leaders, dispatchers and administrators read those whose place (the community, the
// enterprise's region) is within the scope of one of their grants, so another street's
// are not theirs; one whose place is unknown (an enterprise not registered, a
// household) only administrators, who keep the linkages and must be able to end it.
func (s *Service) Linkages(ctx context.Context, u domain.User, kind, target string) ([]domain.Linkage, error) {
	if len(domain.ReadScopes(u)) == 0 {
		return nil, domain.Errorf(domain.EFORBIDDEN, "linkages are for administrators, leaders and dispatchers")
	}
	all, err := s.db.Linkages(ctx, kind, target)
	if err != nil {
		return nil, err
	}
	out := []domain.Linkage{}
	for _, l := range all {
		if domain.ReadsPlace(u, l.Place) || l.Place == "" && u.Has(domain.RoleAdmin) {
			out = append(out, l)
		}
	}
	return out, nil
}

// PutLinkage adds (ID 0) or changes a linkage.
func (s *Service) PutLinkage(ctx context.Context, u domain.User, l domain.Linkage) (domain.Linkage, error) {
	if err := adminOnly(u); err != nil {
		return l, err
	}
	err := s.db.Update(ctx, func(tx *store.Tx) error {
		return logPut(ctx, s, tx, u, "linkage", &l.ID, tx.Linkage, func() error { return tx.PutLinkage(&l) })
	})
	return l, err
}

// Clients lists the Open311 client apps.
func (s *Service) Clients(ctx context.Context, u domain.User) ([]domain.Client, error) {
	if err := adminOnly(u); err != nil {
		return nil, err
	}
	return s.db.Clients(ctx)
}

// SetClientDisabled turns an Open311 client app's key off or on again.
func (s *Service) SetClientDisabled(ctx context.Context, u domain.User, id int64, disabled bool) error {
	if err := adminOnly(u); err != nil {
		return err
	}
	action := "client.enable"
	if disabled {
		action = "client.disable"
	}
	return s.audited(ctx, u, action, objectID("client", id), func(tx *store.Tx) (domain.Change, error) {
		return domain.Change{}, tx.SetClientDisabled(id, disabled)
	})
}

// RecentMatters lists up to n matters u reported most recently, the latest first: the
// phone form offers them before the whole catalogue. It reads only u's own cases.
func (s *Service) RecentMatters(ctx context.Context, u domain.User, n int) ([]string, error) {
	codes, err := s.db.ReportedMatters(ctx, u.ID, 50)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, c := range codes {
		if len(out) < n && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// RegionHit is a region found by the picker's search, with the names above it so two
// villages of one name can be told apart.
type RegionHit struct {
	domain.Region
	Path string `json:"path"` // the ancestors' names, the top first: "湖南省 娄底市 涟源市"
}

// SearchRegions finds up to 20 regions by name or code prefix for administrators'
// region pickers; text must hold at least one character.
func (s *Service) SearchRegions(ctx context.Context, u domain.User, text string) ([]RegionHit, error) {
	if err := adminOnly(u); err != nil {
		return nil, err
	}
	if text = strings.TrimSpace(text); text == "" || len(text) > 100 {
		return nil, domain.Invalidf("region.search", "search text must be 1 to 100 bytes")
	}
	rs, err := s.db.SearchRegions(ctx, text, 20)
	if err != nil {
		return nil, err
	}
	out := make([]RegionHit, 0, len(rs))
	for _, r := range rs {
		up, err := s.db.Ancestors(ctx, r.Code)
		if err != nil {
			return nil, err
		}
		names := make([]string, len(up))
		for i, a := range up {
			names[i] = a.Name
		}
		out = append(out, RegionHit{Region: r, Path: strings.Join(names, " ")})
	}
	return out, nil
}

// PutCalendarMonth replaces one month's exceptional days, leaving the rest of the year
// as it was, and the office hours when given: the month grid an administrator clicks.
// Every day must lie in the month.
func (s *Service) PutCalendarMonth(ctx context.Context, u domain.User, year, month int, office []domain.Span, days []domain.CalendarDay) error {
	if err := adminOnly(u); err != nil {
		return err
	}
	if year < 2000 || year > 2100 || month < 1 || month > 12 {
		return domain.Invalidf("calendar.month", "month %d-%d must be in 2000 to 2100", year, month)
	}
	prefix := fmt.Sprintf("%04d-%02d-", year, month)
	for _, d := range days {
		if err := domain.ValidateDay(d); err != nil {
			return err
		}
		if !strings.HasPrefix(d.Date, prefix) {
			return domain.Invalidf("calendar.not_in_month", "%s is not in %d-%02d", d.Date, year, month)
		}
	}
	return s.audited(ctx, u, "calendar.put", "calendar/"+strconv.Itoa(year), func(tx *store.Tx) (domain.Change, error) {
		return swap(func() (CalendarYear, error) { return calendarYear(tx, year) }, func() error {
			old, err := tx.CalendarDays(year)
			if err != nil {
				return err
			}
			kept := slices.DeleteFunc(old, func(d domain.CalendarDay) bool { return strings.HasPrefix(d.Date, prefix) })
			if err := tx.PutCalendarYear(year, append(kept, days...)); err != nil || office == nil {
				return err
			}
			return tx.PutOfficeHours(office)
		})
	})
}
