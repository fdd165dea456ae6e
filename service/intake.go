package service

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

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
	// Answer, when set, is the answer a call-taker gave a consultation on the call: the
	// case is filed and at once closed with it (直接答复办结, domain.ActAnswer).
	Answer string
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
	Window      *domain.Window      `json:"window,omitempty"` // the window it came through
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
	f := &filing{u: u, n: in.Case, d: in.Details}
	if err := f.d.Validate(f.n.Channel); err != nil {
		return nil, err
	}
	if in.Answer = strings.TrimSpace(in.Answer); in.Answer != "" && (f.n.Kind != "consultation" || len(in.Answer) > 10000) {
		return nil, domain.Invalidf("answer.kind", "only a consultation (咨询) is answered on the call, with an answer of at most 10000 characters")
	}
	var err error
	if f.files, err = s.storeUploads(ctx, in.Files); err != nil {
		return nil, err
	}
	if err := s.placeFiling(ctx, f, in.Within); err != nil {
		return nil, err
	}
	if err := s.checkFiler(ctx, f); err != nil {
		return nil, err
	}
	if err := s.readFiling(ctx, f); err != nil {
		return nil, err
	}
	if err := s.fileWindow(ctx, f); err != nil {
		return nil, err
	}
	r := &Receipt{Attachments: []domain.Attachment{}, Window: f.window}
	if in.Receipt {
		if r.Secret, err = newSecret(8); err != nil {
			return nil, err
		}
	}
	var c *domain.Case
	err = s.intake.do(ctx, s.db, func(tx *store.Tx) error {
		var err error
		c, err = s.writeFiling(ctx, tx, f, r)
		return err
	})
	if err != nil {
		return nil, err
	}
	r.Number, r.Token = c.Number, f.d.Token
	if in.Answer != "" {
		if _, err := s.Act(ctx, u, c.ID, domain.Command{Action: domain.ActAnswer, Version: c.Version, Result: in.Answer}); err != nil {
			return nil, fmt.Errorf("case %s was filed but not answered: %w", c.Number, err)
		}
	}
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

// filing is an intake on its way in: who files, the case and the door's details as
// they are checked and completed, the stored files, and what its transaction needs.
type filing struct {
	u           domain.User
	n           domain.NewCase
	d           domain.IntakeDetails
	files       []domain.Attachment
	m           domain.Matter
	rule        domain.DuplicateRule
	dispatchers []int64
	window      *domain.Window // the window a window case came through
}

// placeFiling places the case (by the first located photo when the report has no
// position), fills the door's defaults and checks it lies in a known region within
// the door's jurisdiction.
func (s *Service) placeFiling(ctx context.Context, f *filing, within string) error {
	n := &f.n
	if n.Lat == nil && n.Lon == nil {
		for _, a := range f.files {
			if a.Lat != nil {
				n.Lat, n.Lon = a.Lat, a.Lon
				break
			}
		}
	}
	if err := s.Place(ctx, n, within); err != nil {
		return err
	}
	if n.Channel == "" {
		n.Channel = "online"
	}
	if n.Channel == "liaison" && n.Kind == "" {
		n.Kind = "enterprise_problem"
	}
	if err := n.Validate(); err != nil {
		return err
	}
	if within != "" && !domain.Within(n.Region, within) {
		return domain.Errorf(domain.EINVALID, "the place lies outside jurisdiction %s", within)
	}
	if _, err := s.db.Region(ctx, n.Region); err != nil {
		return domain.Errorf(domain.EINVALID, "unknown region %q", n.Region)
	}
	return nil
}

// checkFiler checks that the user may file in the region through the channel (the rule
// record keeps for every filing, asked first so a refusal reads nothing more), and a
// liaison cadre only for an enterprise linked to them today.
func (s *Service) checkFiler(ctx context.Context, f *filing) error {
	if err := domain.MayFile(f.u, f.n.Channel, f.n.Region, domain.OnOwn); err != nil {
		return err
	}
	if f.n.Channel != "liaison" {
		return nil
	}
	links, err := s.db.Linkages(ctx, "enterprise", f.d.Enterprise)
	if err != nil {
		return err
	}
	if !domain.LinkedTo(links, f.u.ID, f.d.Enterprise, s.now().In(domain.China).Format("2006-01-02")) {
		return domain.Errorf(domain.EFORBIDDEN, "you are not linked to enterprise %s", f.d.Enterprise)
	}
	return nil
}

// readFiling reads what the transaction needs beforehand: the matter, with the answers
// to its attributes checked, the duplicate rule and the region's dispatchers.
func (s *Service) readFiling(ctx context.Context, f *filing) error {
	var err error
	if f.m, err = s.db.Matter(ctx, f.n.Matter); err != nil {
		return domain.Errorf(domain.EINVALID, "unknown matter %q", f.n.Matter)
	}
	attrs, err := s.db.MatterAttributes(ctx, f.m.Code)
	if err != nil {
		return err
	}
	if f.d.Attributes, err = domain.CheckAnswers(attrs, f.d.Attributes); err != nil {
		return err
	}
	if f.rule, err = s.DuplicateRule(ctx); err != nil {
		return err
	}
	f.dispatchers, err = s.db.Dispatchers(ctx, f.n.Region)
	return err
}

// writeFiling records the case in tx with the door's details, its likely duplicates and
// its files' rows, fills the receipt, and sends the notices.
func (s *Service) writeFiling(ctx context.Context, tx *store.Tx, f *filing, r *Receipt) (*domain.Case, error) {
	c, err := s.record(tx, f.u, f.n, f.m, time.Time{}, domain.OnOwn)
	if err != nil {
		return nil, err
	}
	f.d.CaseID = c.ID
	if err := tx.PutIntake(f.d, r.Secret, c.CreatedAt); err != nil {
		return nil, err
	}
	if r.Duplicates, err = s.duplicatesOf(ctx, tx, c, f.rule); err != nil {
		return nil, err
	}
	if err := tx.PutDuplicates(c.ID, r.Duplicates); err != nil {
		return nil, err
	}
	r.Attachments = r.Attachments[:0]
	for _, a := range f.files {
		a.CaseID, a.UploadedBy = c.ID, f.u.ID
		if err := tx.AddAttachment(&a); err != nil {
			return nil, err
		}
		r.Attachments = append(r.Attachments, a)
	}
	return c, notifyFiling(tx, f, c, r.Duplicates)
}

// notifyFiling tells the region's dispatchers of the new case and its likely
// duplicates, and the region's leaders of a case filed as 办不成事.
func notifyFiling(tx *store.Tx, f *filing, c *domain.Case, dups []domain.Duplicate) error {
	msg := fmt.Sprintf("新工单 %s：%s", c.Number, c.Title)
	if len(dups) > 0 {
		msg += fmt.Sprintf("（可能与 %s 等 %d 件重复）", dups[0].Number, len(dups))
	}
	if err := tx.Notify(f.dispatchers, c.ID, "new_case", msg); err != nil {
		return err
	}
	if err := notifyAreaFollowers(tx, c, domain.Event{Action: domain.ActReport, ActorID: f.u.ID}); err != nil { // follows.go
		return err
	}
	if !f.d.Supervised {
		return nil
	}
	leaders, err := tx.Leaders(c.Region)
	if err != nil {
		return err
	}
	return tx.Notify(leaders, c.ID, "cannot_do", fmt.Sprintf("办不成事 %s：%s（请领导督办）", c.Number, c.Title))
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
