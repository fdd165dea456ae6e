package main

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is the whistle process under load.
type server struct {
	cmd          *exec.Cmd
	base, scrape string
	log          string
}

// start runs `whistle serve --demo` and waits until it answers.
func start(o options, tmp string) (*server, error) {
	addr := fmt.Sprintf("127.0.0.1:%d", o.port)
	metrics := fmt.Sprintf("127.0.0.1:%d", o.port+1)
	s := &server{base: "http://" + addr, scrape: "http://" + metrics + "/metrics", log: filepath.Join(tmp, "serve.log")}
	logf, err := os.Create(s.log)
	if err != nil {
		return nil, err
	}
	s.cmd = exec.Command(o.bin, "serve", "--db", o.db, "--addr", addr, "--metrics-addr", metrics,
		"--demo", "--demo-cases", strconv.Itoa(o.demoCases))
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	s.cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+tmp) // the personal-data key of a PostgreSQL run stays in tmp
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	for i := 0; i < 600; i++ {
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.stop()
	return nil, fmt.Errorf("the server did not answer within a minute; its log:\n%s", s.tail())
}

// stop ends the server as an operator would, and waits for it.
func (s *server) stop() {
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

// tail is the end of the server's log.
func (s *server) tail() string {
	b, _ := os.ReadFile(s.log)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// sample is one reading of the server process.
type sample struct {
	at         time.Duration
	rss        float64 // bytes, /proc/PID/status VmRSS
	heap       float64 // bytes, go_memstats_heap_inuse_bytes
	goSys      float64 // bytes the Go runtime holds from the system, go_memstats_sys_bytes
	goroutines float64
	fds        float64 // entries of /proc/PID/fd
}

// read takes one sample.
func (s *server) read(since time.Time) (sample, error) {
	pid := s.cmd.Process.Pid
	x := sample{at: time.Since(since)}
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return x, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			x.rss = kb * 1024
		}
	}
	fds, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	if err != nil {
		return x, err
	}
	x.fds = float64(len(fds))
	m, err := s.metrics("go_memstats_heap_inuse_bytes", "go_memstats_sys_bytes", "go_goroutines")
	x.heap, x.goSys, x.goroutines = m["go_memstats_heap_inuse_bytes"], m["go_memstats_sys_bytes"], m["go_goroutines"]
	return x, err
}

// metrics reads the named series of the server's /metrics.
func (s *server) metrics(names ...string) (map[string]float64, error) {
	resp, err := http.Get(s.scrape)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		for _, want := range names {
			if ok && name == want {
				out[name], _ = strconv.ParseFloat(value, 64)
			}
		}
	}
	for _, want := range names {
		if _, ok := out[want]; !ok {
			return out, fmt.Errorf("/metrics has no %s", want)
		}
	}
	return out, sc.Err()
}
