package store

import (
	"slices"
	"testing"
)

// The copy's table list is read from the migrations: it must hold every table, in an
// order where the core's parents come first.
func TestCopyTablesCoverTheSchema(t *testing.T) {
	for _, want := range []string{"regions", "cases", "case_events", "case_rollup", "web_sessions", "attachments", "hazards", "subjects", "reveal_audit", "audit_log", "audit_head"} {
		if !slices.Contains(copyTables, want) {
			t.Errorf("copyTables misses %s: %v", want, copyTables)
		}
	}
	if slices.Index(copyTables, "cases") > slices.Index(copyTables, "case_events") || slices.Index(copyTables, "users") > slices.Index(copyTables, "grants") {
		t.Errorf("parents after children: %v", copyTables)
	}
	for _, want := range []string{"users", "cases", "case_events", "attachments", "subjects"} {
		if !slices.Contains(identityTables, want) {
			t.Errorf("identityTables misses %s: %v", want, identityTables)
		}
	}
	if len(copyTables) < 40 {
		t.Errorf("only %d tables found in the migrations: %v", len(copyTables), copyTables)
	}
}
