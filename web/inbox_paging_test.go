package web

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"whistle/domain"
	"whistle/whistletest"
)

// TestInboxPagesWalk walks every tab of an officer's inbox (store.LeadCases, and
// store.SummonedCases for the whistled tab) page by page through its "more" links, as
// the browser does, and holds the walk to a full read of the database: each page at
// most a page long, ids strictly decreasing across the pages (so none repeats), every
// case of the full read met in its order (so none is skipped), and a "more" link, to
// after the page's last case, exactly on the pages that more cases follow. The tabs'
// sizes put the edges in: 60 to do (two full pages, then no link), 31 in hand, 91 in
// all, 45 whistled.
func TestInboxPagesWalk(t *testing.T) {
	t.Parallel()
	s := newSite(t, 0)
	ctx := context.Background()
	citizen, disp, officer := s.users["demo.citizen"], s.users["demo.dispatcher"], s.users["demo.officer"]
	file := func(lead string) int64 {
		c, err := s.svc.File(ctx, citizen, domain.NewCase{Matter: "SR-001", Title: "路灯不亮", Region: "431382001001001", Channel: "online", Kind: "request"})
		if err != nil {
			t.Fatal(err)
		}
		s.act(disp, c.ID, domain.Command{Action: domain.ActAccept})
		s.act(disp, c.ID, domain.Command{Action: domain.ActDispatch, Org: lead})
		return c.ID
	}
	for i := range 91 { // demo.officer's org leads 91 cases and has acknowledged 31
		if id := file("LY-CGJ"); i%3 == 0 {
			s.act(officer, id, domain.Command{Action: domain.ActAcknowledge})
		}
	}
	for range 45 { // and is whistled to 45 that another org leads
		s.act(disp, file("LY-ZJJ"), domain.Command{Action: domain.ActWhistle, Orgs: []string{"LY-CGJ"}})
	}
	raw := whistletest.OpenRaw(t, whistletest.StoreOf(s.svc))
	c := s.client()
	c.login("demo.officer")
	for _, tab := range []struct {
		name string
		full string // the tab's cases, newest first, read straight from the tables
		want int
	}{
		{"todo", `SELECT id FROM cases WHERE lead_org = 'LY-CGJ' AND status = 'dispatched' ORDER BY id DESC`, 60},
		{"working", `SELECT id FROM cases WHERE lead_org = 'LY-CGJ' AND status IN ('acknowledged', 'in_progress') ORDER BY id DESC`, 31},
		{"all", `SELECT id FROM cases WHERE lead_org = 'LY-CGJ' ORDER BY id DESC`, 91},
		{"summoned", `SELECT case_id FROM case_orgs WHERE org = 'LY-CGJ' AND role = 'summoned' AND reported_at IS NULL ORDER BY case_id DESC`, 45},
	} {
		full := raw.IDs(t, tab.full)
		if len(full) != tab.want {
			t.Fatalf("%s: the tables hold %d cases, want %d", tab.name, len(full), tab.want)
		}
		walked := walkInbox(t, c, "/inbox?org=LY-CGJ&tab="+tab.name, len(full))
		if fmt.Sprint(walked) != fmt.Sprint(full) {
			t.Errorf("%s: the pages walk %d cases, the tables hold %d:\n%v\n%v", tab.name, len(walked), len(full), walked, full)
		}
	}
}

var (
	caseLink = regexp.MustCompile(`href="/cases/(\d+)"`)
	moreLink = regexp.MustCompile(`<tr id="more"><td colspan="\d+"><a href="([^"]+)"`)
)

// walkInbox follows an inbox tab's "more" links from its first page and gives the case
// ids in the order met, failing on a page too long, an id not below the one before it,
// or a "more" link where no case follows (or none where some do) or not to after the
// page's last case. total is how many cases the tab holds.
func walkInbox(t *testing.T, c *client, first string, total int) []int64 {
	t.Helper()
	var ids []int64
	for page, path := 1, first; path != ""; page++ {
		status, body := c.get(path)
		if status != http.StatusOK {
			t.Fatalf("%s: %d", path, status)
		}
		rows := caseLink.FindAllStringSubmatch(body, -1)
		if len(rows) > pageSize {
			t.Fatalf("%s: %d cases on a page of %d", path, len(rows), pageSize)
		}
		for _, m := range rows {
			id, _ := strconv.ParseInt(m[1], 10, 64)
			if len(ids) > 0 && id >= ids[len(ids)-1] {
				t.Fatalf("%s (page %d): case %d after case %d", path, page, id, ids[len(ids)-1])
			}
			ids = append(ids, id)
		}
		path = ""
		if m := moreLink.FindStringSubmatch(body); m != nil {
			path = html.UnescapeString(m[1])
		}
		switch {
		case path == "" && len(ids) < total:
			t.Fatalf("page %d of %s ends the walk after %d of %d cases", page, first, len(ids), total)
		case path != "" && len(ids) == total:
			t.Fatalf("page %d of %s links to more after the last case: %s", page, first, path)
		case path != "" && !strings.HasSuffix(path, "&after="+strconv.FormatInt(ids[len(ids)-1], 10)):
			t.Fatalf("page %d of %s links to %s, not to after its last case %d", page, first, path, ids[len(ids)-1])
		}
	}
	return ids
}
