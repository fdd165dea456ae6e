package store

// SetPeriodScan changes how many cases a CasesInPeriod page examines, for a test to
// reach the bound with few cases; the returned func restores it.
func SetPeriodScan(n int) func() {
	old := periodScan
	periodScan = n
	return func() { periodScan = old }
}
