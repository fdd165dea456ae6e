package domain

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

// commonPasswords lists the passwords guessed first; common_passwords.txt says where
// the list comes from.
//
//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords is the list as a set, read once.
var commonPasswords = func() map[string]bool {
	set := map[string]bool{}
	for line := range strings.Lines(commonPasswordsText) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			set[line] = true
		}
	}
	return set
}()

// ValidPassword is the rule a new password of login must pass (密码规则): 8 to 256
// characters, not one character repeated, not one of the few thousand passwords tried
// first, and not holding the login itself; the list and the login are compared
// without regard to case, as guessers try both.
func ValidPassword(login, pw string) error {
	n := utf8.RuneCountInString(pw)
	first, _ := utf8.DecodeRuneInString(pw)
	lower := strings.ToLower(pw)
	switch {
	case n < 8:
		return Invalidf("password.short", "password must be at least 8 characters")
	case len(pw) > 256:
		return Invalidf("password.long", "password must be at most 256 characters")
	case strings.Trim(pw, string(first)) == "":
		return Invalidf("password.repeated", "password must not be one character repeated")
	case commonPasswords[lower]:
		return Invalidf("password.common", "this password is among the most common ones and is guessed first; choose another")
	case len(login) >= 3 && strings.Contains(lower, strings.ToLower(login)):
		return Invalidf("password.login", "password must not contain the login")
	}
	return nil
}
