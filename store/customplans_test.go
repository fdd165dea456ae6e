package store

import "testing"

// TestCustomPlans: PostgreSQL DSNs ask for a plan per execution unless they say which
// plans they want; the rest of the DSN is kept.
func TestCustomPlans(t *testing.T) {
	for _, tc := range []struct{ dsn, want string }{
		{"postgres://u@h:5432/db?sslmode=disable", "postgres://u@h:5432/db?plan_cache_mode=force_custom_plan&sslmode=disable"},
		{"postgres://u@h/db", "postgres://u@h/db?plan_cache_mode=force_custom_plan"},
		{"postgres://u@h/db?plan_cache_mode=auto", "postgres://u@h/db?plan_cache_mode=auto"},
		{"postgres://u@h/db?%zz", "postgres://u@h/db?%zz"}, // not a URL query: left to the driver's error
	} {
		if got := customPlans(tc.dsn); got != tc.want {
			t.Errorf("customPlans(%q) = %q, want %q", tc.dsn, got, tc.want)
		}
	}
}
