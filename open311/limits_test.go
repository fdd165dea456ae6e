package open311_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPostsAreBounded: a request form past 1 MiB is answered 413, in the
// specification's error format, before its api_key is looked at.
func TestPostsAreBounded(t *testing.T) {
	f := setup(t)
	form := validPost(f.key)
	form.Set("description", strings.Repeat("很", 1<<20))
	f.wantError("POST", "/open311/v2/requests.FMT", form, http.StatusRequestEntityTooLarge)
	f.wantError("POST", "/open311/v2/requests.FMT", url.Values{"api_key": {"x"}, "description": {strings.Repeat("x", 2<<20)}}, http.StatusRequestEntityTooLarge)
}
