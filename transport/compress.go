package transport

import (
	"net/http"

	"github.com/klauspost/compress/gzhttp"
)

// Compressed answers gzip or zstd to a client that accepts it, for every answer over
// 1 KB of a compressible type: a 50-row case list is 46 KB of JSON and about a tenth of
// that compressed. Answers that are compressed already pass as they are (the embedded
// static assets carry their own brotli or gzip, images and workbooks are compressed
// formats). Pages hold a CSRF token and echo a query back, the shape BREACH reads a
// secret from by the compressed length, so each answer gets up to 32 bytes of jitter
// keyed to its first 64 KB.
func Compressed(h http.Handler) http.Handler {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.RandomJitter(32, 0, false))
	if err != nil { // only a bad option fails, and the options are constants
		panic(err)
	}
	return wrap(h)
}
