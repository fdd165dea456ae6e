package web

import (
	"os"
	"testing"

	"whistle/pdf"
)

// haveFont tells whether a Chinese font is installed, so the PDF pages can answer; with
// WHISTLE_REQUIRE_FONT=1 (as .ci/run sets) a missing font fails the test instead.
func haveFont(t *testing.T) bool {
	t.Helper()
	_, err := pdf.Font()
	if err != nil && os.Getenv("WHISTLE_REQUIRE_FONT") == "1" {
		t.Fatalf("WHISTLE_REQUIRE_FONT=1: %v", err)
	}
	return err == nil
}
