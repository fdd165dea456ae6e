package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"whistle/api"
	"whistle/demo"
	"whistle/domain"
)

// filer is who files the benchmark's cases, where and by which channel.
type filer struct {
	login, region string
	channel       domain.Channel
}

// intakeOn runs an intake benchmark on the fresh demo, as the demo grid worker in grid
// 431382001001001, and, when WHISTLE_BENCH_DB names one, on the large generated
// database, as its province dispatcher taking hotline calls for the last village of the
// province: the cases it adds there stay out of the regions the list and statistics
// benchmarks read.
func intakeOn(b *testing.B, run func(*testing.B, *fixture, filer)) {
	b.Run("fresh", func(b *testing.B) {
		run(b, intakeDemo.get(b), filer{"demo.grid", "431382001001001", "grid_patrol"})
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

// BenchmarkInsertCeiling is the database's one-commit-per-row ceiling: database/sql on
// the intake benchmark's database (for SQLite with the store's pragmas: WAL,
// synchronous=FULL, one connection, immediate transactions; PostgreSQL as configured),
// one single-row INSERT and COMMIT per row on a scratch table.
func BenchmarkInsertCeiling(b *testing.B) {
	intakeOn(b, func(b *testing.B, f *fixture, _ filer) { benchInsert(b, f, 1) })
}

// BenchmarkInsertBatch32 is the same with 32 rows per commit: what group commit of 32
// concurrent requests could reach at best. A reference, not something the store does.
func BenchmarkInsertBatch32(b *testing.B) {
	intakeOn(b, func(b *testing.B, f *fixture, _ filer) { benchInsert(b, f, 32) })
}

func benchInsert(b *testing.B, f *fixture, perCommit int) {
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
	for i := 0; i < b.N; {
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		st := tx.StmtContext(ctx, ins)
		for j := 0; j < perCommit && i < b.N; j, i = j+1, i+1 {
			if _, err := st.ExecContext(ctx, fmt.Sprintf("民光社区%d栋旁暴露垃圾", i%40+1), "431382001001001", time.Now().Unix()); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(began)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "rows/s")
}
