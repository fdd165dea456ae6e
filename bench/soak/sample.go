package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// sampleUntil reads the server every interval until ctx ends, printing each sample.
func sampleUntil(ctx context.Context, srv *server, every time.Duration, report io.Writer) []sample {
	began := time.Now()
	var out []sample
	t := time.NewTicker(every)
	defer t.Stop()
	fmt.Fprintln(report, "   seconds   RSS MB  heap MB  Go sys MB  goroutines  fds")
	for {
		select {
		case <-ctx.Done():
			return out
		case <-t.C:
		}
		x, err := srv.read(began)
		if err != nil {
			fmt.Fprintf(report, "sample: %v\n", err)
			continue
		}
		out = append(out, x)
		fmt.Fprintf(report, "%10.0f %8.1f %8.1f %10.1f %11.0f %4.0f\n", x.at.Seconds(), x.rss/1e6, x.heap/1e6, x.goSys/1e6, x.goroutines, x.fds)
	}
}

// figure is one quantity sampled, and how much growth it is allowed.
type figure struct {
	name    string
	of      func(sample) float64
	scale   float64 // to print it
	slack   float64 // absolute allowance over 10 %, per client: a request more in flight
	settles bool    // compared with the run's middle minute, not its second
}

// The resident memory is compared with the middle minute: besides the Go runtime's
// memory it holds SQLite's page caches (outside the Go heap), which fill up to their
// bound, 32 MB for each of the nine connections, as the database grows in the first
// minutes. The Go runtime's own memory, its goroutines and the open files must be flat
// from the second minute on.
var figures = []figure{
	{"RSS MB", func(x sample) float64 { return x.rss }, 1e6, 0, true},
	{"Go heap in use MB", func(x sample) float64 { return x.heap }, 1e6, 0, false},
	{"Go sys MB", func(x sample) float64 { return x.goSys }, 1e6, 0, false},
	{"goroutines", func(x sample) float64 { return x.goroutines }, 1, 2, false}, // its connection's two
	{"open fds", func(x sample) float64 { return x.fds }, 1, 1, false},
}

// mean is the average of f over the samples taken in [from, to).
func mean(samples []sample, f func(sample) float64, from, to time.Duration) (float64, int) {
	sum, n := 0.0, 0
	for _, x := range samples {
		if x.at >= from && x.at < to {
			sum += f(x)
			n++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return sum / float64(n), n
}

// summarise prints the minutes' averages and the operations, and fails on growth or on
// an operation that failed.
func summarise(report io.Writer, samples []sample, l *load, srv *server, o options) error {
	minutes := int(o.duration / time.Minute)
	fmt.Fprintf(report, "\naverages by minute:\n%-20s", "minute")
	for m := 1; m <= minutes; m++ {
		fmt.Fprintf(report, " %7d", m)
	}
	fmt.Fprintln(report)
	var grew []string
	for _, f := range figures {
		fmt.Fprintf(report, "%-20s", f.name)
		for m := 0; m < minutes; m++ {
			v, _ := mean(samples, f.of, time.Duration(m)*time.Minute, time.Duration(m+1)*time.Minute)
			fmt.Fprintf(report, " %7.1f", v/f.scale)
		}
		fmt.Fprintln(report)
		ref := 2 // the minute compared with the last, counted from 1
		if f.settles {
			ref = max(2, (minutes+1)/2)
		}
		base, n0 := mean(samples, f.of, time.Duration(ref-1)*time.Minute, time.Duration(ref)*time.Minute)
		last, n := mean(samples, f.of, o.duration-time.Minute, o.duration+time.Second)
		if n0 == 0 || n == 0 || ref >= minutes {
			return fmt.Errorf("too few samples to compare minute %d and the last minute (run at least 3 minutes)", ref)
		}
		if last > 1.10*base+f.slack*float64(o.workers) {
			grew = append(grew, fmt.Sprintf("%s: last minute %.1f, minute %d %.1f (+%.0f %%)", f.name, last/f.scale, ref, base/f.scale, 100*(last/base-1)))
		}
	}
	fmt.Fprintf(report, "\n%-12s %8s %7s %9s %9s\n", "operation", "done", "errors", "p50 ms", "p99 ms")
	failed := 0
	for _, op := range ops {
		d := l.took[op.name]
		fmt.Fprintf(report, "%-12s %8d %7d %9.2f %9.2f\n", op.name, len(d), l.errors[op.name],
			float64(latency(d, 50))/1e6, float64(latency(d, 99))/1e6)
		failed += l.errors[op.name]
	}
	for _, e := range l.first {
		fmt.Fprintln(report, "  failed:", e)
	}
	if len(grew) > 0 || failed > 0 {
		return fmt.Errorf("%d operations failed; grew without bound: %s\nserver log:\n%s", failed, strings.Join(grew, "; "), srv.tail())
	}
	fmt.Fprintln(report, "\nsteady: every figure's last minute is within 10 % of its second minute (RSS: of the middle minute), and no operation failed")
	return nil
}
