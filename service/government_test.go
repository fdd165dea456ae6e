package service_test

import (
	"context"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// TestGovernmentName: the public pages' government name reads the default until set;
// only the installation's administrator sets it (a street's is refused), to a name of one line, and the change is audited.
func TestGovernmentName(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := whistletest.DB(t)
	if got, err := service.New(db).Government(ctx); err != nil || got != service.DefaultGovernment {
		t.Errorf("unset: %q %v", got, err)
	}
	svc, users, _ := whistletest.Demo(t, 0)
	if got, err := svc.Government(ctx); err != nil || got != "涟源市人民政府" {
		t.Errorf("the demo's: %q %v", got, err)
	}
	for _, tc := range []struct {
		who, name, code string
	}{
		{"demo.dispatcher", "渌口区人民政府", domain.EFORBIDDEN},
		{"demo.admin", "  ", domain.EINVALID},
		{"demo.admin", "渌口区\n人民政府", domain.EINVALID},
		{"demo.admin", strings.Repeat("政", 61), domain.EINVALID},
		{"demo.admin", " 渌口区人民政府 ", ""},
	} {
		if err := svc.SetGovernment(ctx, users[tc.who], tc.name); domain.ErrorCode(err) != tc.code {
			t.Errorf("%s sets %q: %v, want %q", tc.who, tc.name, err, tc.code)
		}
	}
	street := domain.User{ID: users["demo.admin"].ID, Login: "street.admin", Grants: []domain.Grant{{Role: domain.RoleAdmin, Region: "431382001"}}}
	if err := svc.SetGovernment(ctx, street, "蓝田街道办事处"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a street's administrator sets the installation's name: %v", err)
	}
	if got, _ := svc.Government(ctx); got != "渌口区人民政府" {
		t.Errorf("after setting: %q", got)
	}
	log, _, err := svc.AuditLog(ctx, users["demo.admin"], domain.AuditFilter{Object: "setting/" + service.GovernmentSetting})
	if err != nil || len(log) != 1 || log[0].Action != "setting.put" {
		t.Errorf("audit: %+v %v", log, err)
	}
}
