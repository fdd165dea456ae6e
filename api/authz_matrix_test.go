package api_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/whistletest"
)

// TestAuthorisationMatrix (issue 18) calls every route of the API as every role, once as
// a user whose scope holds what the route is called on and once as a user of the same
// role whose scope does not (another street or community, another org, another person),
// and once without a token, and holds each answer's status to the table below. A route
// registered without a row fails: the table is the one place that says who may use
// each route. The sample requests are real ones, so a 2xx means the call did what it
// asks; where one cannot be (a write that may succeed only once) the row makes what it
// acts on anew for each call.
func TestAuthorisationMatrix(t *testing.T) {
	t.Parallel()
	e := newMatrixEnv(t)
	rows := map[string]mxRoute{}
	for _, r := range mxRoutes {
		if _, twice := rows[r.route]; twice {
			t.Errorf("the matrix has two rows for %s", r.route)
		}
		rows[r.route] = r
	}
	for _, route := range e.srv.Routes {
		if !strings.Contains(route, " ") {
			continue // the catch-all "/api/" answers 404 for what is no route
		}
		if _, ok := rows[route]; !ok {
			t.Errorf("add route %s to the matrix (mxRoutes in authz_routes_test.go): who may call it, in scope and out of it", route)
		}
	}
	print := os.Getenv("WHISTLE_MATRIX_PRINT") != ""
	for _, r := range mxRoutes {
		if !slices.Contains(e.srv.Routes, r.route) {
			t.Errorf("the matrix has a row for %s, which is not registered", r.route)
			continue
		}
		if print {
			e.print(r)
			continue
		}
		e.check(r)
	}
}

// cells gives a status to roles: status → the roles; "*" is every role not named.
type cells = whistletest.Statuses

// mxRoute is a row of the matrix: a route, the request made of it, and the status each
// caller must get.
type mxRoute struct {
	route string // as registered: "METHOD /pattern"
	path  string // the request's path and query; {names} stand for the things (mxEnv.things)
	body  string // its JSON body, with {names} too; "" sends none
	// fresh, when set, makes the request anew for each call instead: for writes that
	// succeed once on what they act on, and for bodies that are not JSON
	fresh func(e *mxEnv, w *mxWho) mxCall
	in    cells // in scope
	away  cells // out of scope; nil: as in scope
	anon  int   // without a token; 0: 401
}

// request is the row's request as w makes it.
func (r mxRoute) request(e *mxEnv, w *mxWho) mxCall {
	var c mxCall
	if r.fresh != nil {
		c = r.fresh(e, w)
	} else {
		c.path = e.fill(r.path)
		if r.body != "" {
			c.body = []byte(e.fill(r.body))
		}
	}
	c.method, _, _ = strings.Cut(r.route, " ")
	if c.token == "" {
		c.token = w.token
	}
	return c
}

// callers are the matrix's callers in order: each role in scope and out of it, then
// nobody.
func (e *mxEnv) callers() []*mxWho {
	var out []*mxWho
	for _, role := range domain.Roles {
		out = append(out, e.who[in(role)], e.who[away(role)])
	}
	return append(out, &mxWho{})
}

// want is the status the row gives a caller.
func (r mxRoute) want(t *testing.T, w *mxWho) int {
	switch {
	case w.role == "" && r.anon == 0:
		return 401
	case w.role == "":
		return r.anon
	}
	c := r.in
	if w.away && r.away != nil {
		c = r.away
	}
	status, err := c.Of(w.role)
	if err != nil {
		t.Fatalf("the matrix's row for %s: %v", r.route, err)
	}
	return status
}

// check calls the row's route as every caller.
func (e *mxEnv) check(r mxRoute) {
	e.t.Helper()
	for _, w := range e.callers() {
		want := r.want(e.t, w)
		c := r.request(e, w)
		if w.role == "" {
			c.token = ""
		}
		got, body := e.do(c)
		if got != want {
			e.t.Errorf("%s as %s: %d, want %d: %.200s", r.route, w, got, want, body)
		}
		if got < 300 {
			e.used()
		}
	}
	e.used()
}

// print shows what every caller gets, to write a row from (WHISTLE_MATRIX_PRINT=1): each
// role's status in scope/out of scope, then without a token.
func (e *mxEnv) print(r mxRoute) {
	var b strings.Builder
	fmt.Fprintf(&b, "%-45s", r.route)
	for _, w := range e.callers() {
		c := r.request(e, w)
		if w.role == "" {
			c.token = ""
		}
		got, body := e.do(c)
		if got < 300 {
			e.used()
		}
		switch {
		case w.role == "":
			fmt.Fprintf(&b, " anon=%d", got)
		case w.away:
			fmt.Fprintf(&b, "/%d", got)
		default:
			fmt.Fprintf(&b, " %s=%d", w.role, got)
		}
		if got >= 400 && got != 401 && got != 403 && got != 404 {
			fmt.Fprintf(&b, "(%.100s)", body)
		}
	}
	e.used()
	fmt.Println(b.String())
}
