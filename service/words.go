package service

import (
	"context"
	"log/slog"
	"time"
)

// RunWordIndexer keeps the cases' text index whole until ctx ends: the named
// background job of serve. Every interval it indexes what was filed since, a batch a
// transaction, so a search reads the rows of only the newest cases besides those the
// index names (store.IndexWords). A first run on a database filled before the index
// existed works through it all, a batch at a time, between filings.
func (s *Service) RunWordIndexer(ctx context.Context, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.db.IndexAllWords(ctx); err != nil && ctx.Err() == nil {
			log.Error("word indexer", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
