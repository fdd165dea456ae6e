package api_test

import (
	"testing"
	"time"

	"whistle/whistletest"
)

func TestZZSmoke(t *testing.T) {
	for _, n := range []int{0, 300, 400} {
		t0 := time.Now()
		whistletest.Demo(t, n)
		t.Logf("demo %d: %v", n, time.Since(t0))
	}
}
