package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// A receipt's holder, on the tracking page, asks for progress messages by e-mail: the
// page says where the confirmation went, masked; a bad address is said on the form;
// the confirmation's link opens a page whose button confirms (a GET alone does not); a
// changed token finds nothing.
func TestReceiptSubscriptionPages(t *testing.T) {
	t.Parallel()
	s := newSite(t, 0)
	r, err := s.svc.PublicReport(t.Context(), "203.0.113.7", service.Intake{Case: domain.NewCase{Matter: "SR-001", Title: "民光社区路灯不亮",
		Region: "431382001001001001", Kind: "request"}})
	if err != nil {
		t.Fatal(err)
	}
	p := s.client()
	track := "/public/track?" + url.Values{"number": {r.Number}, "secret": {r.Secret}}.Encode()
	if status, body := p.get(track); status != http.StatusOK || !strings.Contains(body, `id="subscribe-form"`) {
		t.Fatalf("tracking page: %d", status)
	}
	form := url.Values{"number": {r.Number}, "secret": {r.Secret}, "channel": {"email"}, "address": {"not an address"}}
	if status, _, body := p.post("/public/track/subscribe", form); status != http.StatusBadRequest || !strings.Contains(body, "请填写与所选方式相符的邮箱或手机号") || !strings.Contains(body, r.Number) {
		t.Errorf("a bad address: %d", status)
	}
	form.Set("address", "li.si@example.cn")
	if status, _, body := p.post("/public/track/subscribe", form); status != http.StatusOK || !strings.Contains(body, "确认消息已发送至 l***@example.cn") || strings.Contains(body, "li.si@") {
		t.Fatalf("subscribe: %d %s", status, body)
	}
	raw := whistletest.OpenRaw(t, whistletest.StoreOf(s.svc))
	var text string
	if err := raw.QueryRowContext(t.Context(), `SELECT message FROM outbox WHERE kind = 'receipt_confirm'`).Scan(&text); err != nil {
		t.Fatal(err)
	}
	_, link, _ := strings.Cut(text, p.s.srv.URL)
	link, _, _ = strings.Cut(link, " ")
	if !strings.HasPrefix(link, "/public/subscription?t=c") {
		t.Fatalf("confirmation text: %s", text)
	}
	status, body := p.get(link)
	if status != http.StatusOK || !strings.Contains(body, "尚未确认") || !strings.Contains(body, `id="subscription-act"`) {
		t.Fatalf("the link's page: %d %s", status, body)
	}
	tok, _ := url.ParseQuery(strings.TrimPrefix(link, "/public/subscription?"))
	if status, _, body := p.post("/public/subscription", url.Values{"t": {tok.Get("t")}}); status != http.StatusOK || !strings.Contains(body, "已确认") {
		t.Fatalf("confirm: %d %s", status, body)
	}
	if status, _ := p.get("/public/subscription?t=" + tok.Get("t") + "0"); status != http.StatusNotFound {
		t.Errorf("a changed token: %d", status)
	}
}
