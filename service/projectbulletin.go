package service

import (
	"context"
	"time"

	"whistle/domain"
	"whistle/store"
)

// ProjectBulletin is the weekly project bulletin (项目推进周报) of a region: the week's
// stages reached, approvals decided (and how many ran late), items filed, items late
// and still open, problems raised, and next week's planned stages, with the region's
// figures for the year beside them.
type ProjectBulletin struct {
	Region  string         `json:"region"`
	From    string         `json:"from"` // the week's Monday
	To      string         `json:"to"`   // its Sunday
	Figures ProjectFigures `json:"figures"`
	store.ProjectWeek
	Approved    int `json:"approved"`
	Refused     int `json:"refused"`
	DecidedLate int `json:"decided_late"` // decided after the promised limit
}

// ProjectBulletin reads the bulletin of the week holding day (YYYY-MM-DD; this week when
// "") for leaders, dispatchers and administrators of region (their first scope when "").
func (s *Service) ProjectBulletin(ctx context.Context, u domain.User, region, day string) (ProjectBulletin, error) {
	region, err := domain.ReportRegion(u, region, "project bulletins")
	if err != nil {
		return ProjectBulletin{}, err
	}
	d := s.now().In(domain.China)
	if day != "" {
		if d, err = time.ParseInLocation(time.DateOnly, day, domain.China); err != nil {
			return ProjectBulletin{}, domain.Invalidf("week", "week must be a day, YYYY-MM-DD")
		}
	}
	monday := time.Date(d.Year(), d.Month(), d.Day()-(int(d.Weekday())+6)%7, 0, 0, 0, 0, domain.China)
	next, after := monday.AddDate(0, 0, 7), monday.AddDate(0, 0, 14)
	b := ProjectBulletin{Region: region, From: monday.Format(time.DateOnly), To: next.AddDate(0, 0, -1).Format(time.DateOnly)}
	if b.Figures, err = s.ProjectFigures(ctx, u, region, monday.Format("2006")); err != nil {
		return b, err
	}
	b.ProjectWeek, err = s.db.ProjectWeek(ctx, region, monday.Unix(), next.Unix(), b.From, next.Format(time.DateOnly), after.Format(time.DateOnly))
	for _, r := range b.Decided {
		switch domain.ItemState(r.State) {
		case domain.ItemApproved:
			b.Approved++
		case domain.ItemRefused:
			b.Refused++
		}
		if r.Late {
			b.DecidedLate++
		}
	}
	return b, err
}
