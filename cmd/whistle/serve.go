package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"

	"whistle/api"
	"whistle/connlimit"
	"whistle/demo"
	"whistle/images"
	"whistle/open311"
	"whistle/passhash"
	"whistle/service"
	"whistle/store"
	"whistle/transport"
	"whistle/web"
)

// limits are what the server holds its clients to: how long a request's header, a
// request and an idle connection may take, and how many connections it keeps open, in
// all and per client address.
type limits struct {
	readHeader, read, write, idle time.Duration
	conns, connsPerAddr           int
}

// defaultLimits: a header within 10 s and a request within a minute (an upload of
// 49 MB needs 7 Mbit/s), 10,000 connections, 256 from one address (a street office's
// browsers share one router; behind a proxy every connection comes from the proxy, so
// give --max-conns-per-addr 0 there).
var defaultLimits = limits{readHeader: 10 * time.Second, read: time.Minute, write: time.Minute, idle: 2 * time.Minute,
	conns: 10000, connsPerAddr: 256}

func serve(ctx context.Context, args []string, stdout io.Writer) error {
	fs, dsn := flags("serve")
	addr := fs.String("addr", ":8080", "listen address")
	withDemo := fs.Bool("demo", false, "load the demo district (蓝田街道) unless already loaded, and print its logins")
	demoCases := fs.Int("demo-cases", 20000, "history cases the demo generates")
	sweep := fs.Duration("sweep", 30*time.Second, "how often the deadline sweeper runs")
	index := fs.Duration("index", 2*time.Second, "how often the word indexer adds the cases filed since to the text index that word searches read")
	send := fs.Duration("send", 5*time.Second, "how often the message sender sends the outbox's due e-mails, SMS and WeChat messages")
	lim := defaultLimits
	fs.IntVar(&lim.conns, "max-conns", lim.conns, "connections held open at once (lowered to fit the open-file limit)")
	fs.IntVar(&lim.connsPerAddr, "max-conns-per-addr", lim.connsPerAddr, "connections held open from one client address (0: no limit, behind a proxy)")
	proxies := fs.String("trusted-proxies", "127.0.0.0/8,::1/128", "networks of the proxies whose X-Forwarded-For names the client (comma-separated CIDRs; empty: none)")
	var m metricsOptions
	fs.StringVar(&m.token, "metrics-token", "", "token a scraper sends for /metrics on --addr (else $WHISTLE_METRICS_TOKEN); without one /metrics is 404 there")
	fs.StringVar(&m.addr, "metrics-addr", "", "a listen address of its own for /metrics, without a token (e.g. 127.0.0.1:9090)")
	pprofAddr := fs.String("pprof", "", "serve Go's profiles (/debug/pprof/) on this address of their own, for an operator only (e.g. 127.0.0.1:6060); off when empty")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if m.token == "" { // from the environment, so the token stays out of the process list
		m.token = os.Getenv("WHISTLE_METRICS_TOKEN")
	}
	trusted, err := parseNets(*proxies)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	lim.conns = fitFiles(lim.conns, log)
	sizeWork(memoryBytes(), log)
	db, err := open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := service.New(db)
	if err := svc.CheckKey(ctx); err != nil {
		return fmt.Errorf("refusing to start: %w", err)
	}
	if *withDemo {
		if err := loadDemo(ctx, db, *demoCases, stdout); err != nil {
			return err
		}
	}
	go svc.RunSweeper(ctx, *sweep, log)
	go svc.RunWordIndexer(ctx, *index, log)
	go svc.RunSender(ctx, *send, log)
	h, metrics := handler(svc, log, m.token)
	errc := make(chan error, 1)
	defer m.serve(metrics, errc)()
	defer serveAside("pprof", *pprofAddr, profiles(), errc)()
	return listenAndServe(ctx, *addr, behindProxies(h, trusted), lim, errc, func(a net.Addr) {
		fmt.Fprintf(stdout, "whistle serving on %s — open it in a browser and log in (database %s)\n", browseURL(*addr), *dsn)
	})
}

// metricsOptions say where /metrics is served: on the main address to a scraper
// bearing token, and on an address of its own without one; with neither it is not
// served at all.
type metricsOptions struct{ token, addr string }

// serve serves h (/metrics alone) on the address of its own, when one is given, until
// stop is called; its listener's failure goes to errc.
func (m metricsOptions) serve(h http.Handler, errc chan<- error) (stop func()) {
	return serveAside("metrics", m.addr, h, errc)
}

// serveAside serves h on addr (none: nothing) until stop is called, for what only an
// operator's network should reach; the listener's failure goes to errc. Writes may take
// two minutes: a CPU profile takes 30 s by default.
func serveAside(what, addr string, h http.Handler, errc chan<- error) (stop func()) {
	if addr == "" {
		return func() {}
	}
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 2 * time.Minute}
	go func() {
		if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("%s address %s: %w", what, addr, err)
		}
	}()
	return func() { srv.Close() }
}

// profiles is net/http/pprof's handlers on a mux of their own (importing the package
// also puts them on http.DefaultServeMux, which nothing here serves).
func profiles() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// listenAndServe serves h on addr within lim until ctx ends or errc (where the server's
// own failure goes too) tells of a failure, calling ready once it listens, and then
// shuts down, letting requests under way finish for 10 s.
func listenAndServe(ctx context.Context, addr string, h http.Handler, lim limits, errc chan error, ready func(net.Addr)) error {
	raw, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	ln := connlimit.New(raw, lim.conns, lim.connsPerAddr)
	srv := &http.Server{Handler: h, ReadHeaderTimeout: lim.readHeader, ReadTimeout: lim.read, WriteTimeout: lim.write,
		IdleTimeout: lim.idle, MaxHeaderBytes: 64 << 10, ConnState: ln.ConnState}
	go func() { errc <- srv.Serve(ln) }()
	ready(raw.Addr())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// behindProxies makes the client of a request that a trusted proxy forwards the last
// address the proxy wrote in X-Forwarded-For, so the limits kept per address (sign-in
// attempts, the public page) count clients, not the proxy. From anyone else the header
// is ignored: a client cannot choose its address.
func behindProxies(h http.Handler, trusted []*net.IPNet) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		peer := net.ParseIP(host)
		forwarded := r.Header.Values("X-Forwarded-For")
		if err == nil && peer != nil && len(forwarded) > 0 && slices.ContainsFunc(trusted, func(n *net.IPNet) bool { return n.Contains(peer) }) {
			hops := strings.Split(forwarded[len(forwarded)-1], ",")
			if client := net.ParseIP(strings.TrimSpace(hops[len(hops)-1])); client != nil {
				r = r.Clone(r.Context())
				r.RemoteAddr = net.JoinHostPort(client.String(), "0")
			}
		}
		h.ServeHTTP(w, r)
	})
}

// parseNets reads comma-separated CIDRs.
func parseNets(list string) ([]*net.IPNet, error) {
	var nets []*net.IPNet
	for _, c := range strings.Split(list, ",") {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		_, n, err := net.ParseCIDR(c)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxies: %w", err)
		}
		nets = append(nets, n)
	}
	return nets, nil
}

// fitFiles raises the process's open-file limit to the most the system allows and keeps
// conns within it, leaving room for the database, the attachments and the logs.
func fitFiles(conns int, log *slog.Logger) int {
	soft, err := connlimit.RaiseFileLimit()
	if err != nil {
		log.Warn("could not raise the open-file limit", "limit", soft, "err", err)
	}
	if soft == 0 {
		return conns
	}
	if room := int(min(soft, 1<<30)) - 256; room < conns {
		log.Warn("fewer connections than asked, to fit the open-file limit", "max-conns", max(room, 16), "open-files", soft)
		return max(room, 16)
	}
	return conns
}

// sizeWork bounds the work whose memory a client's request decides: argon2id hashes of
// 19 MiB, one per core and no more than a sixteenth of memory holds; and the decoding of
// photos, a sixty-fourth of memory between 160 MB (a 40-megapixel JPEG, or a 6000 ×
// 6000 PNG, decodes alone) and 256 MB. Decoded pixels are garbage once the thumbnail is
// made, and the collector lets the heap grow to about twice what is live before it
// reclaims them, so the process may hold about twice the budget.
func sizeWork(memory int64, log *slog.Logger) {
	hashes := runtime.NumCPU()
	decodes := int64(256 << 20)
	if memory > 0 {
		hashes = int(max(1, min(int64(hashes), memory/16/passhash.Memory)))
		decodes = min(max(memory/64, 160<<20), 256<<20)
	}
	passhash.Limit(hashes, 3*time.Second)
	images.Limit(decodes, 10*time.Second)
	log.Info("bounded work", "memory", memory, "hashes at once", hashes, "decode budget", decodes)
}

// memoryBytes is the memory the process may use: its cgroup's limit when it has one,
// else the machine's; 0 when neither can be read.
func memoryBytes() int64 {
	if b, err := os.ReadFile("/sys/fs/cgroup/memory.max"); err == nil {
		if n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64); err == nil && n > 0 {
			return n
		}
	}
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if kb, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")), 10, 64)
			return n << 10
		}
	}
	return 0
}

// loadDemo loads the demo district unless it is there, and prints its logins.
func loadDemo(ctx context.Context, db *store.DB, cases int, stdout io.Writer) error {
	began := time.Now()
	fresh := !demo.Loaded(ctx, db)
	logins, err := demo.Load(ctx, db, cases)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if fresh {
		fmt.Fprintf(stdout, "demo loaded in %s\n", time.Since(began).Round(time.Millisecond))
	}
	printLogins(stdout, logins)
	return nil
}

// handler joins the parts of the server under one address: the REST API (with /healthz
// and /metrics, which answers only a scraper bearing metricsToken) and, beside it,
// every other front door; it also gives /metrics alone, for an address of its own.
func handler(svc *service.Service, log *slog.Logger, metricsToken string) (http.Handler, http.Handler) {
	mux := http.NewServeMux()
	rest := api.New(svc, log)
	rest.SetMetricsToken(metricsToken)
	for _, p := range []string{"/api/", "/healthz", "/metrics"} {
		mux.Handle(p, rest)
	}
	mux.Handle(open311.Prefix, open311.New(svc, log))
	mux.Handle("/", web.New(svc, log))
	return transport.Compressed(mux), rest.Metrics()
}

// browseURL turns a listen address into the address to open: ":8080" is
// http://localhost:8080/.
func browseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

// printLogins writes the demo logins as a table whose columns line up in a terminal,
// where a Chinese character takes two columns (fmt's %-34s counts it as one).
func printLogins(w io.Writer, logins []demo.Login) {
	fmt.Fprintf(w, "\ndemo logins (password %q for all; officers of every org are officer.<ORG>, e.g. officer.LY-CGJ):\n", demo.Password)
	var cols [3]int
	for _, l := range logins {
		for i, s := range []string{l.Login, l.Role, l.Scope} {
			cols[i] = max(cols[i], displayWidth(s))
		}
	}
	for _, l := range logins {
		line := "  "
		for i, s := range []string{l.Login, l.Role, l.Scope} {
			line += s + strings.Repeat(" ", cols[i]-displayWidth(s)+2)
		}
		fmt.Fprintln(w, line+l.Name)
	}
	fmt.Fprintln(w)
}

// displayWidth is how many terminal columns s takes: two for a wide or fullwidth
// character (汉字, ，), one for others.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
