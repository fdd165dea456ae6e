package web

import "testing"

// TestSafeNext holds redirects after signing in to paths of this site.
func TestSafeNext(t *testing.T) {
	for _, c := range []struct{ next, want string }{
		{"/cases?status=new&page=2", "/cases?status=new&page=2"},
		{"/cases/12", "/cases/12"},
		{"/admin/users/", "/admin/users/"},
		{"/a/./b/../c", "/a/c"},
		{"/../../etc/passwd", "/etc/passwd"},
		{"/dispatch#queue", "/dispatch"},
		{"/cases?q=a/b", "/cases?q=a/b"},
		{"/%2F%2Fevil.example", "/%2F%2Fevil.example"}, // stays a path here: browsers do not decode it
		{"", "/"},
		{"cases", "/"},
		{"//evil.example", "/"},
		{"///evil.example", "/"},
		{"/\\evil.example", "/"},
		{"/./\\evil.example", "/"}, // the reported one: /\evil.example after cleaning
		{"\\\\evil.example", "/"},
		{"/ok?next=\\evil", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"/\t/evil.example", "/"}, // browsers drop the tab: //evil.example
		{"/\n/evil.example", "/"},
		{"/cases\r\nSet-Cookie: a=b", "/"},
		{"/cases\x7f", "/"},
		{"/cases\u0085", "/"},
		{"/\xff", "/"},
	} {
		if got := safeNext(c.next); got != c.want {
			t.Errorf("safeNext(%q) = %q, want %q", c.next, got, c.want)
		}
	}
}
