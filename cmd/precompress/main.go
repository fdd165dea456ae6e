// Command precompress writes a gzip (level 9) and a brotli (quality 11) copy beside
// every script, style sheet and image under the folders it is given (echarts.min.js →
// echarts.min.js.gz and echarts.min.js.br), for the web application to send to browsers that accept them:
// the vendored chart library is 1.1 MB as it is and about a third of that compressed.
// It is a build step, run when the vendored libraries change (web/vendor/fetch.sh runs
// it; `go generate ./web` too), and its output is committed and embedded, so the
// server compresses nothing large at run time and links no brotli encoder.
//
// A copy that would not be smaller is not written, and a copy whose file is gone or no
// longer gains is removed. The same input gives the same bytes (no name or time in the
// gzip header), so running it again changes nothing.
//
//	go run ./cmd/precompress web/static/vendor
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/andybalholm/brotli"
)

// loaded are the kinds of file a page loads; licences and notes are left as they are.
var loaded = map[string]bool{".js": true, ".css": true, ".svg": true, ".json": true, ".map": true}

// encodings are the copies written, by file suffix.
var encodings = []struct {
	suffix string
	writer func(io.Writer) (io.WriteCloser, error)
}{
	{".gz", func(w io.Writer) (io.WriteCloser, error) { return gzip.NewWriterLevel(w, gzip.BestCompression) }},
	{".br", func(w io.Writer) (io.WriteCloser, error) {
		return brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: 24}), nil
	}},
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: precompress DIR...")
		os.Exit(2)
	}
	for _, dir := range os.Args[1:] {
		if err := filepath.WalkDir(dir, visit); err != nil {
			fmt.Fprintln(os.Stderr, "precompress:", err)
			os.Exit(1)
		}
	}
}

// visit writes the copies of one file, or removes a copy whose file is gone.
func visit(path string, d fs.DirEntry, err error) error {
	if err != nil || d.IsDir() {
		return err
	}
	for _, e := range encodings {
		if src, ok := strings.CutSuffix(path, e.suffix); ok {
			if _, err := os.Stat(src); os.IsNotExist(err) {
				fmt.Println("removed", path)
				return os.Remove(path)
			}
			return nil
		}
	}
	if !loaded[filepath.Ext(path)] {
		return nil
	}
	body, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for _, e := range encodings {
		if err := write(path, body, e.suffix, e.writer); err != nil {
			return fmt.Errorf("%s%s: %w", path, e.suffix, err)
		}
	}
	return nil
}

// write compresses body into path+suffix when that is smaller, else removes the copy.
func write(path string, body []byte, suffix string, newWriter func(io.Writer) (io.WriteCloser, error)) error {
	var buf bytes.Buffer
	w, err := newWriter(&buf)
	if err != nil {
		return err
	}
	if _, err := w.Write(body); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	out := path + suffix
	if buf.Len() >= len(body) {
		if err := os.Remove(out); err != nil && !os.IsNotExist(err) {
			return err
		}
		return nil
	}
	fmt.Printf("%s: %d → %d bytes\n", out, len(body), buf.Len())
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
