package service_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/whistletest"
)

// TestReplyTemplates: the dispatcher keeps a shared answer, an officer his org's result;
// each is offered to whom it is for, filled in from the case; a grid worker sees none;
// an officer may not touch the shared ones or another org's; a stale change and an
// unknown placeholder are refused; every change is logged.
func TestReplyTemplates(t *testing.T) {
	ctx := context.Background()
	svc, users, _ := whistletest.Demo(t, 0)
	disp, off, other, admin := users["demo.dispatcher"], users["officer.ly-cgj"], users["officer.ly-zjj"], users["demo.admin"]
	before := map[string]int{} // the demo's own templates
	for _, u := range []domain.User{disp, off, other, admin} {
		got, err := svc.ReplyTemplates(ctx, u, "")
		if err != nil {
			t.Fatal(err)
		}
		before[u.Login] = len(got)
	}
	shared, err := svc.PutReplyTemplate(ctx, disp, domain.ReplyTemplate{Use: "answer", Title: "已答复", Body: "{来电人}您好，您反映的{事项}问题已答复。"})
	if err != nil || shared.ID == 0 {
		t.Fatalf("the dispatcher's shared answer: %v", err)
	}
	own, err := svc.PutReplyTemplate(ctx, off, domain.ReplyTemplate{Org: "LY-CGJ", Use: "result", Title: "已清运", Body: "{部门}已于{日期}清运{地址}的垃圾（{编号}）。"})
	if err != nil {
		t.Fatalf("the officer's own result: %v", err)
	}
	for _, tc := range []struct {
		name string
		u    domain.User
		tpl  domain.ReplyTemplate
	}{
		{"an officer, a shared one", off, domain.ReplyTemplate{Use: "answer", Title: "x", Body: "y"}},
		{"an officer, another org's", other, domain.ReplyTemplate{Org: "LY-CGJ", Use: "result", Title: "x", Body: "y"}},
		{"a dispatcher, an org's", disp, domain.ReplyTemplate{Org: "LY-CGJ", Use: "result", Title: "x", Body: "y"}},
		{"a grid worker", users["demo.grid"], domain.ReplyTemplate{Use: "answer", Title: "x", Body: "y"}},
		{"another org's officer changing it", other, domain.ReplyTemplate{ID: own.ID, Version: own.Version, Org: "LY-ZJJ", Use: "result", Title: "x", Body: "y"}},
	} {
		if _, err := svc.PutReplyTemplate(ctx, tc.u, tc.tpl); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("%s: %v, want forbidden", tc.name, err)
		}
	}
	if _, err := svc.PutReplyTemplate(ctx, disp, domain.ReplyTemplate{Use: "answer", Title: "x", Body: "{姓名}您好"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("an unknown placeholder: %v", err)
	}
	stale := shared
	shared.Title = "已答复（通用）"
	if shared, err = svc.PutReplyTemplate(ctx, disp, shared); err != nil || shared.Version != 2 {
		t.Fatalf("change: %v", err)
	}
	if _, err := svc.PutReplyTemplate(ctx, disp, stale); domain.ErrorCode(err) != domain.ESTALE {
		t.Errorf("a stale change: %v", err)
	}
	// offered: the dispatcher the shared answer only, the officer both, the other org's
	// officer the shared one, a grid worker nothing
	for _, tc := range []struct {
		u    domain.User
		want int
	}{{disp, 1}, {off, 2}, {other, 1}, {admin, 2}} {
		if got, err := svc.ReplyTemplates(ctx, tc.u, ""); err != nil || len(got)-before[tc.u.Login] != tc.want {
			t.Errorf("%s offered %d more (%v), want %d", tc.u.Login, len(got)-before[tc.u.Login], err, tc.want)
		}
	}
	if _, err := svc.ReplyTemplates(ctx, users["demo.grid"], ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a grid worker: %v", err)
	}
	// filled in from a case
	c := &domain.Case{Number: "20261206-000001", Matter: "SR-001", Address: "民光社区3栋旁", Reporter: domain.Reporter{Name: "黄小红"}}
	got, err := svc.CaseReplies(ctx, off, c, "result")
	i := slices.IndexFunc(got, func(x domain.ReplyTemplate) bool { return x.ID == own.ID })
	if err != nil || i < 0 || !strings.Contains(got[i].Body, c.Number) || strings.Contains(got[i].Body, "{") {
		t.Fatalf("filled in: %v %+v", err, got)
	}
	if err := svc.DeleteReplyTemplate(ctx, other, own.ID, own.Version); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("another org's officer deleted: %v", err)
	}
	if err := svc.DeleteReplyTemplate(ctx, off, own.ID, own.Version); err != nil {
		t.Fatalf("delete: %v", err)
	}
	for id, n := range map[int64]int{shared.ID: 2, own.ID: 2} {
		log, _, err := svc.AuditLog(ctx, admin, domain.AuditFilter{Object: "reply_template/" + strconv.FormatInt(id, 10)})
		if err != nil || len(log) != n {
			t.Errorf("reply_template/%d logged %d: %v", id, len(log), err)
		}
	}
}
