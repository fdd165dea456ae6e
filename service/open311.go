package service

import (
	"context"
	"strings"

	"whistle/domain"
	"whistle/store"
)

// AddClient registers an Open311 client app and gives its api_key, shown this once.
// The CLI calls it with the zero user and admin false; the API with the admin's user.
func (s *Service) AddClient(ctx context.Context, u domain.User, name string, cli bool) (domain.Client, string, error) {
	if !cli && !u.Has(domain.RoleAdmin) {
		return domain.Client{}, "", domain.Errorf(domain.EFORBIDDEN, "administrators only")
	}
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 100 {
		return domain.Client{}, "", domain.Errorf(domain.EINVALID, "a client app needs a name of at most 100 characters")
	}
	key, err := newToken()
	if err != nil {
		return domain.Client{}, "", err
	}
	var c domain.Client
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		if c, err = tx.CreateClient(name, key); err != nil {
			return err
		}
		return s.audit(ctx, tx, u, "client.create", objectID("client", c.ID), domain.Change{After: c}) // never the key
	})
	return c, key, err
}

// Client checks an Open311 api_key; a missing, unknown or disabled key is forbidden,
// as the specification answers (403).
func (s *Service) Client(ctx context.Context, key string) (domain.Client, error) {
	if key == "" {
		return domain.Client{}, domain.Errorf(domain.EFORBIDDEN, "api_key is required to post a service request")
	}
	c, err := s.db.ClientByKey(ctx, key)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return c, domain.Errorf(domain.EFORBIDDEN, "invalid api_key")
	}
	return c, err
}

// ClientUser is who files for a client app: nobody with an account, a member of the
// public, named after the app so the audit trail shows the door.
func ClientUser(c domain.Client) domain.User {
	return domain.User{Name: "Open311 " + c.Name, Grants: []domain.Grant{{Role: domain.RoleCitizen}}}
}

// PublicUser is who files from the public page.
var PublicUser = domain.User{Name: "公众", Grants: []domain.Grant{{Role: domain.RoleCitizen}}}

// PublicService is a matter as the public sees it, with whether it asks for more.
type PublicService struct {
	domain.Matter
	HasAttributes bool
}

// PublicServices lists the matters marked public, the Open311 services.
func (s *Service) PublicServices(ctx context.Context) ([]PublicService, error) {
	ms, err := s.db.Matters(ctx)
	if err != nil {
		return nil, err
	}
	attributed, err := s.db.AttributedMatters(ctx)
	if err != nil {
		return nil, err
	}
	out := []PublicService{}
	for _, m := range ms {
		if m.Public {
			out = append(out, PublicService{m, attributed[m.Code]})
		}
	}
	return out, nil
}

// PublicService reads one public matter and its attributes; a matter that is not public
// does not exist for the public.
func (s *Service) PublicService(ctx context.Context, code string) (domain.Matter, []domain.MatterAttribute, error) {
	m, err := s.db.Matter(ctx, code)
	if err != nil || !m.Public {
		return m, nil, domain.Errorf(domain.ENOTFOUND, "service_code %s not found", code)
	}
	attrs, err := s.db.MatterAttributes(ctx, code)
	return m, attrs, err
}

// SetMatterAttributes replaces a matter's extra fields (administrators only).
func (s *Service) SetMatterAttributes(ctx context.Context, u domain.User, matter string, attrs []domain.MatterAttribute) ([]domain.MatterAttribute, error) {
	if err := s.installationAdmin(ctx, u); err != nil {
		return nil, err
	}
	err := s.audited(ctx, u, "matter.attributes", "matter/"+matter, func(tx *store.Tx) (domain.Change, error) {
		return swap(func() ([]domain.MatterAttribute, error) { return tx.MatterAttributes(matter) }, func() error { return tx.PutMatterAttributes(matter, attrs) })
	})
	if err != nil {
		return nil, err
	}
	return s.db.MatterAttributes(ctx, matter)
}

// PublicRequest is a case as the public may see it: no reporter, no contact data, free
// text with phone and identity numbers hidden.
type PublicRequest struct {
	Case        *domain.Case
	ServiceName string
	Agency      string
	MediaURL    string
	StatusNotes string
	Open        bool
}

// PublicRequests lists cases of public matters for the Open311 API and the public page.
func (s *Service) PublicRequests(ctx context.Context, f domain.PublicFilter) ([]PublicRequest, error) {
	cases, err := s.db.PublicCases(ctx, f)
	if err != nil {
		return nil, err
	}
	ms, err := s.db.Matters(ctx)
	if err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, m := range ms {
		names[m.Code] = m.Name
	}
	orgs, err := s.db.Orgs(ctx)
	if err != nil {
		return nil, err
	}
	orgNames := map[string]string{}
	for _, o := range orgs {
		orgNames[o.Code] = o.Name
	}
	ids := make([]int64, len(cases))
	for i, c := range cases {
		ids[i] = c.ID
	}
	details, err := s.db.IntakeOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	numbers := map[int64]string{}
	out := make([]PublicRequest, 0, len(cases))
	for _, c := range cases {
		c.Reporter = domain.Reporter{}
		c.Description = domain.RedactContacts(c.Description)
		c.Title = domain.RedactContacts(c.Title)
		c.Address = domain.RedactContacts(c.Address)
		p := PublicRequest{Case: c, ServiceName: names[c.Matter], Agency: orgNames[c.LeadOrg], MediaURL: details[c.ID].MediaURL, Open: !c.Status.Terminal()}
		switch c.Status {
		case domain.StatusClosed:
			p.StatusNotes = domain.RedactContacts(c.Result)
		case domain.StatusRejected:
			p.StatusNotes = "不予受理 (not accepted)"
		case domain.StatusMerged:
			if _, ok := numbers[c.MergedInto]; !ok {
				if into, err := s.db.Case(ctx, c.MergedInto); err == nil {
					numbers[c.MergedInto] = into.Number
				}
			}
			p.StatusNotes = "已并入 " + numbers[c.MergedInto] + " 一并办理 (merged into request " + itoa(c.MergedInto) + ")"
		case domain.StatusResolved, domain.StatusVerified:
			p.StatusNotes = domain.RedactContacts(c.Result)
		}
		out = append(out, p)
	}
	return out, nil
}

func itoa(n int64) string {
	var b [20]byte
	i := len(b)
	for n >= 10 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	b[i] = byte('0' + n)
	return string(b[i:])
}

// CaseByToken finds the service request an Open311 token stands for.
func (s *Service) CaseByToken(ctx context.Context, token string) (int64, error) {
	return s.db.CaseByToken(ctx, token)
}

// NewOpen311Token makes the token an Open311 filing is known by until it has an id.
func NewOpen311Token() (string, error) { return newSecret(20) }
