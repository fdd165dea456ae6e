package service

import (
	"context"
	"crypto/rand"
	"fmt"

	"whistle/domain"
	"whistle/store"
)

// Intake is one filing through a door: the case, what the door records beside it, the
// files that came with it, and whether the reporter gets a receipt secret to follow it
// without logging in (windows and the public page).
type Intake struct {
	Case    domain.NewCase
	Details domain.IntakeDetails
	Files   []Upload
	Receipt bool
	Within  string // the region the door serves (an Open311 jurisdiction), "" for any
}

// Receipt is what the reporter is handed: the case, its number, the secret that opens
// it on the public page (shown once, stored hashed), the Open311 token, and any likely
// duplicates the dispatcher will be shown.
type Receipt struct {
	Case        *domain.Case        `json:"case"`
	Number      string              `json:"number"`
	Secret      string              `json:"secret,omitempty"`
	Token       string              `json:"token,omitempty"`
	Duplicates  []domain.Duplicate  `json:"duplicates"`
	Attachments []domain.Attachment `json:"attachments"`
}

// secretAlphabet leaves out look-alikes (0/O, 1/I/L) so a receipt is read aloud safely.
const secretAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

func newSecret(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	for i := range b {
		b[i] = secretAlphabet[int(b[i])%len(secretAlphabet)]
	}
	return string(b), nil
}

// FileIntake files a case through a door. Files are checked and stored first, and a
// photo's GPS position places a report that has none; then the case, the door's
// details, the duplicate index entry, the likely duplicates, the files' rows and the
// notices are written in one transaction (shared with concurrent filings).
func (s *Service) FileIntake(ctx context.Context, u domain.User, in Intake) (*Receipt, error) {
	n, d := in.Case, in.Details
	if err := d.Validate(n.Channel); err != nil {
		return nil, err
	}
	files, err := s.storeUploads(ctx, in.Files)
	if err != nil {
		return nil, err
	}
	if n.Lat == nil && n.Lon == nil {
		for _, f := range files {
			if f.Lat != nil {
				n.Lat, n.Lon = f.Lat, f.Lon
				break
			}
		}
	}
	if err := s.Place(ctx, &n, in.Within); err != nil {
		return nil, err
	}
	if n.Channel == "" {
		n.Channel = "online"
	}
	if n.Channel == "liaison" && n.Kind == "" {
		n.Kind = "enterprise_problem"
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	if in.Within != "" && !domain.Within(n.Region, in.Within) {
		return nil, domain.Errorf(domain.EINVALID, "the place lies outside jurisdiction %s", in.Within)
	}
	if _, err := s.db.Region(ctx, n.Region); err != nil {
		return nil, domain.Errorf(domain.EINVALID, "unknown region %q", n.Region)
	}
	if err := domain.CanFile(u, n.Region); err != nil {
		return nil, err
	}
	if err := domain.ChannelAllowed(u, n.Channel, n.Region); err != nil {
		return nil, err
	}
	if n.Channel == "liaison" {
		links, err := s.db.Linkages(ctx, "enterprise", d.Enterprise)
		if err != nil {
			return nil, err
		}
		if !domain.LinkedTo(links, u.ID, d.Enterprise, s.now().In(domain.China).Format("2006-01-02")) {
			return nil, domain.Errorf(domain.EFORBIDDEN, "you are not linked to enterprise %s", d.Enterprise)
		}
	}
	m, err := s.db.Matter(ctx, n.Matter)
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "unknown matter %q", n.Matter)
	}
	attrs, err := s.db.MatterAttributes(ctx, m.Code)
	if err != nil {
		return nil, err
	}
	if d.Attributes, err = domain.CheckAnswers(attrs, d.Attributes); err != nil {
		return nil, err
	}
	rule, err := s.DuplicateRule(ctx)
	if err != nil {
		return nil, err
	}
	r := &Receipt{Attachments: []domain.Attachment{}}
	if in.Receipt {
		if r.Secret, err = newSecret(8); err != nil {
			return nil, err
		}
	}
	dispatchers, err := s.db.Dispatchers(ctx, n.Region)
	if err != nil {
		return nil, err
	}
	var c *domain.Case
	err = s.intake.do(ctx, s.db, func(tx *store.Tx) error {
		filed, err := s.record(tx, u, n, m)
		if err != nil {
			return err
		}
		c = filed
		d.CaseID = c.ID
		if err := tx.PutIntake(d, r.Secret); err != nil {
			return err
		}
		if r.Duplicates, err = s.duplicatesOf(ctx, tx, c, rule); err != nil {
			return err
		}
		if err := tx.PutDuplicates(c.ID, r.Duplicates); err != nil {
			return err
		}
		r.Attachments = r.Attachments[:0]
		for _, f := range files {
			f.CaseID, f.UploadedBy = c.ID, u.ID
			if err := tx.AddAttachment(&f); err != nil {
				return err
			}
			r.Attachments = append(r.Attachments, f)
		}
		msg := fmt.Sprintf("新工单 %s：%s", c.Number, c.Title)
		if len(r.Duplicates) > 0 {
			msg += fmt.Sprintf("（可能与 %s 等 %d 件重复）", r.Duplicates[0].Number, len(r.Duplicates))
		}
		if err := tx.Notify(dispatchers, c.ID, "new_case", msg); err != nil {
			return err
		}
		if d.Supervised {
			leaders, err := tx.Leaders(c.Region)
			if err != nil {
				return err
			}
			return tx.Notify(leaders, c.ID, "cannot_do", fmt.Sprintf("办不成事 %s：%s（请领导督办）", c.Number, c.Title))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.Number, r.Token = c.Number, d.Token
	if r.Case, err = s.db.Case(ctx, c.ID); err != nil {
		return nil, err
	}
	if domain.Visible(u, r.Case) {
		r.Case.MaskFor(u)
	} else {
		r.Case.Events = nil // a public reporter sees their case, not its audit trail
	}
	return r, nil
}

// SearchMatters finds catalog entries by keyword for a call-taker: code, name, class
// and keywords are searched, every word must match.
func (s *Service) SearchMatters(ctx context.Context, q string, limit int) ([]domain.Matter, error) {
	all, err := s.db.Matters(ctx)
	if err != nil {
		return nil, err
	}
	return domain.SearchMatters(all, q, limit), nil
}

// Intake reads what a door recorded for a case the user may see; contact data is
// masked for roles that do not need it.
func (s *Service) Intake(ctx context.Context, u domain.User, caseID int64) (domain.IntakeDetails, error) {
	c, err := s.Case(ctx, u, caseID)
	if err != nil {
		return domain.IntakeDetails{}, err
	}
	d, err := s.db.Intake(ctx, caseID)
	if err != nil {
		return d, err
	}
	if !u.SeesPersonalData() && !(c.Reporter.UserID == u.ID && u.ID != 0) {
		d.CallerPhone, d.Email = domain.MaskPhone(d.CallerPhone), maskEmail(d.Email)
	}
	d.Token = ""
	return d, nil
}

func maskEmail(e string) string {
	if e == "" {
		return ""
	}
	for i := 0; i < len(e); i++ {
		if e[i] == '@' {
			return e[:min(1, i)] + "***" + e[i:]
		}
	}
	return "***"
}
