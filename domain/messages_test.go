package domain

import (
	"testing"
	"time"
)

func TestQuietUntil(t *testing.T) {
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, China) }
	for _, c := range []struct {
		name       string
		now        time.Time
		start, end int
		until      time.Time
		quiet      bool
	}{
		{"none", at(2, 23, 0), 0, 0, time.Time{}, false},
		{"within a day", at(2, 13, 0), 12 * 60, 14 * 60, at(2, 14, 0), true},
		{"at its end", at(2, 14, 0), 12 * 60, 14 * 60, time.Time{}, false},
		{"before", at(2, 11, 59), 12 * 60, 14 * 60, time.Time{}, false},
		{"over midnight, evening", at(2, 22, 30), 22 * 60, 7 * 60, at(3, 7, 0), true},
		{"over midnight, morning", at(3, 6, 0), 22 * 60, 7 * 60, at(3, 7, 0), true},
		{"over midnight, day", at(3, 12, 0), 22 * 60, 7 * 60, time.Time{}, false},
		{"from UTC", at(2, 23, 0).UTC(), 22 * 60, 7 * 60, at(3, 7, 0), true},
	} {
		until, quiet := QuietUntil(c.now, c.start, c.end)
		if quiet != c.quiet || !until.Equal(c.until) {
			t.Errorf("%s: %v %v, want %v %v", c.name, until, quiet, c.until, c.quiet)
		}
	}
}

func TestBackoff(t *testing.T) {
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute}
	for i, w := range want {
		if got := Backoff(i + 1); got != w {
			t.Errorf("attempt %d: %v, want %v", i+1, got, w)
		}
	}
	if got := Backoff(40); got != 4*time.Hour {
		t.Errorf("attempt 40: %v, want the cap", got)
	}
}

func TestMessagePrefsValidate(t *testing.T) {
	p := MessagePrefs{Email: " a@b.cn ", Subscriptions: []Subscription{{"whistle", ChanEmail}, {"new_case", ChanEmail}, {"whistle", ChanEmail}}}
	if err := p.Validate(); err != nil || p.Email != "a@b.cn" || len(p.Subscriptions) != 2 || p.Subscriptions[0].Kind != "new_case" {
		t.Errorf("%+v, %v", p, err)
	}
	for _, bad := range []MessagePrefs{
		{Email: "a@b.cn", Subscriptions: []Subscription{{"Whistle!", ChanEmail}}},
		{Phone: "call me", Subscriptions: nil},
		{Subscriptions: []Subscription{{"whistle", ChanSMS}}},
		{QuietEnd: -1},
	} {
		if err := bad.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("%+v: %v, want invalid", bad, err)
		}
	}
}
