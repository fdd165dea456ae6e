package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"whistle/demo"
	"whistle/domain"
	"whistle/store"
	"whistle/whistletest"
)

// killEnv names the variables that make this test binary a server (killServe).
const killEnv = "WHISTLE_KILL_TEST_SERVE"

// TestKillServerProcess is not a test: run by TestKillDuringIntake as a child process
// with killEnv set, it is `whistle serve` on that database and address until killed.
func TestKillServerProcess(t *testing.T) {
	args := os.Getenv(killEnv)
	if args == "" {
		return
	}
	err := run(context.Background(), strings.Split(args, "\n"), nil, os.Stdout)
	fmt.Fprintln(os.Stderr, "serve:", err)
	os.Exit(1)
}

// TestKillDuringIntake: the server is killed (SIGKILL, no chance to finish anything)
// several times while clients file cases at once, and restarted each time. Every
// filing answered 201 is there afterwards with the number it was given, no number is
// given twice and each day's numbers run without a gap, and every case stored,
// answered or not, is the fold of its events.
func TestKillDuringIntake(t *testing.T) {
	whistletest.KeysInTemp(t) // the server process inherits the test's key folder
	svc, _, _ := whistletest.Demo(t, 0)
	db := whistletest.StoreOf(svc)
	k := &killed{t: t, dsn: db.DSN, addr: freeAddr(t), log: filepath.Join(t.TempDir(), "serve.log"), acked: map[int64]string{}}
	const kills = 4
	for round := 0; round < kills; round++ {
		srv := k.start()
		if round == 0 {
			k.token = k.login()
		}
		var wg sync.WaitGroup
		for c := 0; c < 6; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				k.fileUntilDown()
			}()
		}
		time.Sleep(time.Duration(300+rand.IntN(600)) * time.Millisecond)
		srv.Process.Signal(syscall.SIGKILL)
		srv.Wait()
		wg.Wait()
	}
	if len(k.acked) < kills {
		t.Fatalf("only %d filings were answered in %d rounds; see %s", len(k.acked), kills, k.log)
	}
	srv := k.start() // it recovers, and answers every case it acknowledged
	for id, number := range k.acked {
		var c struct{ Number string }
		if st, err := k.call("GET", fmt.Sprintf("/api/v1/cases/%d", id), nil, &c); err != nil || st != http.StatusOK || c.Number != number {
			t.Errorf("acknowledged case %d (%s) after the restart: %d %v, number %q", id, number, st, err, c.Number)
		}
	}
	srv.Process.Signal(syscall.SIGTERM)
	srv.Wait()
	stored := k.checkStored(db)
	t.Logf("%d rounds: %d filings acknowledged, %d cases stored", kills, len(k.acked), stored)
}

// killed is the server under test and what its clients were told.
type killed struct {
	t              *testing.T
	dsn, addr, log string
	token          string
	client         *http.Client
	mu             sync.Mutex
	acked          map[int64]string // case id → number answered with 201
}

// start runs this test binary as the server and waits until it answers.
func (k *killed) start() *exec.Cmd {
	k.t.Helper()
	logf, err := os.OpenFile(k.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		k.t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillServerProcess$")
	cmd.Env = append(os.Environ(), killEnv+"="+strings.Join([]string{"serve", "--db", k.dsn, "--addr", k.addr, "--sweep", "1h"}, "\n"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		k.t.Fatal(err)
	}
	k.client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{}} // no connection of the last server
	for i := 0; i < 300; i++ {
		if st, err := k.call("GET", "/healthz", nil, nil); err == nil && st == http.StatusOK {
			return cmd
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	b, _ := os.ReadFile(k.log)
	k.t.Fatalf("the server did not come up in 15 s:\n%s", b)
	return nil
}

// login gives the grid worker's token (kept in the database across the restarts).
func (k *killed) login() string {
	var out struct{ Token string }
	if st, err := k.call("POST", "/api/v1/auth/token", map[string]string{"login": "demo.grid", "password": demo.Password}, &out); err != nil || st != http.StatusOK {
		k.t.Fatalf("login: %d %v", st, err)
	}
	return out.Token
}

// fileUntilDown files cases one after another until the server stops answering,
// remembering every filing answered 201.
func (k *killed) fileUntilDown() {
	for i := 0; ; i++ {
		var c struct {
			ID     int64
			Number string
		}
		body := map[string]any{"matter": "SR-001", "title": fmt.Sprintf("断电测试 %d", i), "region": "431382001001001", "channel": "grid_patrol"}
		st, err := k.call("POST", "/api/v1/cases", body, &c)
		if err != nil {
			return // killed: this filing was not acknowledged
		}
		if st != http.StatusCreated || c.ID == 0 || c.Number == "" {
			k.t.Errorf("filing: %d, %+v", st, c)
			return
		}
		k.mu.Lock()
		k.acked[c.ID] = c.Number
		k.mu.Unlock()
	}
}

// call sends one request to the server as the grid worker and decodes its JSON answer.
func (k *killed) call(method, path string, body, out any) (int, error) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(method, "http://"+k.addr+path, bytes.NewReader(b))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+k.token)
	resp, err := k.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if out != nil && resp.StatusCode < 300 {
		err = json.Unmarshal(raw, out)
	}
	return resp.StatusCode, err
}

// checkStored holds every stored case to the fold of its events and the numbers to
// being given once each and without gaps, and tells how many cases there are.
func (k *killed) checkStored(db *store.DB) int {
	t, ctx := k.t, context.Background()
	raw := whistletest.OpenRaw(t, db)
	rows, err := raw.QueryContext(ctx, `SELECT id, number FROM cases ORDER BY number`)
	if err != nil {
		t.Fatal(err)
	}
	numbers := map[string]int64{}
	serials := map[string][]int{} // day → serials given that day, in order
	for rows.Next() {
		var id int64
		var number string
		if err := rows.Scan(&id, &number); err != nil {
			t.Fatal(err)
		}
		if other, dup := numbers[number]; dup {
			t.Errorf("number %s given to cases %d and %d", number, other, id)
		}
		numbers[number] = id
		day, serial, _ := strings.Cut(number, "-")
		n, _ := strconv.Atoi(serial)
		serials[day] = append(serials[day], n)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	for day, ns := range serials {
		for i, n := range ns {
			if n != i+1 {
				t.Fatalf("day %s: the %d-th number is %06d; numbers have a gap", day, i+1, n)
			}
		}
	}
	for id, number := range k.acked {
		if numbers[number] != id {
			t.Errorf("acknowledged case %d (%s) is not stored under its number", id, number)
		}
	}
	for _, id := range numbers {
		c, err := db.Case(ctx, id)
		if err != nil {
			t.Fatalf("case %d: %v", id, err)
		}
		folded := domain.Fold(c.ID, c.Events)
		if got, want := whistletest.Canonical(*c), whistletest.Canonical(folded); !reflect.DeepEqual(got, want) || len(c.Events) != c.Version {
			t.Errorf("case %d: the row differs from the fold of its %d events\nrow:  %+v\nfold: %+v", id, len(c.Events), got, want)
		}
	}
	return len(numbers)
}
