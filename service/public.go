package service

import (
	"context"
	"strings"
	"time"

	"whistle/domain"
)

// Public page limits: how many reports and how many look-ups one address may make per
// window. The counters are rows, so every server shares them.
const (
	PublicReportsPerHour   = 10
	PublicFollowsPerMinute = 20
)

// limit counts one use of what by who and refuses it past max in the window.
func (s *Service) limit(ctx context.Context, what, who string, window time.Duration, max int) error {
	win := s.now().Unix() / int64(window.Seconds())
	ok, err := s.db.Hit(ctx, what+":"+who, win, max)
	if err != nil {
		return err
	}
	if !ok {
		return domain.Errorf(domain.ETOOMANY, "too many requests from your address; try again later")
	}
	return nil
}

// PublicReport files a report from the public page: no login, rate-limited per address,
// always by the online door, and answered with a receipt number and secret to follow it.
func (s *Service) PublicReport(ctx context.Context, addr string, in Intake) (*Receipt, error) {
	if err := s.limit(ctx, "report", addr, time.Hour, PublicReportsPerHour); err != nil {
		return nil, err
	}
	in.Case.Channel, in.Receipt = "online", true
	in.Details = domain.IntakeDetails{}
	in.Case.Reporter.UserID = 0
	return s.FileIntake(ctx, PublicUser, in)
}

// Step is one moment of a case as the public sees it.
type Step struct {
	At     time.Time     `json:"at"`
	Action domain.Action `json:"action"`
	Status domain.Status `json:"status"`
}

// PublicView is a case as its reporter follows it on the public page: where it stands
// and what happened when, without names, notes or anyone's contact data.
type PublicView struct {
	Number      string         `json:"number"`
	Title       string         `json:"title"`
	Service     string         `json:"service"`
	Status      domain.Status  `json:"status"`
	Channel     domain.Channel `json:"channel"`
	Open        bool           `json:"open"`
	StatusNotes string         `json:"status_notes,omitempty"`
	Agency      string         `json:"agency,omitempty"`
	Created     time.Time      `json:"created_at"`
	Updated     time.Time      `json:"updated_at"`
	Expected    *time.Time     `json:"expected_at,omitempty"`
	Steps       []Step         `json:"steps"`
}

// Follow finds a case by its receipt number and secret for the public page; wrong
// pairs and unknown numbers give the same answer, and look-ups are rate-limited.
func (s *Service) Follow(ctx context.Context, addr, number, secret string) (*PublicView, error) {
	if err := s.limit(ctx, "follow", addr, time.Minute, PublicFollowsPerMinute); err != nil {
		return nil, err
	}
	number, secret = strings.TrimSpace(number), strings.ToUpper(strings.TrimSpace(secret))
	if number == "" || secret == "" || len(number) > 40 || len(secret) > 40 {
		return nil, domain.Errorf(domain.EINVALID, "give the receipt number and its secret")
	}
	id, err := s.db.CaseByReceipt(ctx, number, secret)
	if err != nil {
		return nil, err
	}
	reqs, err := s.PublicRequests(ctx, domain.PublicFilter{IDs: []int64{id}, Limit: 1})
	if err != nil {
		return nil, err
	}
	c, err := s.db.Case(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &PublicView{Number: c.Number, Title: domain.RedactContacts(c.Title), Status: c.Status, Channel: c.Channel, Open: !c.Status.Terminal(),
		Created: c.CreatedAt, Updated: c.UpdatedAt, Expected: c.ResolveDue, Steps: []Step{}}
	if len(reqs) == 1 { // public matters carry their names and notes
		v.Service, v.StatusNotes, v.Agency = reqs[0].ServiceName, reqs[0].StatusNotes, reqs[0].Agency
	}
	for _, e := range c.Events {
		if e.Action == domain.ActComment {
			continue
		}
		v.Steps = append(v.Steps, Step{At: e.At, Action: e.Action, Status: e.To})
	}
	return v, nil
}

// FilePublic files a report from a public door (no login), for the API and the public
// page alike: the matter must be one the public may report under, the report must say
// what is wrong (a title or a description) and the phone, when given, be well formed; a
// report without a title is titled by the first line of its description.
// Then it goes as PublicReport does, rate-limited per address.
func (s *Service) FilePublic(ctx context.Context, addr string, in Intake) (*Receipt, error) {
	n := &in.Case
	if n.Reporter.Phone != "" {
		if err := domain.ValidatePhone(n.Reporter.Phone); err != nil {
			return nil, err
		}
	}
	m, err := s.db.Matter(ctx, n.Matter)
	if err != nil || !m.Public {
		return nil, domain.Errorf(domain.EINVALID, "unknown matter %q", n.Matter)
	}
	if n.Title == "" {
		n.Title = domain.TitleFrom(n.Description)
	}
	if n.Title == "" {
		return nil, domain.Errorf(domain.EINVALID, "describe the problem")
	}
	return s.PublicReport(ctx, addr, in)
}
