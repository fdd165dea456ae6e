package domain

import (
	"strings"
	"testing"
)

func TestValidPassword(t *testing.T) {
	for _, c := range []struct {
		login, pw string
		ok        bool
	}{
		{"demo.grid", "whistle-demo", true}, // the demo's password, which every test signs in with
		{"new.dispatcher", "secret-pass-1", true},
		{"zhang.wei", "蓝田街道2026春", true},
		{"x", "x-and-more", true}, // a login this short is no hint
		{"zhang.wei", "short", false},
		{"zhang.wei", "七个汉字的密码", false}, // characters are counted, not bytes
		{"zhang.wei", strings.Repeat("p", 257), false},
		{"zhang.wei", "aaaaaaaaaaaa", false},
		{"zhang.wei", "蓝蓝蓝蓝蓝蓝蓝蓝", false},
		{"zhang.wei", "12345678", false},
		{"zhang.wei", "password", false},
		{"zhang.wei", "PassWord", false}, // the list ignores case
		{"zhang.wei", "qwertyuiop", false},
		{"zhang.wei", "1qaz2wsx", false},
		{"zhang.wei", "woaini1314", false},
		{"zhang.wei", "Admin@123", false},
		{"zhang.wei", "zhang.wei", false}, // the login itself
		{"zhang.wei", "Zhang.Wei2026", false},
		{"zhang.wei", "my-zhang.wei-pw", false},
	} {
		err := ValidPassword(c.login, c.pw)
		if (err == nil) != c.ok || err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("%s / %q: %v, want ok %v", c.login, c.pw, err, c.ok)
		}
	}
}

// TestCommonPasswordList holds the shipped list to its promise: a few thousand entries,
// lower case, each long enough that the length rule alone would pass it.
func TestCommonPasswordList(t *testing.T) {
	if n := len(commonPasswords); n < 3000 || n > 5000 {
		t.Fatalf("%d common passwords", n)
	}
	for pw := range commonPasswords {
		if len(pw) < 8 || pw != strings.ToLower(pw) || strings.TrimSpace(pw) != pw {
			t.Errorf("entry %q", pw)
		}
	}
}
