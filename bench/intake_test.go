package bench

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"whistle/api"
	"whistle/demo"
	"whistle/domain"
	"whistle/store"
)

// filer is who files the benchmark's cases, where and by which channel.
type filer struct {
	login, region string
	channel       domain.Channel
}

// intakeOn runs an intake benchmark on the fresh demo and on the demo of 20,000 cases
// (the one `whistle serve --demo` makes), as the demo grid worker in grid
// 431382001001001, and, when WHISTLE_BENCH_DB names one, on the large generated
// database, as its province dispatcher taking hotline calls for the last village of the
// province: the cases it adds there stay out of the regions the list and statistics
// benchmarks read.
func intakeOn(b *testing.B, run func(*testing.B, *fixture, filer)) {
	b.Run("fresh", func(b *testing.B) {
		run(b, intakeDemo.get(b), filer{"demo.grid", "431382001001001", "grid_patrol"})
	})
	b.Run("demo", func(b *testing.B) {
		run(b, intake20k.get(b), filer{"demo.grid", "431382001001001", "grid_patrol"})
	})
	b.Run("large", func(b *testing.B) {
		f := needLarge(b)
		d, err := openRaw(f.dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer d.Close()
		var village string
		if err := d.QueryRowContext(ctx, `SELECT MAX(code) FROM regions WHERE LENGTH(code) = 12`).Scan(&village); err != nil {
			b.Fatal(err)
		}
		run(b, f, filer{"gen.dispatcher.43", village, "hotline"})
	})
}

// BenchmarkIntakeHTTP files cases over HTTP (matter SR-001; who and where: intakeOn)
// with 1 and 32 concurrent clients, each with its own
// token and keep-alive connection. A 201 answer means the case is committed with
// synchronous=FULL, so cases/s is durable intake. Compare with BenchmarkInsertCeiling.
func BenchmarkIntakeHTTP(b *testing.B) { intakeOn(b, intakeHTTP) }

func intakeHTTP(b *testing.B, f *fixture, by filer) {
	srv := httptest.NewServer(api.New(f.svc, slog.New(slog.DiscardHandler)))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: time.Minute}
	defer client.CloseIdleConnections()
	tokens := make([]string, 32)
	for i := range tokens {
		tok, err := login(client, srv.URL, by.login)
		if err != nil {
			b.Fatal(err)
		}
		tokens[i] = tok
	}
	for _, c := range []int{1, 32} {
		b.Run(fmt.Sprintf("c=%d", c), func(b *testing.B) {
			before, err := count(f, `SELECT COUNT(*) FROM cases`)
			if err != nil {
				b.Fatal(err)
			}
			lat := make(latencies, b.N)
			w := startWritten(f)
			var next atomic.Int64
			var failed atomic.Value
			var wg sync.WaitGroup
			b.ResetTimer()
			began := time.Now()
			for w := range c {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := next.Add(1) - 1
						if i >= int64(b.N) || failed.Load() != nil {
							return
						}
						t0 := time.Now()
						if err := fileCase(client, srv.URL, tokens[w], by, i); err != nil {
							failed.CompareAndSwap(nil, err)
							return
						}
						lat[i] = time.Since(t0)
					}
				}()
			}
			wg.Wait()
			elapsed := time.Since(began)
			b.StopTimer()
			if err, _ := failed.Load().(error); err != nil {
				b.Fatal(err)
			}
			after, err := count(f, `SELECT COUNT(*) FROM cases`)
			if err != nil {
				b.Fatal(err)
			}
			if after-before != int64(b.N) {
				b.Fatalf("%d cases answered 201 but %d are in the database", b.N, after-before)
			}
			w.report(b, b.N)
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "cases/s")
			lat.reportMs(b)
		})
	}
}

// BenchmarkIntakeService files the same cases by calling service.File directly, with
// no HTTP, JSON or token lookup: what of the intake cost is the service and store.
func BenchmarkIntakeService(b *testing.B) { intakeOn(b, intakeService) }

func intakeService(b *testing.B, f *fixture, by filer) {
	u, err := f.db.UserByLogin(ctx, by.login)
	if err != nil {
		b.Fatal(err)
	}
	var lat latencies
	i := 0
	w := startWritten(f)
	began := time.Now()
	for b.Loop() {
		n := domain.NewCase{Matter: "SR-001", Title: fmt.Sprintf("民光社区%d栋旁暴露垃圾", i%40+1), Region: by.region,
			Channel: by.channel, Reporter: domain.Reporter{Name: "黄小红", Phone: fmt.Sprintf("138%08d", i)}}
		i++
		if err := lat.time(func() error { _, err := f.svc.File(ctx, u, n); return err }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(began).Seconds(), "cases/s")
	w.report(b, b.N)
	lat.reportMs(b)
}

// login gets a bearer token for a demo login.
func login(client *http.Client, base, who string) (string, error) {
	body, _ := json.Marshal(map[string]string{"login": who, "password": demo.Password})
	res, err := client.Post(base+"/api/v1/auth/token", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || out.Token == "" {
		return "", fmt.Errorf("login %s: status %d, %v", who, res.StatusCode, err)
	}
	return out.Token, nil
}

// fileCase posts case i as the README's first walk does and wants 201 Created.
func fileCase(client *http.Client, base, token string, by filer, i int64) error {
	body := fmt.Sprintf(`{"matter":"SR-001","title":"民光社区%d栋旁暴露垃圾","region":%q,"channel":%q,"reporter":{"name":"黄小红","phone":"138%08d"}}`, i%40+1, by.region, by.channel, i%1e8)
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/cases", bytes.NewBufferString(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusCreated {
		return fmt.Errorf("POST /api/v1/cases: %d %s", res.StatusCode, got)
	}
	return nil
}

// BenchmarkInsertCeiling is the database's one-commit-per-case ceiling for the same
// intake: the rows one filing writes (its case, its event, its deadlines and lead
// org, the dispatchers' notices; read back from a case filed through the service for
// the purpose) written again, case after case, as raw single-row INSERTs by
// database/sql on one connection, with one COMMIT per case. For SQLite with the store's
// pragmas (WAL, synchronous=FULL, immediate transactions); PostgreSQL as configured.
// Only the statistics rollup, an upsert and not an insert, is left out. The rows are
// deleted after.
func BenchmarkInsertCeiling(b *testing.B) {
	intakeOn(b, func(b *testing.B, f *fixture, by filer) { writeCases(b, f, intakeRows(b, f, by), 1) })
}

// BenchmarkInsertBatch32 is the same with 32 cases per commit: batching commits
// without batching statements. A reference, not something the store does.
func BenchmarkInsertBatch32(b *testing.B) {
	intakeOn(b, func(b *testing.B, f *fixture, by filer) { writeCases(b, f, intakeRows(b, f, by), 32) })
}

// BenchmarkInsertCaseRow is a lower bound of any one-commit-per-case intake: only the
// case row, one autocommitted INSERT per case into the cases table (its columns,
// constraints and indexes).
func BenchmarkInsertCaseRow(b *testing.B) {
	intakeOn(b, func(b *testing.B, f *fixture, by filer) {
		rows := intakeRows(b, f, by)
		rows.children = nil
		writeCases(b, f, rows, 0)
	})
}

// BenchmarkInsertBare is the ceiling of the disk and driver alone: a three-column row in
// a table without indexes, one autocommitted INSERT per row.
func BenchmarkInsertBare(b *testing.B) {
	intakeOn(b, func(b *testing.B, f *fixture, _ filer) { benchBare(b, f) })
}

// filedRows are the rows of one filed case: the case's columns and values but its id,
// and the rows of the tables that hang off it.
type filedRows struct {
	cols     []string
	values   []any
	children []tableRows
}

// tableRows are one table's rows of a case, without their ids; caseID indexes the
// case_id column.
type tableRows struct {
	table  string
	cols   []string
	rows   [][]any
	caseID int
}

// caseTables are the tables a filing adds rows to beside cases (the rollup aside).
var caseTables = []string{"case_events", "case_orgs", "deadlines", "notifications"}

// intakeRows files one case through the service as by and reads back its rows.
func intakeRows(b *testing.B, f *fixture, by filer) filedRows {
	u, err := f.db.UserByLogin(ctx, by.login)
	if err != nil {
		b.Fatal(err)
	}
	c, err := f.svc.File(ctx, u, domain.NewCase{Matter: "SR-001", Title: "民光社区1栋旁暴露垃圾", Region: by.region,
		Channel: by.channel, Reporter: domain.Reporter{Name: "黄小红", Phone: "13800000000"}})
	if err != nil {
		b.Fatal(err)
	}
	raw, err := openRaw(f.dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	read := func(table, key string) ([]string, [][]any) {
		cols, rows, err := readRows(raw, f.db.Rebind(`SELECT * FROM `+table+` WHERE `+key+` = ?`), c.ID)
		if err != nil {
			b.Fatal(err)
		}
		return cols, rows
	}
	cols, rows := read("cases", "id")
	out := filedRows{cols: cols, values: rows[0]}
	for _, t := range caseTables {
		cols, rows := read(t, "case_id")
		if len(rows) > 0 {
			out.children = append(out.children, tableRows{t, cols, rows, slices.Index(cols, "case_id")})
		}
	}
	if b.N == 1 {
		var per []string
		for _, t := range out.children {
			per = append(per, fmt.Sprintf("%d %s", len(t.rows), t.table))
		}
		b.Logf("a filing writes 1 case, %s", strings.Join(per, ", "))
	}
	return out
}

// readRows reads a query's rows, leaving out an id column.
func readRows(raw *sql.DB, query string, args ...any) ([]string, [][]any, error) {
	rows, err := raw.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, nil, err
	}
	id := slices.Index(cols, "id")
	var out [][]any
	for rows.Next() {
		vals, err := store.ScanValues(rows, len(cols))
		if err != nil {
			return nil, nil, err
		}
		if id >= 0 {
			vals = slices.Delete(vals, id, id+1)
		}
		out = append(out, vals)
	}
	if id >= 0 {
		cols = slices.Delete(cols, id, id+1)
	}
	return cols, out, rows.Err()
}

// insertSQL is a single-row INSERT into table.
func insertSQL(f *fixture, table string, cols []string, returning string) string {
	return f.db.Rebind(`INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES (?` + strings.Repeat(", ?", len(cols)-1) + `)` + returning)
}

// writeCases writes b.N copies of rows, each case under a number of its own, with a
// COMMIT after every perCommit cases (0: each case's one INSERT autocommitted), and
// reports cases/s. The copies are deleted after.
func writeCases(b *testing.B, f *fixture, rows filedRows, perCommit int) {
	raw, err := openRaw(f.dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	defer deleteCopies(b, raw)
	number := slices.Index(rows.cols, "number")
	values := slices.Clone(rows.values)
	insCase, err := raw.PrepareContext(ctx, insertSQL(f, "cases", rows.cols, " RETURNING id"))
	if err != nil {
		b.Fatal(err)
	}
	defer insCase.Close()
	insChild := make([]*sql.Stmt, len(rows.children))
	for i, t := range rows.children {
		if insChild[i], err = raw.PrepareContext(ctx, insertSQL(f, t.table, t.cols, "")); err != nil {
			b.Fatal(err)
		}
		defer insChild[i].Close()
	}
	run := time.Now().UnixNano()
	write := func(tx *sql.Tx, i int) error {
		values[number] = fmt.Sprintf("ceiling-%d-%d", run, i)
		var id int64
		if err := tx.StmtContext(ctx, insCase).QueryRowContext(ctx, values...).Scan(&id); err != nil {
			return err
		}
		for j, t := range rows.children {
			st := tx.StmtContext(ctx, insChild[j])
			for _, row := range t.rows {
				row[t.caseID] = id // the rows are this loop's own
				if _, err := st.ExecContext(ctx, row...); err != nil {
					return err
				}
			}
		}
		return nil
	}
	w := startWritten(f)
	b.ResetTimer()
	began := time.Now()
	for i := 0; i < b.N; {
		if perCommit == 0 {
			values[number] = fmt.Sprintf("ceiling-%d-%d", run, i)
			if _, err := insCase.ExecContext(ctx, values...); err != nil {
				b.Fatal(err)
			}
			i++
			continue
		}
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		for j := 0; j < perCommit && i < b.N; j, i = j+1, i+1 {
			if err := write(tx, i); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(began)
	b.StopTimer()
	w.report(b, b.N)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "cases/s")
}

// deleteCopies deletes the cases writeCases wrote and their rows. Foreign keys are not
// checked meanwhile (the rows that refer to a copy are deleted first): a deleted case
// would otherwise be looked for in every table that refers to cases, scanning those
// without an index on case_id once per case. PostgreSQL allows that only to a superuser;
// elsewhere the delete takes longer.
func deleteCopies(b *testing.B, raw *sql.DB) {
	conn, err := raw.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	off, on := `PRAGMA foreign_keys = OFF`, `PRAGMA foreign_keys = ON`
	if _, err := conn.ExecContext(ctx, `SET session_replication_role = replica`); err == nil {
		off, on = `SELECT 1`, `SET session_replication_role = DEFAULT`
	}
	if _, err := conn.ExecContext(ctx, off); err != nil {
		b.Fatal(err)
	}
	defer conn.ExecContext(ctx, on)
	copies := `(SELECT id FROM cases WHERE number LIKE 'ceiling-%')`
	for _, t := range caseTables {
		if _, err := conn.ExecContext(ctx, `DELETE FROM `+t+` WHERE case_id IN `+copies); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := conn.ExecContext(ctx, `DELETE FROM cases WHERE id IN `+copies); err != nil {
		b.Fatal(err)
	}
}

func benchBare(b *testing.B, f *fixture) {
	raw, err := openRaw(f.dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS bench_ceiling (title TEXT NOT NULL, region TEXT NOT NULL, at BIGINT NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	ins, err := raw.PrepareContext(ctx, f.db.Rebind(`INSERT INTO bench_ceiling (title, region, at) VALUES (?, ?, ?)`))
	if err != nil {
		b.Fatal(err)
	}
	defer ins.Close()
	b.ResetTimer()
	began := time.Now()
	for i := range b.N {
		if _, err := ins.ExecContext(ctx, fmt.Sprintf("民光社区%d栋旁暴露垃圾", i%40+1), "431382001001001", time.Now().Unix()); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(began)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "rows/s")
}
