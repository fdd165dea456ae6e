package domain

import (
	"strings"
	"testing"
)

func TestValidUSCC(t *testing.T) {
	for _, tc := range []struct {
		code string
		ok   bool
	}{
		{"91350100M000100Y43", true},  // published example
		{"91110000600037341L", true},  // published example
		{"91350100M000100Y44", false}, // wrong check character
		{"91350100M000100Y4", false},  // 17 characters
		{"91350100M000100Y435", false},
		{"9135010OM000100Y43", false}, // O is not in the alphabet (and not a division digit)
		{"91AB0100M000100Y43", false}, // places 3-8 must be digits
		{"91431382MA4L0DEMO1", false}, // O is not in the alphabet
		{"", false},
	} {
		err := ValidUSCC(tc.code)
		if (err == nil) != tc.ok {
			t.Errorf("ValidUSCC(%q) = %v, want ok=%v", tc.code, err, tc.ok)
		}
	}
	c, err := USCCCheck("91431382MA4DANFPC")
	if err != nil || c != 'B' {
		t.Errorf("USCCCheck = %c, %v; want B", c, err)
	}
}

func TestEnterpriseValidate(t *testing.T) {
	good := Enterprise{USCC: " 91110000600037341l ", Name: "某公司", Region: "431382001001", Industry: "manufacturing"}
	if err := good.Validate(); err != nil || good.USCC != "91110000600037341L" || good.Size != "small" {
		t.Fatalf("Validate = %v, %+v", err, good)
	}
	for name, mod := range map[string]func(*Enterprise){
		"no name":      func(e *Enterprise) { e.Name = " " },
		"bad region":   func(e *Enterprise) { e.Region = "12345" },
		"bad industry": func(e *Enterprise) { e.Industry = "mining" },
		"bad size":     func(e *Enterprise) { e.Size = "huge" },
		"bad code":     func(e *Enterprise) { e.USCC = "91110000600037341X" },
	} {
		e := good
		mod(&e)
		if ErrorCode(e.Validate()) != EINVALID {
			t.Errorf("%s: want invalid", name)
		}
	}
}

func TestCodeToken(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	tok := CodeToken(key, 42, 3)
	id, v, err := ParseCodeToken(key, tok)
	if err != nil || id != 42 || v != 3 {
		t.Fatalf("ParseCodeToken = %d %d %v", id, v, err)
	}
	payload, sig, _ := strings.Cut(tok, ".")
	for name, bad := range map[string]string{
		"other key":      CodeToken([]byte("another key, another installation"), 42, 3),
		"changed id":     strings.Replace(payload, "e42", "e43", 1) + "." + sig,
		"changed ver":    strings.Replace(payload, "v3", "v4", 1) + "." + sig,
		"no signature":   payload,
		"empty":          "",
		"garbage sig":    payload + ".!!!",
		"zero id signed": CodeToken(key, 0, 1),
	} {
		if _, _, err := ParseCodeToken(key, bad); ErrorCode(err) != EINVALID {
			t.Errorf("%s: %q accepted", name, bad)
		}
	}
	if _, _, err := ParseCodeToken(nil, tok); err == nil {
		t.Error("no key: accepted")
	}
}

func TestEnterpriseVisible(t *testing.T) {
	e := &Enterprise{ID: 1, Region: "431382001001", AccountID: 9, Liaisons: []int64{7}}
	for _, tc := range []struct {
		u    User
		want bool
	}{
		{User{ID: 9, Grants: []Grant{{Role: RoleEnterprise}}}, true},
		{User{ID: 10, Grants: []Grant{{Role: RoleEnterprise}}}, false},
		{User{ID: 7, Grants: []Grant{{Role: RoleLiaison, Org: "LT-JDB"}}}, true},
		{User{ID: 8, Grants: []Grant{{Role: RoleLiaison, Org: "LT-JDB"}}}, false},
		{User{ID: 2, Grants: []Grant{{Role: RoleInspector, Org: "LY-SJJ"}}}, true},
		{User{ID: 3, Grants: []Grant{{Role: RoleDispatcher, Region: "431382002"}}}, false},
		{User{ID: 4, Grants: []Grant{{Role: RoleLeader, Region: "431382001"}}}, true},
		{User{ID: 5, Grants: []Grant{{Role: RoleGridWorker, Region: "431382001001001"}}}, false},
	} {
		if got := EnterpriseVisible(tc.u, e); got != tc.want {
			t.Errorf("EnterpriseVisible(%+v) = %v", tc.u.Grants, got)
		}
	}
	m := *e
	m.Contact, m.Phone = "张三丰", "13812345678"
	m.MaskFor(User{ID: 2, Grants: []Grant{{Role: RoleInspector, Org: "LY-SJJ"}}})
	if m.Phone != "138****5678" || m.Contact != "张**" {
		t.Errorf("inspector sees %s %s", m.Contact, m.Phone)
	}
}

// TestPrintsCode: the code goes to the region's registry keepers, the enterprise's own
// account and its linked liaison cadre (who posts it); not to leaders or inspectors,
// nor to a cadre of another enterprise or a keeper of another region.
func TestPrintsCode(t *testing.T) {
	e := &Enterprise{ID: 1, Region: "431382001001", AccountID: 9, Liaisons: []int64{7}}
	for _, tc := range []struct {
		name string
		u    User
		want bool
	}{
		{"its account", User{ID: 9, Grants: []Grant{{Role: RoleEnterprise}}}, true},
		{"another enterprise", User{ID: 10, Grants: []Grant{{Role: RoleEnterprise}}}, false},
		{"its liaison cadre", User{ID: 7, Grants: []Grant{{Role: RoleLiaison, Org: "LT-JDB"}}}, true},
		{"another cadre", User{ID: 8, Grants: []Grant{{Role: RoleLiaison, Org: "LT-JDB"}}}, false},
		{"linked but no longer a cadre", User{ID: 7, Grants: []Grant{{Role: RoleOfficer, Org: "LT-JDB"}}}, false},
		{"inspector", User{ID: 2, Grants: []Grant{{Role: RoleInspector, Org: "LY-SJJ"}}}, false},
		{"leader of the street", User{ID: 4, Grants: []Grant{{Role: RoleLeader, Region: "431382001"}}}, false},
		{"dispatcher of the street", User{ID: 3, Grants: []Grant{{Role: RoleDispatcher, Region: "431382001"}}}, true},
		{"dispatcher elsewhere", User{ID: 3, Grants: []Grant{{Role: RoleDispatcher, Region: "431382002"}}}, false},
		{"administrator", User{ID: 1, Grants: []Grant{{Role: RoleAdmin, Region: "431382"}}}, true},
	} {
		if got := PrintsCode(tc.u, e); got != tc.want {
			t.Errorf("%s: PrintsCode = %v, want %v", tc.name, got, tc.want)
		}
	}
}
