package service_test

import (
	"context"
	"strconv"
	"testing"

	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// TestSuggestMattersAtTheSeat: the dispatcher's seat ranks 社会生活噪声 for a caller who
// says 噪音 (the catalogue says 噪声); an officer gets no suggestions; the installation's
// administrator adds a synonym group and the next suggestion uses it; the change is
// audited and a group of one word is refused.
func TestSuggestMattersAtTheSeat(t *testing.T) {
	ctx := context.Background()
	svc, users, _ := whistletest.Demo(t, 0)
	disp, admin := users["demo.dispatcher"], users["demo.admin"]
	in3 := func(text, code string) bool {
		t.Helper()
		got, err := svc.SuggestMatters(ctx, disp, text, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range got {
			if g.Matter.Code == code {
				return len(g.Why) > 0
			}
		}
		return false
	}
	if !in3("楼下广场舞噪音太大", "ST-002") {
		t.Error("噪音 did not find 社会生活噪声")
	}
	if _, err := svc.SuggestMatters(ctx, users["officer.LY-CGJ"], "噪音", 3); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("an officer: %v", err)
	}
	if in3("家门口有马蜂窝", "SR-009") {
		t.Fatal("马蜂窝 found 动物尸体 before any synonym said so")
	}
	text, err := svc.Synonyms(ctx)
	if err != nil || text != domain.DefaultSynonyms {
		t.Fatalf("the shipped synonyms: %v", err)
	}
	if err := svc.SetSynonyms(ctx, disp, text+"\n马蜂窝 动物尸体"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a dispatcher set the synonyms: %v", err)
	}
	if err := svc.SetSynonyms(ctx, admin, "孤词"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a group of one: %v", err)
	}
	if err := svc.SetSynonyms(ctx, admin, text+"\n马蜂窝 动物尸体"); err != nil {
		t.Fatal(err)
	}
	if !in3("家门口有马蜂窝", "SR-009") {
		t.Error("the new synonym group is not used")
	}
	log, _, err := svc.AuditLog(ctx, admin, domain.AuditFilter{Object: "setting/matter_synonyms"})
	if err != nil || len(log) != 1 {
		t.Errorf("audited %d times: %v", len(log), err)
	}
}

// TestCallerHistory: two calls from one number written two ways, and one from another;
// the seat finds the first two by the number in a third way, open ones first, logs the
// look-up with the number masked, and refuses an officer and a number that is none.
func TestCallerHistory(t *testing.T) {
	ctx := context.Background()
	svc, users, _ := whistletest.Demo(t, 0)
	disp := users["demo.dispatcher"]
	call := func(phone, title string) int64 {
		t.Helper()
		rc, err := svc.FileIntake(ctx, disp, service.Intake{Case: domain.NewCase{Matter: "SZ-003", Title: title, Region: "431382001205", Channel: "hotline"},
			Details: domain.IntakeDetails{CallerPhone: phone}})
		if err != nil {
			t.Fatal(err)
		}
		return rc.Case.ID
	}
	first := call("138-0738 0001", "路灯不亮")
	second := call("13807380001", "路灯还是不亮")
	call("13907380002", "别人的来电")
	if _, err := svc.Act(ctx, disp, first, domain.Command{Action: domain.ActReject, Version: 1, Reason: "重复"}); err != nil {
		t.Fatal(err)
	}
	got, err := svc.CallerHistory(ctx, disp, "+86 138 0738 0001")
	if err != nil || len(got) != 2 || got[0].ID != second || !got[0].Open || got[1].ID != first || got[1].Open {
		t.Fatalf("history: %v %+v", err, got)
	}
	if _, err := svc.CallerHistory(ctx, users["officer.LY-CGJ"], "13807380001"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("an officer: %v", err)
	}
	if _, err := svc.CallerHistory(ctx, disp, "call me"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("no number: %v", err)
	}
	log, _, err := svc.AuditLog(ctx, users["demo.admin"], domain.AuditFilter{Action: domain.ActCallerSearch})
	if err != nil || len(log) != 1 || log[0].Change != `{"field":"phone","results":2,"value":"138****0001"}` {
		t.Errorf("the log: %v %+v", err, log)
	}
}

// TestDirectAnswer: a consultation answered on the call is filed and closed with the
// answer, counted apart (answered) and in no rate; a request may not be answered so,
// and nothing is filed then.
func TestDirectAnswer(t *testing.T) {
	ctx := context.Background()
	svc, users, _ := whistletest.Demo(t, 0)
	disp := users["demo.dispatcher"]
	consult := domain.NewCase{Matter: "MZ-006", Title: "灵活就业社保怎么缴", Region: "431382001205", Channel: "hotline", Kind: "consultation"}
	rc, err := svc.FileIntake(ctx, disp, service.Intake{Case: consult, Details: domain.IntakeDetails{CallerPhone: "13807380003"},
		Answer: "可在湖南智慧人社App或社区服务中心办理，电话 0738-12333"})
	if err != nil {
		t.Fatal(err)
	}
	if c := rc.Case; c.Status != domain.StatusClosed || !c.Answered() || c.Result == "" {
		t.Fatalf("answered: %s %q", c.Status, c.Result)
	}
	req := consult
	req.Kind = "request"
	if _, err := svc.FileIntake(ctx, disp, service.Intake{Case: req, Details: domain.IntakeDetails{CallerPhone: "13807380003"}, Answer: "好的"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a request answered on the call: %v", err)
	}
	rep, err := svc.Stats(ctx, users["demo.leader"], domain.StatsQuery{Region: "431382001"})
	if err != nil || len(rep.Rows) != 1 {
		t.Fatalf("stats: %v %+v", err, rep.Rows)
	}
	if s := rep.Rows[0]; s.Received != 1 || s.Answered != 1 || s.Closed != 1 || s.Dispatched != 0 || s.ResolutionRate != nil {
		t.Errorf("the street's figures: %+v", s)
	}
}

// TestKnowledgeBase: the seat finds the demo's answer for a caller's words; a
// dispatcher adds an entry and changes it at its version (a stale version is refused);
// an officer neither reads nor writes; every change is logged.
func TestKnowledgeBase(t *testing.T) {
	ctx := context.Background()
	svc, users, _ := whistletest.Demo(t, 0)
	disp := users["demo.dispatcher"]
	got, err := svc.SearchKnowledge(ctx, disp, "灵活就业人员的社保怎么交", "")
	if err != nil || len(got) == 0 || got[0].Title != "灵活就业人员社保缴费" {
		t.Fatalf("search: %v %+v", err, got)
	}
	if _, err := svc.SearchKnowledge(ctx, users["officer.LY-CGJ"], "社保", ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("an officer searched: %v", err)
	}
	k, err := svc.PutKnowledge(ctx, disp, domain.Knowledge{Matter: "ST-002", Title: "广场舞噪声投诉口径", Body: "将转交社区协调，夜间22点后可报110"})
	if err != nil || k.ID == 0 || k.Version != 1 {
		t.Fatalf("add: %v %+v", err, k)
	}
	k.Body += "。"
	if k, err = svc.PutKnowledge(ctx, disp, k); err != nil || k.Version != 2 {
		t.Fatalf("change: %v %+v", err, k)
	}
	k.Version = 1
	if _, err := svc.PutKnowledge(ctx, disp, k); domain.ErrorCode(err) != domain.ESTALE {
		t.Errorf("a stale change: %v", err)
	}
	if _, err := svc.PutKnowledge(ctx, disp, domain.Knowledge{Matter: "NOPE", Title: "x", Body: "y"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("an unknown matter: %v", err)
	}
	if got, _ := svc.SearchKnowledge(ctx, disp, "", "ST-002"); len(got) != 1 || got[0].ID != k.ID {
		t.Errorf("by matter: %+v", got)
	}
	log, _, err := svc.AuditLog(ctx, users["demo.admin"], domain.AuditFilter{Object: "knowledge/" + strconv.FormatInt(k.ID, 10)})
	if err != nil || len(log) != 2 {
		t.Errorf("logged %d: %v", len(log), err)
	}
}
