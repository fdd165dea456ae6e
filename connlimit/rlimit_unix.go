//go:build unix

package connlimit

import "syscall"

// RaiseFileLimit raises the process's soft limit of open files (RLIMIT_NOFILE) to its
// hard limit, where the system allows, and tells the soft limit in force after.
func RaiseFileLimit() (uint64, error) {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return 0, err
	}
	if r.Cur < r.Max {
		raised := r
		raised.Cur = r.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &raised); err != nil {
			return r.Cur, err
		}
		r = raised
	}
	return r.Cur, nil
}
