package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestLoginBurstIsThrottled: sixty wrong passwords sent at once get five answers of 401
// and fifty-five of 429, as sent one by one, and then the right one is refused too.
func TestLoginBurstIsThrottled(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	var mu sync.Mutex
	var wg sync.WaitGroup
	got := map[int]int{}
	for i := range 60 {
		wg.Go(func() {
			status, _, _ := h.hRaw("POST", "/api/v1/auth/token", "", fmt.Sprintf(`{"login":"demo.leader","password":"guess-%d"}`, i))
			mu.Lock()
			got[status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if got[http.StatusUnauthorized] != 5 || got[http.StatusTooManyRequests] != 55 {
		t.Fatalf("60 wrong passwords at once: %v, want 5 x 401 and 55 x 429", got)
	}
	if status, _ := h.hDo("POST", "/api/v1/auth/token", "", map[string]string{"login": "demo.leader", "password": "whistle-demo"}); status != http.StatusTooManyRequests {
		t.Fatalf("the right password after the burst: %d, want 429", status)
	}
}

// TestUnauthenticatedBodiesAreBounded: what may be posted without a token is read to
// 1 MiB of JSON or form at most and answered 413 past it.
func TestUnauthenticatedBodiesAreBounded(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	big := `{"login":"demo.grid","password":"` + strings.Repeat("x", 2<<20) + `"}`
	for _, path := range []string{"/api/v1/auth/token", "/api/v1/public/reports", "/api/v1/public/follow"} {
		status, body := h.hDo("POST", path, "", big)
		if status != http.StatusRequestEntityTooLarge || body["error"].(map[string]any)["code"] != "too_large" {
			t.Errorf("POST %s with 2 MiB: %d %v, want 413 too_large", path, status, body)
		}
	}
}

// TestNewPasswordEndsTokens: after an administrator sets a new password, or disables the
// user, the tokens given before answer 401.
func TestNewPasswordEndsTokens(t *testing.T) {
	t.Parallel()
	h := hServer(t, 0)
	status, body := h.hAs("demo.admin", "POST", "/api/v1/users", `{"login":"reset.me","name":"R","password":"secret-pass-1","grants":[{"role":"citizen"}]}`)
	if status != http.StatusCreated {
		t.Fatalf("create: %d %v", status, body)
	}
	u := fmt.Sprintf("/api/v1/users/%v", body["id"])
	old := h.hLoginWith("reset.me", "secret-pass-1")
	h.hRun(0, []hStep{
		{"the token works", "!" + old, "GET", "/api/v1/me", nil, 200, `{"login":"reset.me"}`},
		{"a common password is refused", "demo.admin", "PUT", u, `{"name":"R","password":"password","grants":[{"role":"citizen"}]}`, 400, `{"error":{"code":"invalid"}}`},
		{"12345678 is refused", "demo.admin", "PUT", u, `{"name":"R","password":"12345678","grants":[{"role":"citizen"}]}`, 400, `{"error":{"code":"invalid"}}`},
		{"the login is refused", "demo.admin", "PUT", u, `{"name":"R","password":"reset.me","grants":[{"role":"citizen"}]}`, 400, `{"error":{"code":"invalid"}}`},
		{"refusals leave the token", "!" + old, "GET", "/api/v1/me", nil, 200, `{"login":"reset.me"}`},
		{"new password", "demo.admin", "PUT", u, `{"name":"R","password":"another-pass-2","grants":[{"role":"citizen"}]}`, 200, `{"login":"reset.me"}`},
		{"old token dead", "!" + old, "GET", "/api/v1/me", nil, 401, `{"error":{"code":"unauthorized"}}`},
	})
	h.tokens = map[string]string{}
	fresh := h.hLoginWith("reset.me", "another-pass-2")
	h.hRun(0, []hStep{
		{"disable", "demo.admin", "PUT", u, `{"name":"R","disabled":true,"grants":[{"role":"citizen"}]}`, 200, `{"disabled":true}`},
		{"token of the disabled dead", "!" + fresh, "GET", "/api/v1/me", nil, 401, `{"error":{"code":"unauthorized"}}`},
	})
}
