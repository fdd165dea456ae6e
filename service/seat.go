package service

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"whistle/domain"
	"whistle/store"
)

// The 12345 seat (坐席): matters suggested from the caller's words. The suggester is built
// from the catalogue, the installation's synonyms and the last cases' words, and kept for
// a few minutes: a call-taker types faster than the catalogue changes.

// SynonymsSetting holds the installation's synonym groups (domain.ParseSynonyms); the
// shipped domain.DefaultSynonyms when unset.
const SynonymsSetting = "matter_synonyms"

// suggestLearn is how many of the latest cases the suggestion learns from, and
// suggestTTL how long a built suggester serves.
const (
	suggestLearn = 20000
	suggestTTL   = 10 * time.Minute
)

type suggestCache struct {
	mu    sync.Mutex
	s     *domain.Suggester
	built time.Time
}

// Synonyms reads the installation's synonym groups, for signed-in users.
func (s *Service) Synonyms(ctx context.Context) (string, error) {
	v, err := s.db.Setting(ctx, SynonymsSetting)
	if err == nil && v == "" {
		v = domain.DefaultSynonyms
	}
	return v, err
}

// SetSynonyms replaces the synonym groups: the installation's administrators; logged.
func (s *Service) SetSynonyms(ctx context.Context, u domain.User, text string) error {
	if err := s.installationAdmin(ctx, u); err != nil {
		return err
	}
	if len(text) > 200000 {
		return domain.Invalidf("synonyms.size", "the synonyms are at most 200,000 bytes")
	}
	syn, err := domain.ParseSynonyms(text)
	if err != nil {
		return err
	}
	if err := s.putSetting(ctx, u, SynonymsSetting, syn.String()); err != nil {
		return err
	}
	s.suggest.mu.Lock()
	s.suggest.s = nil // the next suggestion builds anew
	s.suggest.mu.Unlock()
	return nil
}

// SuggestMatters ranks the catalogue's matters for a caller's words (at most n, 5 when
// 0), each with why: for who takes calls and visits (dispatchers, administrators).
func (s *Service) SuggestMatters(ctx context.Context, u domain.User, text string, n int) ([]domain.Suggestion, error) {
	if !u.Has(domain.RoleDispatcher) && !u.Has(domain.RoleAdmin) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "matter suggestions are for the hotline and the windows")
	}
	if len(text) > 20000 {
		return nil, domain.Invalidf("suggest.text", "the text is at most 20,000 bytes")
	}
	if n <= 0 || n > 20 {
		n = 5
	}
	sg, err := s.suggester(ctx)
	if err != nil {
		return nil, err
	}
	return sg.Suggest(strings.TrimSpace(text), n), nil
}

// suggester gives the built suggester, building it when it is missing or old; one
// builder at a time, the others wait for it.
func (s *Service) suggester(ctx context.Context) (*domain.Suggester, error) {
	c := &s.suggest
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.s != nil && s.now().Sub(c.built) < suggestTTL {
		return c.s, nil
	}
	ms, err := s.db.Matters(ctx)
	if err != nil {
		return nil, err
	}
	text, err := s.Synonyms(ctx)
	if err != nil {
		return nil, err
	}
	syn, err := domain.ParseSynonyms(text)
	if err != nil {
		return nil, err
	}
	sg := domain.NewSuggester(ms, syn)
	texts, err := s.db.RecentTexts(ctx, suggestLearn)
	if err != nil {
		return nil, err
	}
	for _, t := range texts {
		sg.Learn(t.Text, t.Matter)
	}
	c.s, c.built = sg, s.now()
	return sg, nil
}

// CallerCase is one of a caller's earlier cases as the seat lists it.
type CallerCase struct {
	ID      int64         `json:"id"`
	Number  string        `json:"number"`
	Title   string        `json:"title"`
	Matter  string        `json:"matter"`
	Status  domain.Status `json:"status"`
	Open    bool          `json:"open"`
	Created time.Time     `json:"created_at"`
}

// CallerHistory lists the earlier cases of the caller phone (their number as they gave
// it), open ones first, then the newest: the repeat-caller check of the seat, for who
// takes calls (dispatchers, administrators) and only of the cases they see. The number
// is personal data: each look-up counts against the user's PersonalSearches and is
// logged with the number masked and the count found.
func (s *Service) CallerHistory(ctx context.Context, u domain.User, phone string) ([]CallerCase, error) {
	if !u.Has(domain.RoleDispatcher) && !u.Has(domain.RoleAdmin) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "caller history is for the hotline and the windows")
	}
	if err := domain.ValidatePhone(phone); err != nil {
		return nil, domain.Invalidf("intake.caller_phone", "%s", domain.ErrorMessage(err))
	}
	win := s.now().Unix() / int64(PersonalSearchWindow.Seconds())
	ok, err := s.db.Hit(ctx, "caller:"+strconv.FormatInt(u.ID, 10), win, PersonalSearches*10) // a call each: ten times a register search
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, domain.Errorf(domain.ETOOMANY, "at most %d caller look-ups in %d minutes; try again later", PersonalSearches*10, int(PersonalSearchWindow.Minutes()))
	}
	digits := domain.PhoneDigits(phone)
	ids, err := s.db.CallerCases(ctx, digits, 50)
	if err != nil {
		return nil, err
	}
	out := []CallerCase{}
	for _, id := range ids {
		c, err := s.Case(ctx, u, id)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			continue // outside what u sees
		}
		if err != nil {
			return nil, err
		}
		out = append(out, CallerCase{ID: c.ID, Number: c.Number, Title: c.Title, Matter: c.Matter, Status: c.Status, Open: !c.Status.Terminal(), Created: c.CreatedAt})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Open && !out[j].Open })
	err = s.db.Update(ctx, func(tx *store.Tx) error {
		return s.audit(ctx, tx, u, domain.ActCallerSearch, "caller", domain.Change{Facts: map[string]any{
			"field": "phone", "value": domain.MaskPhone(digits), "results": len(out)}})
	})
	return out, err
}
