package web

import (
	"context"
	"log/slog"
	"testing"

	"whistle/domain"
	"whistle/service"
	"whistle/store"
	"whistle/whistletest"
)

// Two servers on one database: an org renamed through one is named anew by the other
// on its next page, however recently it read the catalog.
func TestCatalogChangeSeenByOtherServers(t *testing.T) {
	ctx := context.Background()
	svc1, _, _ := whistletest.Demo(t, 0)
	db2, err := store.Open(ctx, whistletest.StoreOf(svc1).DSN)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db2.Close() })
	one, two := New(svc1, slog.New(slog.DiscardHandler)), New(service.New(db2), slog.New(slog.DiscardHandler))
	name := func(a *App) string {
		orgs, _, err := a.catalog(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range orgs {
			if o.Code == "LY-CGJ" {
				return o.Name
			}
		}
		t.Fatal("LY-CGJ missing")
		return ""
	}
	before := name(one)
	name(two)
	if err := db2.PutOrg(ctx, domain.Org{Code: "LY-CGJ", Name: "涟源市城市管理局（新）", Kind: "department"}); err != nil {
		t.Fatal(err)
	}
	if got := name(one); got == before || got != "涟源市城市管理局（新）" {
		t.Errorf("the other server still names LY-CGJ %q", got)
	}
}
