package web

import (
	"context"
	"sync"
	"time"

	"whistle/domain"
)

// Names turns codes into the names people read: orgs, matters and regions.
type Names struct {
	Orgs    map[string]string
	Matters map[string]string
	Regions map[string]string
}

// catalogCache keeps the org and matter lists for a short while: every page names
// them, they change rarely, and an administrator's edit shows within cacheTTL.
type catalogCache struct {
	mu      sync.Mutex
	at      time.Time
	orgs    []domain.Org
	matters []domain.Matter
}

const cacheTTL = 30 * time.Second

func (a *App) catalog(ctx context.Context) ([]domain.Org, []domain.Matter, error) {
	c := &a.cache
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.at) < cacheTTL && c.orgs != nil {
		return c.orgs, c.matters, nil
	}
	orgs, err := a.svc.DB.Orgs(ctx)
	if err != nil {
		return nil, nil, err
	}
	ms, err := a.svc.DB.Matters(ctx)
	if err != nil {
		return nil, nil, err
	}
	c.orgs, c.matters, c.at = orgs, ms, time.Now()
	return orgs, ms, nil
}

// forget drops the cached catalog after an administrator changed it.
func (a *App) forget() {
	a.cache.mu.Lock()
	a.cache.at = time.Time{}
	a.cache.mu.Unlock()
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
	n.Regions, err = a.svc.DB.RegionNames(ctx, codes)
	return n, err
}
