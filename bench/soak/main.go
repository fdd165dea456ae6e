// Command soak runs the real server under ten minutes of mixed load and holds its
// memory and open files to a steady state: cases filed by a grid worker, lists,
// accepting and dispatching, statistics, the hazard ledger and a key group's
// statistics, at a fixed rate from several clients, while the server's resident memory,
// Go heap and runtime memory, goroutines and open file descriptors are sampled every
// few seconds. It fails when any of them grows without bound: the last minute's average
// more than 10 % above the second minute's (goroutines and descriptors, counts of a few
// dozen, are also allowed what one more request in flight per client holds: two
// goroutines, one file). The resident memory is held to the middle minute instead, for
// SQLite's page caches fill in the first minutes (sample.go says why).
//
// From the module's root:
//
//	go run ./bench/soak                                  # SQLite, a fresh file, 10 minutes
//	go run ./bench/soak --db 'postgres://…/soak?sslmode=disable' --out bench/results/DAY
//
// It builds cmd/whistle (or runs --bin), starts `whistle serve --demo` on a database that
// must be new, and reads the server's /proc entries and its /metrics (on an address of
// its own). Only loopback addresses are used; the load stops by itself.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

type options struct {
	db, bin, out string
	duration     time.Duration
	every        time.Duration
	rate         int
	workers      int
	demoCases    int
	port         int
}

func main() {
	var o options
	flag.StringVar(&o.db, "db", "", "a new database: SQLite file or postgres:// URL (default a file in a temporary folder)")
	flag.StringVar(&o.bin, "bin", "", "the whistle binary (default: go build ./cmd/whistle)")
	flag.StringVar(&o.out, "out", "", "folder for the samples and the summary (default: standard output only)")
	flag.DurationVar(&o.duration, "duration", 10*time.Minute, "how long the load runs")
	flag.DurationVar(&o.every, "sample", 5*time.Second, "how often memory and files are sampled")
	flag.IntVar(&o.rate, "rate", 200, "operations per second, all clients together")
	flag.IntVar(&o.workers, "clients", 8, "concurrent clients")
	flag.IntVar(&o.demoCases, "demo-cases", 2000, "history cases of the demo the server loads")
	flag.IntVar(&o.port, "port", 18181, "the server's port on 127.0.0.1 (/metrics on the next one)")
	flag.Parse()
	if err := run(o); err != nil {
		log.Fatal("soak: ", err)
	}
}

func run(o options) error {
	tmp, err := os.MkdirTemp("", "whistle-soak-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if o.db == "" {
		o.db = filepath.Join(tmp, "soak.db")
	}
	if o.bin == "" {
		o.bin = filepath.Join(tmp, "whistle")
		if out, err := exec.Command("go", "build", "-o", o.bin, "./cmd/whistle").CombinedOutput(); err != nil {
			return fmt.Errorf("go build ./cmd/whistle (run from the module's root): %v\n%s", err, out)
		}
	}
	report := io.Writer(os.Stdout)
	if o.out != "" {
		if err := os.MkdirAll(o.out, 0o755); err != nil {
			return err
		}
		f, err := os.Create(filepath.Join(o.out, "soak-"+engine(o.db)+".txt"))
		if err != nil {
			return err
		}
		defer f.Close()
		report = io.MultiWriter(os.Stdout, f)
	}
	srv, err := start(o, tmp)
	if err != nil {
		return err
	}
	defer srv.stop()
	fmt.Fprintf(report, "soak: %s, %s of load at %d operations/s from %d clients, sampled every %s; server pid %d\n",
		engine(o.db), o.duration, o.rate, o.workers, o.every, srv.cmd.Process.Pid)
	load, err := newLoad(srv.base)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.duration)
	defer cancel()
	done := load.run(ctx, o.rate, o.workers)
	samples := sampleUntil(ctx, srv, o.every, report)
	<-done
	return summarise(report, samples, load, srv, o)
}

// engine names the database's engine for the report.
func engine(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		return "postgres"
	}
	return "sqlite"
}
