// Package bench holds Whistle's benchmarks: HTTP intake against the database's
// one-commit-per-case ceiling, statistics and case lists at 20,000 cases and on a large
// generated database, the country-wide region import and tree queries, and the
// deadline sweeper, and the leaders' projects dashboard at 10,000 projects and 300,000
// approval items, on SQLite or PostgreSQL.
//
// Nothing here runs under a plain `go test ./...`. bench/run.sh runs them all on both
// engines, generating the large databases with `whistle gen` first. By hand:
//
//	go test ./bench -run '^$' -bench . -benchtime 2s
//
// with WHISTLE_BENCH_POSTGRES=postgres://… to make the fresh databases on PostgreSQL
// and WHISTLE_BENCH_DB=<SQLite file or postgres:// URL> to name the large one. The
// README's "Benchmarks" section has the figures and how they were taken.
package bench
