package api

import (
	"bytes"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"

	"whistle/domain"
	"whistle/importer"
	"whistle/transport"
)

// regionView is a region with its 12-digit statistical code.
type regionView struct {
	domain.Region
	StatCode string `json:"stat_code"`
}

func regionViews(rs []domain.Region) []regionView {
	out := make([]regionView, len(rs))
	for i, r := range rs {
		r.Polygon = ""
		out[i] = regionView{r, r.StatCode()}
	}
	return out
}

func (s *Server) listRegions(w http.ResponseWriter, r *http.Request, _ domain.User) {
	rs, err := s.svc.Store().Children(r.Context(), r.URL.Query().Get("parent"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"regions": regionViews(rs)})
}

func (s *Server) getRegion(w http.ResponseWriter, r *http.Request, _ domain.User) {
	ctx := r.Context()
	reg, err := s.svc.Store().Region(ctx, r.PathValue("code"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	anc, err := s.svc.Store().Ancestors(ctx, reg.Code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	kids, err := s.svc.Store().Children(ctx, reg.Code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"region": regionView{reg, reg.StatCode()}, "ancestors": regionViews(anc), "children": regionViews(kids)})
}

func (s *Server) locate(w http.ResponseWriter, r *http.Request, _ domain.User) {
	lat, err1 := strconv.ParseFloat(r.URL.Query().Get("lat"), 64)
	lon, err2 := strconv.ParseFloat(r.URL.Query().Get("lon"), 64)
	if err1 != nil || err2 != nil || math.IsNaN(lat) || math.IsNaN(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		s.error(w, r, domain.Errorf(domain.EINVALID, "lat and lon must be numbers in range"))
		return
	}
	reg, err := s.svc.Store().Locate(r.Context(), lat, lon)
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, regionView{reg, reg.StatCode()})
}

// putRegion adds or changes a region; administrators use it for grids and micro-grids
// with their polygons. The parent must exist.
func (s *Server) putRegion(w http.ResponseWriter, r *http.Request, _ domain.User) {
	var body regionView // what GET answers can be sent back as it is
	if err := transport.Decode(w, r, &body); err != nil {
		s.error(w, r, err)
		return
	}
	reg := body.Region
	if reg.Code != "" && reg.Code != r.PathValue("code") {
		s.error(w, r, domain.Errorf(domain.EINVALID, "code in the body differs from the path"))
		return
	}
	reg.Code = r.PathValue("code")
	level, err := domain.LevelOf(reg.Code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if reg.Name == "" || len(reg.Name) > 200 {
		s.error(w, r, domain.Errorf(domain.EINVALID, "a region needs a name"))
		return
	}
	reg.Level, reg.Parent = level, domain.ParentCode(reg.Code)
	if reg.Parent != "" {
		if _, err := s.svc.Store().Region(r.Context(), reg.Parent); err != nil {
			s.error(w, r, domain.Errorf(domain.EINVALID, "parent region %s does not exist", reg.Parent))
			return
		}
	}
	if err := s.svc.Store().PutRegions(r.Context(), []domain.Region{reg}); err != nil {
		s.error(w, r, err)
		return
	}
	reg, _ = s.svc.Store().Region(r.Context(), reg.Code)
	transport.WriteJSON(w, http.StatusOK, regionView{reg, reg.StatCode()})
}

func (s *Server) listOrgs(w http.ResponseWriter, r *http.Request, _ domain.User) {
	orgs, err := s.svc.Store().Orgs(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"orgs": orgs})
}

func (s *Server) putOrg(w http.ResponseWriter, r *http.Request, _ domain.User) {
	var o domain.Org
	if err := transport.Decode(w, r, &o); err != nil {
		s.error(w, r, err)
		return
	}
	o.Code = r.PathValue("code")
	if o.Region != "" {
		if _, err := s.svc.Store().Region(r.Context(), o.Region); err != nil {
			s.error(w, r, domain.Errorf(domain.EINVALID, "unknown region %s", o.Region))
			return
		}
	}
	if err := s.svc.Store().PutOrg(r.Context(), o); err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, o)
}

func (s *Server) listMatters(w http.ResponseWriter, r *http.Request, _ domain.User) {
	ms, err := s.svc.Store().Matters(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"matters": ms})
}

func (s *Server) getMatter(w http.ResponseWriter, r *http.Request, _ domain.User) {
	m, err := s.svc.Store().Matter(r.Context(), r.PathValue("code"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, m)
}

func (s *Server) putMatter(w http.ResponseWriter, r *http.Request, _ domain.User) {
	var m domain.Matter
	if err := transport.Decode(w, r, &m); err != nil {
		s.error(w, r, err)
		return
	}
	m.Code = r.PathValue("code")
	if err := s.svc.Store().PutMatters(r.Context(), []domain.Matter{m}); err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, m)
}

func (s *Server) exportMatters(w http.ResponseWriter, r *http.Request, _ domain.User) {
	ms, err := s.svc.Store().Matters(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := importer.WriteMatters(&buf, ms); err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="matters.csv"`)
	w.Write(buf.Bytes())
}

// importMatters takes a whole catalog CSV; a bad row stores nothing.
func (s *Server) importMatters(w http.ResponseWriter, r *http.Request, _ domain.User) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 8<<20))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		s.error(w, r, domain.Errorf(domain.EINVALID, "CSV larger than 8 MiB"))
		return
	} else if err != nil {
		s.error(w, r, domain.Errorf(domain.EINVALID, "could not read the CSV body: %v", err))
		return
	}
	ms, err := importer.ReadMatters(bytes.NewReader(body))
	if err == nil {
		err = s.svc.Store().PutMatters(r.Context(), ms)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]int{"imported": len(ms)})
}

// calendarDoc is one year of the working-day calendar with the office hours.
type calendarDoc struct {
	Year        int                  `json:"year"`
	OfficeHours string               `json:"office_hours"`
	Days        []domain.CalendarDay `json:"days"`
}

func pathYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < 2000 || y > 2100 {
		return 0, domain.Errorf(domain.EINVALID, "year must be 2000 to 2100")
	}
	return y, nil
}

func (s *Server) getCalendar(w http.ResponseWriter, r *http.Request, _ domain.User) {
	year, err := pathYear(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	days, err := s.svc.Store().CalendarDays(r.Context(), year)
	if err != nil {
		s.error(w, r, err)
		return
	}
	cal, err := s.svc.Store().Calendar(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, calendarDoc{Year: year, OfficeHours: domain.FormatOffice(cal.Office), Days: days})
}

func (s *Server) putCalendar(w http.ResponseWriter, r *http.Request, u domain.User) {
	year, err := pathYear(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var doc calendarDoc
	if err := transport.Decode(w, r, &doc); err != nil {
		s.error(w, r, err)
		return
	}
	if doc.Year != 0 && doc.Year != year {
		s.error(w, r, domain.Errorf(domain.EINVALID, "year in the body differs from the path"))
		return
	}
	var office []domain.Span
	if doc.OfficeHours != "" {
		if office, err = domain.ParseOffice(doc.OfficeHours); err != nil {
			s.error(w, r, err)
			return
		}
	}
	if err := s.svc.Store().PutCalendarYear(r.Context(), year, doc.Days); err != nil {
		s.error(w, r, err)
		return
	}
	if office != nil {
		if err := s.svc.Store().PutOfficeHours(r.Context(), office); err != nil {
			s.error(w, r, err)
			return
		}
	}
	s.getCalendar(w, r, u)
}
