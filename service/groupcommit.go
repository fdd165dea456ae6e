package service

import (
	"context"
	"fmt"
	"sync"

	"whistle/store"
)

// maxGroup bounds how many filings share one commit.
const maxGroup = 128

// groupCommit batches concurrent writes into shared transactions: one commit (one
// fsync) makes a whole group durable, and each caller is answered only after that
// commit. The first caller to find no commit running leads: it commits the queue, group
// after group, until it is empty, so no background goroutine is needed. Each write runs
// under a savepoint, so one refused write leaves the others of its group intact; a
// savepoint costs no statement unless its write runs one (store/tx.go). If the group's
// pending rows are refused when written, the transaction is broken and every write of
// the group fails with that error.
type groupCommit struct {
	mu      sync.Mutex
	queue   []*groupWrite
	running bool
}

type groupWrite struct {
	fn   func(tx *store.Tx) error
	err  error
	done chan struct{}
}

// do runs fn in a transaction shared with other concurrent callers and returns once
// that transaction has committed (or fn was refused).
func (g *groupCommit) do(ctx context.Context, db *store.DB, fn func(tx *store.Tx) error) error {
	w := &groupWrite{fn: fn, done: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, w)
	if g.running {
		g.mu.Unlock()
		<-w.done
		return w.err
	}
	g.running = true
	for len(g.queue) > 0 {
		n := min(len(g.queue), maxGroup)
		group := g.queue[:n:n]
		g.queue = g.queue[n:]
		g.mu.Unlock()
		commitGroup(ctx, db, group)
		g.mu.Lock()
	}
	g.running = false
	g.mu.Unlock()
	return w.err
}

// commitGroup runs a group's writes in one transaction and answers each of them.
func commitGroup(ctx context.Context, db *store.DB, group []*groupWrite) {
	err := db.Update(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		for i, w := range group {
			sp := fmt.Sprintf("w%d", i)
			if err := tx.Savepoint(sp); err != nil {
				return err
			}
			if w.err = w.fn(tx); w.err != nil {
				if err := tx.RollbackTo(sp); err != nil {
					return err
				}
				continue
			}
			if err := tx.Release(sp); err != nil {
				return err
			}
		}
		return nil
	})
	for _, w := range group {
		if err != nil && w.err == nil {
			w.err = err // the commit failed: nothing of the group was kept
		}
		close(w.done)
	}
}
