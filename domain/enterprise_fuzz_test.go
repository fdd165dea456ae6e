package domain

import (
	"strings"
	"testing"
)

// FuzzParseCodeToken holds the inspection code's reader (the token a scanned QR code
// carries) to being total: any text is refused as invalid input, or names a positive
// enterprise and version whose token it is (a signature cannot be forged).
func FuzzParseCodeToken(f *testing.F) {
	key := []byte("a key of thirty-two bytes, fixed")
	for _, s := range []string{CodeToken(key, 1, 1), CodeToken(key, 9223372036854775807, 2147483647), "e1v1.", "e1v1", ".", "",
		"e-1v1." + CodeToken(key, 1, 1)[5:], " e1v1.xyz ", "e01v1.abc", "ev.", CodeToken(key, 12, 3) + "=="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		id, version, err := ParseCodeToken(key, token)
		if err != nil {
			if ErrorCode(err) != EINVALID {
				t.Fatalf("%q: error %v is not invalid input", token, err)
			}
			return
		}
		if id <= 0 || version <= 0 || strings.TrimSpace(token) != CodeToken(key, id, version) {
			t.Fatalf("%q: accepted as enterprise %d version %d", token, id, version)
		}
	})
}
