//go:build !unix

package connlimit

// RaiseFileLimit has nothing to raise where there is no RLIMIT_NOFILE; 0 tells the
// caller to keep its own limits.
func RaiseFileLimit() (uint64, error) { return 0, nil }
