package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// An officer subscribes whistles to e-mail on the page, with quiet hours; the page shows
// them kept, the phone masked; a bad address is said on the form, not a 500.
func TestMessagePrefsPage(t *testing.T) {
	t.Parallel()
	s := newSite(t, 0)
	o := s.client()
	o.login("officer.LY-YJJ")
	status, body := o.get("/notices/settings")
	if status != http.StatusOK || !strings.Contains(body, `value="whistle:email"`) {
		t.Fatalf("page: %d", status)
	}
	form := url.Values{"email": {"yjj@example.cn"}, "phone": {"13900001234"}, "quiet_from": {"22:00"}, "quiet_to": {"07:00"},
		"sub": {"whistle:email", "overdue_ack:sms"}}
	if status, loc, body := o.post("/notices/settings", form); status != http.StatusSeeOther || loc != "/notices/settings" {
		t.Fatalf("save: %d %s %s", status, loc, body)
	}
	_, body = o.get("/notices/settings")
	for _, want := range []string{`value="whistle:email" aria-label="吹哨 邮件" checked`, `value="yjj@example.cn"`, `value="22:00"`, `value="07:00"`, `value="139****1234"`} {
		if !strings.Contains(body, want) {
			t.Errorf("kept page misses %s", want)
		}
	}
	if strings.Contains(body, "13900001234") {
		t.Error("the page shows the whole phone number")
	}
	form.Set("email", "not-an-address")
	if status, _, body := o.post("/notices/settings", form); status != http.StatusBadRequest || !strings.Contains(body, "email") {
		t.Errorf("a bad address: %d", status)
	}
}

// The case page loads its follow button; pressing it follows the case, and the button
// then offers to stop.
func TestFollowButton(t *testing.T) {
	t.Parallel()
	s := newSite(t, 0)
	c := dispatchedCase(s, "LY-CGJ")
	d := s.client()
	d.login("demo.dispatcher")
	path := "/cases/" + strconv.FormatInt(c.ID, 10)
	if _, body := d.get(path); !strings.Contains(body, `hx-get="`+path+`/follow"`) {
		t.Fatal("the case page does not load its follow button")
	}
	if _, body := d.get(path + "/follow"); !strings.Contains(body, `name="on" value="1"`) {
		t.Fatalf("button before following: %s", body)
	}
	if status, loc, _ := d.post(path+"/follow", url.Values{"on": {"1"}}); status != http.StatusSeeOther || loc != path {
		t.Fatalf("follow: %d %s", status, loc)
	}
	if _, body := d.get(path + "/follow"); !strings.Contains(body, `name="on" value="0"`) {
		t.Fatalf("button after following: %s", body)
	}
	if on, err := s.svc.FollowingCase(t.Context(), s.user("demo.dispatcher"), c.ID); err != nil || !on {
		t.Errorf("following: %v %v", on, err)
	}
}

// The administrator sets the channels on the page: the password and the secret are
// never shown back (an empty field keeps them), a bad port is said on the form, a test
// message goes to the administrator's own address through the outbox (its count shows
// it pending), and a test on a channel without an address is refused on the form.
func TestChannelsPage(t *testing.T) {
	t.Parallel()
	s := newSite(t, 0)
	a := s.client()
	a.login("demo.admin")
	if status, body := a.get("/admin/channels"); status != http.StatusOK || !strings.Contains(body, `name="smtp_password"`) {
		t.Fatalf("page: %d", status)
	}
	form := url.Values{"smtp_host": {"smtp.example.cn"}, "smtp_port": {"587"}, "smtp_from": {"whistle@example.cn"}, "smtp_user": {"whistle"},
		"smtp_password": {"pass-word-in-clear"}, "webhook_url": {"https://gateway.example.cn/hook"}, "webhook_secret": {"a-shared-secret-of-32-characters"}}
	if status, loc, body := a.post("/admin/channels", form); status != http.StatusSeeOther || loc != "/admin/channels?saved=1" {
		t.Fatalf("save: %d %s %s", status, loc, body)
	}
	_, body := a.get("/admin/channels?saved=1")
	for _, want := range []string{`value="smtp.example.cn"`, `value="587"`, `value="https://gateway.example.cn/hook"`, "已保存（留空不变）"} {
		if !strings.Contains(body, want) {
			t.Errorf("kept page misses %s", want)
		}
	}
	if strings.Contains(body, "pass-word-in-clear") || strings.Contains(body, "a-shared-secret-of-32-characters") {
		t.Error("the page shows a credential")
	}
	bad := url.Values{"smtp_host": {"smtp.example.cn"}, "smtp_port": {"70000"}, "smtp_from": {"whistle@example.cn"}, "smtp_password": {"another-one"}}
	if status, _, body := a.post("/admin/channels", bad); status != http.StatusBadRequest || !strings.Contains(body, "端口：应为 1 至 65535") || strings.Contains(body, "another-one") {
		t.Errorf("a bad port: %d", status)
	}
	if status, _, body := a.post("/admin/channels/test", url.Values{"channel": {"email"}}); status != http.StatusBadRequest || !strings.Contains(body, "消息提醒设置") {
		t.Errorf("a test without an address: %d", status)
	}
	if status, _, _ := a.post("/notices/settings", url.Values{"email": {"admin@example.cn"}}); status != http.StatusSeeOther {
		t.Fatalf("admin's address: %d", status)
	}
	if status, loc, body := a.post("/admin/channels/test", url.Values{"channel": {"email"}}); status != http.StatusSeeOther || loc != "/admin/channels" {
		t.Fatalf("test message: %d %s %s", status, loc, body)
	}
	_, body = a.get("/admin/channels")
	if !strings.Contains(body, `data-state="pending">1<`) || !strings.Contains(body, "测试消息已放入发件箱") {
		t.Errorf("the outbox counts do not show the test message pending")
	}
	o := s.client()
	o.login("officer.LY-YJJ")
	if status, _ := o.get("/admin/channels"); status != http.StatusForbidden {
		t.Errorf("an officer reads the channels page: %d", status)
	}
}

// A leader follows the street from the dashboard's button and a matter in it from the
// settings page, which lists both and stops one; an unknown region is said on the form;
// an officer's dashboard-less fragment offers no button, and a follow posted anyway is
// refused (403).
func TestAreaFollowPages(t *testing.T) {
	t.Parallel()
	s := newSite(t, 0)
	l := s.client()
	l.login("demo.leader")
	if _, body := l.get("/dashboard?region=431382001"); !strings.Contains(body, `hx-get="/follows/area?region=431382001"`) {
		t.Fatal("the dashboard does not load its follow button")
	}
	if _, body := l.get("/follows/area?region=431382001"); !strings.Contains(body, `name="on" value="1"`) || !strings.Contains(body, "关注本区域") {
		t.Fatalf("button before following: %s", body)
	}
	next := "/dashboard?region=431382001"
	if status, loc, _ := l.post("/follows/area", url.Values{"region": {"431382001"}, "on": {"1"}, "next": {next}}); status != http.StatusSeeOther || loc != next {
		t.Fatalf("follow: %d %s", status, loc)
	}
	if _, body := l.get("/follows/area?region=431382001"); !strings.Contains(body, `name="on" value="0"`) {
		t.Fatalf("button after following: %s", body)
	}
	if status, loc, _ := l.post("/follows/area", url.Values{"region": {"431382001001"}, "matter": {"SR-001"}, "on": {"1"}, "next": {"//evil.example"}}); status != http.StatusSeeOther || loc != "/notices/settings" {
		t.Fatalf("follow a matter: %d %s", status, loc)
	}
	_, body := l.get("/notices/settings")
	for _, want := range []string{"我关注的区域与事项", "蓝田街道", "全部事项", "民光社区"} {
		if !strings.Contains(body, want) {
			t.Errorf("the settings page misses %s", want)
		}
	}
	if status, _, body := l.post("/follows/area", url.Values{"region": {"999999"}, "on": {"1"}}); status != http.StatusBadRequest || !strings.Contains(body, "区域 999999 不存在") {
		t.Errorf("an unknown region: %d", status)
	}
	if status, _, _ := l.post("/follows/area", url.Values{"region": {"431382001"}, "on": {"0"}, "next": {"/notices/settings"}}); status != http.StatusSeeOther {
		t.Errorf("stop: %d", status)
	}
	if fs, err := s.svc.AreaFollows(t.Context(), s.user("demo.leader")); err != nil || len(fs) != 1 || fs[0].Matter != "SR-001" {
		t.Errorf("follows after stopping the street: %+v %v", fs, err)
	}
	o := s.client()
	o.login("demo.officer")
	if _, body := o.get("/follows/area?region=431382001"); strings.Contains(body, "<form") {
		t.Errorf("an officer is offered a follow button: %s", body)
	}
	if status, _, _ := o.post("/follows/area", url.Values{"region": {"431382001"}, "on": {"1"}}); status != http.StatusForbidden {
		t.Errorf("an officer follows a region: %d", status)
	}
}
