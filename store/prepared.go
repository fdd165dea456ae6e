package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// maxPrepared bounds the statements a pool keeps prepared; statements whose text varies
// with their data (a multi-row insert's last chunk, an IN list) stop being kept past it.
const maxPrepared = 512

// stmtCache keeps a pool's statements prepared by their shared-SQL text, so a query run
// again is bound, not parsed again.
type stmtCache struct {
	m sync.Map // query → *sql.Stmt
	n atomic.Int32
}

// load gives q's kept statement, or nil.
func (c *stmtCache) load(q string) *sql.Stmt {
	if s, ok := c.m.Load(q); ok {
		return s.(*sql.Stmt)
	}
	return nil
}

// prepare gives q's statement, preparing and keeping it on first use; nil when the cache
// is full or preparing failed (the caller then runs q unprepared, which reports the error).
func (c *stmtCache) prepare(ctx context.Context, p pool, q string) *sql.Stmt {
	if s := c.load(q); s != nil {
		return s
	}
	if c.n.Load() >= maxPrepared {
		return nil
	}
	s, err := p.DB.PrepareContext(ctx, p.eng.rebind(q))
	if err != nil {
		return nil
	}
	if kept, dup := c.m.LoadOrStore(q, s); dup {
		s.Close()
		return kept.(*sql.Stmt)
	}
	c.n.Add(1)
	return s
}

// close frees the kept statements.
func (c *stmtCache) close() {
	c.m.Range(func(_, s any) bool {
		s.(*sql.Stmt).Close()
		return true
	})
}
