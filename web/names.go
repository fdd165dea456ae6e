package web

import (
	"context"
	"sync"

	"whistle/domain"
)

// Names turns codes into the names people read: orgs, matters and regions.
type Names struct {
	Orgs    map[string]string
	Matters map[string]string
	Regions map[string]string
}

// catalogCache keeps the org and matter lists: every page names them and they change
// rarely. The copy is used while the catalog version is the one it was read at,
// so an edit made through any server shows on the next page of every other.
type catalogCache struct {
	mu      sync.Mutex
	version int64
	orgs    []domain.Org
	matters []domain.Matter
}

func (a *App) catalog(ctx context.Context) ([]domain.Org, []domain.Matter, error) {
	v, err := a.svc.CatalogVersion(ctx)
	if err != nil {
		return nil, nil, err
	}
	c := &a.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version == v && c.orgs != nil {
		return c.orgs, c.matters, nil
	}
	orgs, err := a.svc.Orgs(ctx)
	if err != nil {
		return nil, nil, err
	}
	ms, err := a.svc.Matters(ctx)
	if err != nil {
		return nil, nil, err
	}
	c.orgs, c.matters, c.version = orgs, ms, v
	return orgs, ms, nil
}

// names gives the names for the cases' codes, plus any extra region codes.
func (a *App) names(ctx context.Context, cases []*domain.Case, regions ...string) (Names, error) {
	orgs, ms, err := a.catalog(ctx)
	if err != nil {
		return Names{}, err
	}
	n := Names{Orgs: map[string]string{}, Matters: map[string]string{}}
	for _, o := range orgs {
		n.Orgs[o.Code] = o.Name
	}
	for _, m := range ms {
		n.Matters[m.Code] = m.Name
	}
	codes := append([]string{}, regions...)
	for _, c := range cases {
		codes = append(codes, c.Region)
	}
	n.Regions, err = a.svc.RegionNames(ctx, codes)
	return n, err
}
