package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/service"
	"whistle/whistletest"
)

// site is the web application on httptest over a demo database, for tests that read
// pages as HTML without a browser.
type site struct {
	t     *testing.T
	srv   *httptest.Server
	svc   *service.Service
	users demo.Users
	clock *whistletest.Clock
	app   *App
	// cut, when set, answers every request to the path it names with 502 Bad Gateway,
	// as a proxy does when the server cannot be reached: an upload failing on the way.
	cut atomic.Value
}

func newSite(t *testing.T, cases int) *site {
	t.Helper()
	svc, users, clock := whistletest.Demo(t, cases)
	app := New(svc, slog.New(slog.NewTextHandler(io.Discard, nil)))
	s := &site{t: t, svc: svc, users: users, clock: clock, app: app}
	s.cut.Store("")
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cut := s.cut.Load().(string); cut != "" && r.URL.Path == cut {
			http.Error(w, "bad gateway", http.StatusBadGateway)
			return
		}
		app.ServeHTTP(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// user reads a user of the site by login, with their grants.
func (s *site) user(login string) domain.User {
	s.t.Helper()
	u, err := whistletest.StoreOf(s.svc).UserByLogin(s.t.Context(), login)
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

// act has u take one step on a case at the version it stands at.
func (s *site) act(u domain.User, id int64, cmd domain.Command) {
	s.t.Helper()
	c, err := s.svc.Case(s.t.Context(), u, id)
	if err != nil {
		s.t.Fatal(err)
	}
	cmd.Version = c.Version
	if _, err := s.svc.Act(s.t.Context(), u, id, cmd); err != nil {
		s.t.Fatalf("%s %d: %v", cmd.Action, id, err)
	}
}

// client is one browser: a cookie jar that does not follow redirects.
type client struct {
	s    *site
	http *http.Client
	csrf string
}

func (s *site) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{s: s, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// get fetches a page and remembers its CSRF token.
func (c *client) get(path string) (int, string) {
	c.s.t.Helper()
	resp, err := c.http.Get(c.s.srv.URL + path)
	if err != nil {
		c.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if m := csrfField.FindStringSubmatch(string(b)); m != nil {
		c.csrf = m[1]
	}
	return resp.StatusCode, string(b)
}

// post sends a form with the last CSRF token seen (unless the form has its own).
func (c *client) post(path string, form url.Values) (int, string, string) {
	c.s.t.Helper()
	if form.Get("_csrf") == "" {
		form.Set("_csrf", c.csrf)
	}
	resp, err := c.http.PostForm(c.s.srv.URL+path, form)
	if err != nil {
		c.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

func (c *client) login(login string) {
	c.s.t.Helper()
	c.get("/login")
	status, loc, body := c.post("/login", url.Values{"login": {login}, "password": {demo.Password}, "next": {"/"}})
	if status != http.StatusSeeOther {
		c.s.t.Fatalf("login %s: %d %s", login, status, body)
	}
	if loc != "/" {
		c.s.t.Fatalf("login went to %q", loc)
	}
	c.get("/cases") // a page with the session's CSRF token
}

func TestLoginSessionAndCSRF(t *testing.T) {
	s := newSite(t, 50)
	c := s.client()
	if status, _ := c.get("/dispatch"); status != http.StatusSeeOther {
		t.Fatalf("no session: %d", status)
	}
	// the login form refuses a post without its CSRF cookie's token
	c.get("/login")
	if status, _, _ := c.post("/login", url.Values{"_csrf": {"forged"}, "login": {"demo.dispatcher"}, "password": {demo.Password}}); status != http.StatusForbidden {
		t.Fatalf("forged login CSRF: %d", status)
	}
	status, _, body := c.post("/login", url.Values{"login": {"demo.dispatcher"}, "password": {"wrong-password"}})
	if status != http.StatusUnauthorized || !strings.Contains(body, "账号或密码不正确") {
		t.Fatalf("wrong password: %d", status)
	}
	c.login("demo.dispatcher")
	u, _ := url.Parse(s.srv.URL)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == sessionCookie && ck.Value == "" {
			t.Fatal("empty session cookie")
		}
	}
	status, body = c.get("/dispatch")
	if status != http.StatusOK || !strings.Contains(body, "调度台") {
		t.Fatalf("dispatch: %d", status)
	}
	// an action without the session's CSRF token changes nothing
	if status, _, _ := c.post("/logout", url.Values{"_csrf": {"nope"}}); status != http.StatusForbidden {
		t.Fatalf("logout without CSRF: %d", status)
	}
	if status, _ := c.get("/dispatch"); status != http.StatusOK {
		t.Fatal("session lost after a refused logout")
	}
	if status, loc, _ := c.post("/logout", url.Values{}); status != http.StatusSeeOther || loc != "/login" {
		t.Fatalf("logout: %d %s", status, loc)
	}
	if status, _ := c.get("/dispatch"); status != http.StatusSeeOther {
		t.Fatal("session still works after logout")
	}
}

func TestSessionCookieFlags(t *testing.T) {
	s := newSite(t, 0)
	c := s.client()
	c.get("/login")
	form := url.Values{"_csrf": {c.csrf}, "login": {"demo.grid"}, "password": {demo.Password}}
	req, _ := http.NewRequest("POST", s.srv.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var found bool
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			found = true
			if !ck.HttpOnly || !ck.Secure || ck.SameSite != http.SameSiteLaxMode || ck.MaxAge < 3600 {
				t.Fatalf("session cookie flags: %+v", ck)
			}
		}
	}
	if !found {
		t.Fatal("no session cookie")
	}
}

func TestIdleSessionEnds(t *testing.T) {
	s := newSite(t, 0)
	c := s.client()
	c.login("demo.dispatcher")
	s.clock.Add(s.svc.SessionIdle - time.Minute)
	if status, _ := c.get("/dispatch"); status != http.StatusOK {
		t.Fatal("session ended too soon")
	}
	s.clock.Add(s.svc.SessionIdle + time.Minute)
	if status, _ := c.get("/dispatch"); status != http.StatusSeeOther {
		t.Fatalf("idle session still works")
	}
}

func TestFailedLoginsAreThrottled(t *testing.T) {
	s := newSite(t, 0)
	c := s.client()
	c.get("/login")
	var status int
	var body string
	for i := 0; i < 6; i++ {
		status, _, body = c.post("/login", url.Values{"login": {"demo.leader"}, "password": {"bad-password"}})
	}
	if status != http.StatusTooManyRequests || !strings.Contains(body, "登录失败次数过多") {
		t.Fatalf("after 6 failures: %d", status)
	}
	// even the right password waits out the lock
	if status, _, _ := c.post("/login", url.Values{"login": {"demo.leader"}, "password": {demo.Password}}); status != http.StatusTooManyRequests {
		t.Fatalf("right password during lock: %d", status)
	}
}

func TestLanguageSwitch(t *testing.T) {
	s := newSite(t, 10)
	c := s.client()
	c.login("demo.dispatcher")
	_, body := c.get("/dispatch")
	if !strings.Contains(body, `lang="zh-CN"`) || !strings.Contains(body, "调度台") {
		t.Fatal("not Chinese by default")
	}
	if status, loc, _ := c.post("/lang", url.Values{"lang": {"en"}, "back": {"/dispatch"}}); status != http.StatusSeeOther || loc != "/dispatch" {
		t.Fatalf("switch: %d %s", status, loc)
	}
	_, body = c.get("/dispatch")
	if !strings.Contains(body, `lang="en"`) || !strings.Contains(body, "Dispatch queue") || strings.Contains(body, "调度台") {
		t.Fatal("not English after the switch")
	}
	u, _ := s.svc.User(t.Context(), s.users["demo.admin"], s.users["demo.dispatcher"].ID)
	if u.Lang != "en" {
		t.Fatalf("language not stored on the user: %q", u.Lang)
	}
	if status, _, _ := c.post("/lang", url.Values{"lang": {"fr"}}); status != http.StatusBadRequest {
		t.Fatalf("unknown language: %d", status)
	}
}

func TestRolesAndScope(t *testing.T) {
	s := newSite(t, 200)
	grid := s.client()
	grid.login("demo.grid")
	if status, _ := grid.get("/dispatch"); status != http.StatusForbidden {
		t.Fatalf("grid worker on the dispatch queue: %d", status)
	}
	// a case of another street does not exist for the street's dispatcher
	other := s.client()
	other.login("demo.other")
	d := s.client()
	d.login("demo.dispatcher")
	_, body := d.get("/cases")
	m := regexp.MustCompile(`href="/cases/(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no case in the dispatcher's queue")
	}
	if status, _ := d.get("/cases/" + m[1]); status != http.StatusOK {
		t.Fatalf("own case: %d", status)
	}
	if status, _ := other.get("/cases/" + m[1]); status != http.StatusNotFound {
		t.Fatalf("other street's dispatcher sees the case: %d", status)
	}
	if status, _ := d.get("/cases/99999999"); status != http.StatusNotFound {
		t.Fatal("no 404 for an unknown case")
	}
	if status, _ := d.get("/no/such/page"); status != http.StatusNotFound {
		t.Fatal("no 404 for an unknown page")
	}
}
