package api

import (
	"net/http"
	"time"

	"whistle/domain"
	"whistle/transport"
)

func (s *Server) stats(w http.ResponseWriter, r *http.Request, u domain.User) {
	q := r.URL.Query()
	region, err := domain.ReportRegion(u, q.Get("region"), "statistics")
	if err != nil {
		s.error(w, r, err)
		return
	}
	now := s.svc.Store().Now().In(domain.China) // the database clock, as every deadline uses
	sq := domain.StatsQuery{Region: region, By: q.Get("by"), From: q.Get("from"), To: q.Get("to")}
	if sq.From == "" {
		sq.From = now.AddDate(0, -11, 0).Format("2006-01") // the last twelve months
	}
	if sq.To == "" {
		sq.To = now.Format("2006-01")
	}
	// statistics are kept per month: a period is whole months, and the answer says which
	first, err1 := monthOf(sq.From)
	last, err2 := monthOf(sq.To)
	if err1 != nil || err2 != nil || last.Before(first) {
		s.error(w, r, domain.Errorf(domain.EINVALID, "from and to must be months YYYY-MM or dates YYYY-MM-DD, from not after to"))
		return
	}
	sq.From, sq.To = first.Format("2006-01-02"), last.AddDate(0, 1, -1).Format("2006-01-02")
	rows, err := s.svc.Store().Stats(r.Context(), sq)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.nameGroups(r, sq.By, rows); err != nil {
		s.error(w, r, err)
		return
	}
	transport.WriteJSON(w, http.StatusOK, map[string]any{"region": region, "from": sq.From, "to": sq.To, "by": sq.By, "rows": rows})
}

// monthOf reads YYYY-MM or YYYY-MM-DD and gives the first day of its month.
func monthOf(v string) (time.Time, error) {
	if len(v) == len("2006-01-02") {
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return time.Time{}, err
		}
		v = v[:7]
	}
	return time.Parse("2006-01", v)
}

// nameGroups labels statistic rows with region, org or matter names.
func (s *Server) nameGroups(r *http.Request, by string, rows []domain.Stats) error {
	names := map[string]string{}
	switch by {
	case "region":
		codes := make([]string, len(rows))
		for i, row := range rows {
			codes[i] = row.Group
		}
		var err error
		if names, err = s.svc.Store().RegionNames(r.Context(), codes); err != nil {
			return err
		}
	case "org":
		orgs, err := s.svc.Store().Orgs(r.Context())
		if err != nil {
			return err
		}
		for _, o := range orgs {
			names[o.Code] = o.Name
		}
	case "matter":
		ms, err := s.svc.Store().Matters(r.Context())
		if err != nil {
			return err
		}
		for _, m := range ms {
			names[m.Code] = m.Name
		}
	}
	for i := range rows {
		rows[i].Name = names[rows[i].Group]
	}
	return nil
}
