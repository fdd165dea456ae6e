package api

import (
	"bytes"
	"context"
	"net/http"
	"strconv"

	"whistle/domain"
	"whistle/importer"
	"whistle/service"
)

// regionView is a region with its 12-digit statistical code.
type regionView struct {
	domain.Region
	StatCode string `json:"stat_code"`
}

func viewRegion(r domain.Region) regionView { return regionView{r, r.StatCode()} }

// regionViews are regions listed without their polygons.
func regionViews(rs []domain.Region) []regionView {
	out := make([]regionView, len(rs))
	for i, r := range rs {
		r.Polygon = ""
		out[i] = viewRegion(r)
	}
	return out
}

func (s *Server) listRegions(w http.ResponseWriter, r *http.Request, _ domain.User) error {
	rs, err := s.svc.Children(r.Context(), r.URL.Query().Get("parent"))
	return reply(w, http.StatusOK, map[string]any{"regions": regionViews(rs)}, err)
}

// regionFamily is a region with the regions above it and those directly under it.
func (s *Server) regionFamily(ctx context.Context, code string) (map[string]any, error) {
	f, err := s.svc.Family(ctx, code)
	return map[string]any{"region": viewRegion(f.Region), "ancestors": regionViews(f.Ancestors), "children": regionViews(f.Children)}, err
}

func (s *Server) locate(w http.ResponseWriter, r *http.Request, _ domain.User) error {
	q := r.URL.Query()
	lat, err1 := strconv.ParseFloat(q.Get("lat"), 64)
	lon, err2 := strconv.ParseFloat(q.Get("lon"), 64)
	if err1 != nil || err2 != nil {
		return domain.Errorf(domain.EINVALID, "lat and lon must be numbers in range")
	}
	reg, err := s.svc.Locate(r.Context(), lat, lon)
	return reply(w, http.StatusOK, viewRegion(reg), err)
}

// putRegion adds or changes a region; administrators use it for grids and micro-grids
// with their polygons. What GET answers can be sent back as it is.
func (s *Server) putRegion(ctx context.Context, u domain.User, code string, body regionView) (regionView, error) {
	if body.Code != "" && body.Code != code {
		return body, domain.Errorf(domain.EINVALID, "code in the body differs from the path")
	}
	body.Code = code
	reg, err := s.svc.PutRegion(ctx, u, body.Region)
	return viewRegion(reg), err
}

func (s *Server) putOrg(ctx context.Context, u domain.User, code string, o domain.Org) (domain.Org, error) {
	o.Code = code
	return o, s.svc.PutOrg(ctx, u, o)
}

func (s *Server) putMatter(ctx context.Context, u domain.User, code string, m domain.Matter) (domain.Matter, error) {
	m.Code = code
	return m, s.svc.PutMatters(ctx, u, []domain.Matter{m})
}

func (s *Server) exportMatters(w http.ResponseWriter, r *http.Request, _ domain.User) error {
	ms, err := s.svc.Matters(r.Context())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := importer.WriteMatters(&buf, ms); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="matters.csv"`)
	w.Write(buf.Bytes())
	return nil
}

// importMatters takes a whole catalog CSV; a bad row stores nothing.
func (s *Server) importMatters(w http.ResponseWriter, r *http.Request, u domain.User) error {
	body, err := readBody(w, r, 8<<20, "CSV")
	if err != nil {
		return err
	}
	ms, err := importer.ReadMatters(bytes.NewReader(body))
	if err == nil {
		err = s.svc.PutMatters(r.Context(), u, ms)
	}
	return reply(w, http.StatusOK, map[string]int{"imported": len(ms)}, err)
}

// calendarDoc is one year of the working-day calendar with the office hours.
type calendarDoc struct {
	Year        int                  `json:"year"`
	OfficeHours string               `json:"office_hours"`
	Days        []domain.CalendarDay `json:"days"`
}

// pathYear is the calendar year in the path; one that is not a number is year 0, which
// the service refuses as it refuses any year out of range.
func pathYear(r *http.Request) (int, error) {
	year, _ := strconv.Atoi(r.PathValue("year"))
	return year, nil
}

func (s *Server) calendar(ctx context.Context, year int) (calendarDoc, error) {
	y, err := s.svc.CalendarYear(ctx, year)
	return calendarDoc{Year: y.Year, OfficeHours: domain.FormatOffice(y.Office), Days: y.Days}, err
}

// putCalendar replaces a year's exceptional days and, when given, the office hours.
func (s *Server) putCalendar(ctx context.Context, u domain.User, year int, doc calendarDoc) (calendarDoc, error) {
	if doc.Year != 0 && doc.Year != year {
		return doc, domain.Errorf(domain.EINVALID, "year in the body differs from the path")
	}
	y := service.CalendarYear{Year: year, Days: doc.Days}
	if doc.OfficeHours != "" {
		var err error
		if y.Office, err = domain.ParseOffice(doc.OfficeHours); err != nil {
			return doc, err
		}
	}
	if err := s.svc.PutCalendarYear(ctx, u, y); err != nil {
		return doc, err
	}
	return s.calendar(ctx, year)
}

// catalogRoutes registers the catalogue: regions, orgs, matters and the calendar.
func (s *Server) catalogRoutes() {
	s.authed("GET /api/v1/regions", s.listRegions)
	s.authed("GET /api/v1/regions/{code}", readAt(pathCode, anyone(s.regionFamily)))
	s.authed("GET /api/v1/locate", s.locate)
	s.admin("PUT /api/v1/regions/{code}", writeAt(pathCode, http.StatusOK, s.putRegion))
	s.authed("GET /api/v1/orgs", list("orgs", everyone(s.svc.Orgs)))
	s.admin("PUT /api/v1/orgs/{code}", writeAt(pathCode, http.StatusOK, s.putOrg))
	s.authed("GET /api/v1/matters", list("matters", everyone(s.svc.Matters)))
	s.authed("GET /api/v1/matters/{code}", readAt(pathCode, anyone(s.svc.Matter)))
	s.admin("PUT /api/v1/matters/{code}", writeAt(pathCode, http.StatusOK, s.putMatter))
	s.admin("GET /api/v1/matters.csv", s.exportMatters)
	s.admin("POST /api/v1/matters.csv", s.importMatters)
	s.authed("GET /api/v1/calendar/{year}", readAt(pathYear, anyone(s.calendar)))
	s.admin("PUT /api/v1/calendar/{year}", writeAt(pathYear, http.StatusOK, s.putCalendar))
}
