// Package bench holds Whistle's benchmarks: HTTP intake against the disk's
// one-commit-per-row ceiling, statistics and case lists at 20,000 and 1,000,000 cases,
// the country-wide region import and tree queries, and the deadline sweeper.
//
// Nothing here runs under a plain `go test ./...`; run the benchmarks with
//
//	go test ./bench -run '^$' -bench . -benchtime 2s
//
// The 1,000,000-case database is built once (about 15 minutes on 2 cores) and only when
// WHISTLE_BENCH_1M=1; it is cached as whistle-bench-1m.db in $WHISTLE_BENCH_DIR, or in
// the system's temporary directory, and reused while it is complete and has the store's current schema. The README's
// "Benchmarks" section has the figures and how they were taken.
package bench
