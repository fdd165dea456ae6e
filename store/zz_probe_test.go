package store_test

import (
	"testing"
	"time"

	"whistle/whistletest"
)

func TestZZProbe(t *testing.T) {
	t0 := time.Now()
	svc, users, _ := whistletest.Demo(t, 500)
	t.Logf("demo 500: %v, users %d", time.Since(t0), len(users))
	_ = svc
}
