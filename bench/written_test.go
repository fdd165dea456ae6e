package bench

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"whistle/store"
)

// written measures what a run of filings makes the database write. On SQLite the
// engine runs in this process, so the process's write_bytes (/proc/self/io: bytes it
// sent to the storage layer, WAL frames and checkpoints alike) is the database's own;
// on PostgreSQL it is the server's WAL (pg_stat_wal.wal_bytes, cluster-wide: run
// nothing else), the data pages written later by the checkpointer left out.
type written struct {
	f     *fixture
	start int64
}

func startWritten(f *fixture) *written {
	w := &written{f: f}
	w.start = w.read()
	return w
}

// read gives the counter now, -1 where it cannot be read.
func (w *written) read() int64 {
	if store.IsPostgres(w.f.dsn) {
		n, err := count(w.f, `SELECT CAST(wal_bytes AS BIGINT) FROM pg_stat_wal`)
		if err != nil {
			return -1
		}
		return n
	}
	file, err := os.Open("/proc/self/io")
	if err != nil {
		return -1
	}
	defer file.Close()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "write_bytes: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return -1
}

// report gives the bytes per filing for n filings as a metric: disk-B/case on SQLite,
// WAL-B/case on PostgreSQL.
func (w *written) report(b *testing.B, n int) {
	end := w.read()
	if w.start < 0 || end < 0 || n == 0 {
		return
	}
	unit := "disk-B/case"
	if store.IsPostgres(w.f.dsn) {
		unit = "WAL-B/case"
	}
	b.ReportMetric(float64(end-w.start)/float64(n), unit)
}
