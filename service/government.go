package service

import (
	"context"
	"strings"
	"unicode/utf8"

	"whistle/domain"
)

// GovernmentSetting names the setting that holds the installation's government name
// (渌口区人民政府, 涟源市人民政府): the public pages and the receipt are headed with it, so
// a resident sees whose service they are using.
const GovernmentSetting = "government_name"

// DefaultGovernment is the name shown until an administrator sets one.
const DefaultGovernment = "人民政府"

// Government reads the installation's government name, DefaultGovernment when unset.
// Anyone may read it: it heads the public pages.
func (s *Service) Government(ctx context.Context) (string, error) {
	v, err := s.db.Setting(ctx, GovernmentSetting)
	if err != nil || v == "" {
		return DefaultGovernment, err
	}
	return v, nil
}

// SetGovernment sets the installation's government name (its administrators; audited).
func (s *Service) SetGovernment(ctx context.Context, u domain.User, name string) error {
	if err := s.installationAdmin(ctx, u); err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 60 || strings.ContainsAny(name, "\r\n\t") {
		return domain.Errorf(domain.EINVALID, "name: the government's name, 1 to 60 characters on one line")
	}
	return s.putSetting(ctx, u, GovernmentSetting, name)
}
