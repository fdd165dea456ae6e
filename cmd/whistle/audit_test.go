package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"whistle/store"
	"whistle/whistletest"
)

// TestAuditVerify: `whistle audit verify` passes an intact chain and names the first
// entry broken by an edit, a deletion in the middle and a deletion at the end, with an
// error (exit status 1).
func TestAuditVerify(t *testing.T) {
	ctx := context.Background()
	dsn := whistletest.DSN(t)
	for _, login := range []string{"ops.a", "ops.b", "ops.c"} { // three users, three entries
		var out bytes.Buffer
		if err := run(ctx, []string{"user", "add", "--db", dsn, "--login", login, "--role", "auditor", "--password-stdin"},
			strings.NewReader("long-enough-password\n"), &out); err != nil {
			t.Fatal(err)
		}
	}
	verify := func() (string, error) {
		var out bytes.Buffer
		err := run(ctx, []string{"audit", "verify", "--db", dsn}, nil, &out)
		return out.String(), err
	}
	if out, err := verify(); err != nil || out != "audit log intact: 3 entries\n" {
		t.Fatalf("intact chain: %q %v", out, err)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	raw := whistletest.OpenRaw(t, db)
	var addr, login, changes string
	if err := raw.QueryRowContext(ctx, `SELECT addr, login, changes FROM audit_log WHERE id = 2`).Scan(&addr, &login, &changes); err != nil ||
		addr != "cli" || login != "system" || !strings.Contains(changes, `"login":"ops.b"`) {
		t.Fatalf("entry 2: %s %s %s %v", addr, login, changes, err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := raw.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name, breaks, restore string
		want                  string
	}{
		{"an edited entry", `UPDATE audit_log SET changes = '{}' WHERE id = 2`, `UPDATE audit_log SET changes = ? WHERE id = 2`,
			"entry 2: its hash does not match"},
		{"an edited time", `UPDATE audit_log SET at = at + 1 WHERE id = 1`, `UPDATE audit_log SET at = at - 1 WHERE id = 1`,
			"entry 1: its hash does not match"},
		{"a deleted entry", `DELETE FROM audit_log WHERE id = 2`, "", "entry 2: missing: the chain goes from entry 1 to 3"},
		{"a deleted last entry", `DELETE FROM audit_log WHERE id = 3`, "", "entry 3: the chain ends at entry 1 but its head records entry 3"},
	}
	for _, c := range cases {
		exec(c.breaks)
		out, err := verify()
		if err == nil || !strings.Contains(out, "BROKEN") || !strings.Contains(out, c.want) {
			t.Errorf("%s: %q %v, want an error naming %q", c.name, out, err, c.want)
		}
		if c.restore != "" {
			var args []any
			if strings.Contains(c.restore, "?") {
				args = append(args, changes)
			}
			exec(c.restore, args...)
			if out, err := verify(); err != nil {
				t.Fatalf("%s restored: %q %v", c.name, out, err)
			}
		}
	}
}
