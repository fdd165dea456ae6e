package main

import (
	"bytes"
	"strings"
	"testing"

	"whistle/demo"
)

// TestDemoLoginsLineUp: in the printed table of demo logins the role, scope and name
// columns start at the same terminal column on every line, a Chinese character
// counting as two.
func TestDemoLoginsLineUp(t *testing.T) {
	logins := []demo.Login{
		{Login: "demo.admin", Role: "admin", Scope: "431382 涟源市", Name: "系统管理员 王敏"},
		{Login: "demo.officer", Role: "officer", Scope: "LY-CGJ 城市管理和综合执法局", Name: "城管局承办人 周峰"},
		{Login: "demo.building", Role: "building_head", Scope: "431382001001001001 楼栋", Name: "楼栋长 吴大伯"},
		{Login: "demo.citizen", Role: "citizen", Scope: "", Name: "群众 张三"},
	}
	var out bytes.Buffer
	printLogins(&out, logins)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")[1:]
	if len(lines) != len(logins) {
		t.Fatalf("%d lines:\n%s", len(lines), out.String())
	}
	var first [3]int
	for i, l := range logins {
		line := lines[i]
		for j, field := range []string{l.Role, l.Scope, l.Name} {
			at := strings.Index(line, "  "+field) + 2 // each column follows two spaces at least
			if field == "" {
				continue
			}
			col := displayWidth(line[:at])
			if i == 0 {
				first[j] = col
			} else if col != first[j] {
				t.Errorf("%s: column %d starts at %d, on the first line at %d:\n%s", l.Login, j+2, col, first[j], out.String())
			}
		}
	}
	if displayWidth("涟源市 LY") != 9 || displayWidth("，") != 2 {
		t.Error("displayWidth counts a Chinese character as one column")
	}
}
