package web

// Static files under /static/ (the embedded web/static: scripts, style sheets, the
// vendored htmx and ECharts). A page names each file by an address that carries the
// hash of its content, {{asset "vendor/echarts/echarts.min.js"}} →
// /static/vendor/echarts/echarts.min.1a2b3c4d5e.js, which a browser keeps for a year
// without asking again: a new version is a new address. The plain address still
// answers, cached for five minutes, for whoever kept it.
//
// Each file goes out compressed when the browser accepts it (Accept-Encoding; brotli
// before gzip): the vendored libraries as the .br and .gz copies beside them, made at
// build time by cmd/precompress (web/vendor/fetch.sh runs it) and embedded, since
// brotli at its best takes seconds for the 1.1 MB chart library (it becomes 0.3 MB);
// the application's own small files are gzipped once when the server starts, so an
// edited style sheet never goes out with a stale copy. Everything is read into memory
// once per process: about 2 MB.

//go:generate go run ../cmd/precompress static/vendor

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	cacheForever = "public, max-age=31536000, immutable" // an address that names its content
	cacheShort   = "public, max-age=300"                 // a plain address: the file may change
	assetHashLen = 10                                    // hex digits of SHA-256 in an address
)

// asset is one static file in every form it is sent in.
type asset struct {
	hashed string            // its address under /static/ with the content's hash
	hash   string            // the hash, also its ETag
	ctype  string            // Content-Type
	forms  map[string][]byte // by content coding: "" the file itself, "br", "gzip"
}

// assetTable holds the static files by plain and by hashed address.
type assetTable struct {
	byName, byHashed map[string]*asset
}

// staticAssets reads the embedded static files once per process.
var staticAssets = sync.OnceValues(func() (*assetTable, error) { return loadAssets(staticFS, "static") })

// staticAssetTable is the static files for serving. It panics when the embedded files
// cannot be read, a programming error a test catches first.
func staticAssetTable() *assetTable {
	t, err := staticAssets()
	if err != nil {
		panic(err)
	}
	return t
}

// assetURL is a template function: the content-named address of a static file.
func assetURL(name string) (string, error) {
	t, err := staticAssets()
	if err != nil {
		return "", err
	}
	a, ok := t.byName[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	return "/static/" + a.hashed, nil
}

// loadAssets reads every file under root of fsys with its precompressed copies (.br,
// .gz beside it), which are not served under their own names.
func loadAssets(fsys fs.FS, root string) (*assetTable, error) {
	t := &assetTable{byName: map[string]*asset{}, byHashed: map[string]*asset{}}
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".br") || strings.HasSuffix(p, ".gz") {
			return err
		}
		a, err := loadAsset(fsys, p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, root+"/")
		a.hashed = hashedName(name, a.hash)
		t.byName[name], t.byHashed[a.hashed] = a, a
		return nil
	})
	return t, err
}

func loadAsset(fsys fs.FS, p string) (*asset, error) {
	body, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	a := &asset{hash: hex.EncodeToString(sum[:])[:assetHashLen], forms: map[string][]byte{"": body}}
	if a.ctype = mime.TypeByExtension(path.Ext(p)); a.ctype == "" {
		a.ctype = http.DetectContentType(body)
	}
	for coding, suffix := range map[string]string{"br": ".br", "gzip": ".gz"} {
		if c, err := fs.ReadFile(fsys, p+suffix); err == nil {
			a.forms[coding] = c
		}
	}
	if a.forms["gzip"] == nil {
		if c := gzipped(body); len(c) < len(body) {
			a.forms["gzip"] = c
		}
	}
	return a, nil
}

func gzipped(body []byte) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	w.Write(body)
	w.Close()
	return buf.Bytes()
}

// hashedName puts the hash before the file's extension: js/app.js → js/app.<hash>.js.
func hashedName(name, hash string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hash + ext
}

// find looks an address up: by its hash (cached for ever), plain (cached briefly), or
// with the hash of another version of the file (cached briefly: during a rolling
// upgrade a page from a newer server may ask an older one).
func (t *assetTable) find(p string) (*asset, string) {
	if a, ok := t.byHashed[p]; ok {
		return a, cacheForever
	}
	if a, ok := t.byName[p]; ok {
		return a, cacheShort
	}
	ext := path.Ext(p)
	stem := strings.TrimSuffix(p, ext)
	if h := path.Ext(stem); isAssetHash(h) { // dir/name.<hash>.ext
		return t.byName[strings.TrimSuffix(stem, h)+ext], cacheShort
	}
	if isAssetHash(ext) { // dir/NAME.<hash>, a file without extension
		return t.byName[stem], cacheShort
	}
	return nil, ""
}

func isAssetHash(ext string) bool {
	if len(ext) != 1+assetHashLen {
		return false
	}
	_, err := hex.DecodeString(ext[1:])
	return err == nil && strings.ToLower(ext) == ext
}

// serve answers a request for the file at p (its address under /static/) in the form
// the browser accepts; false when there is no such file.
func (t *assetTable) serve(w http.ResponseWriter, r *http.Request, p string) bool {
	a, cache := t.find(p)
	if a == nil {
		return false
	}
	coding := a.coding(r.Header.Get("Accept-Encoding"))
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("Cache-Control", cache)
	if len(a.forms) > 1 {
		h.Add("Vary", "Accept-Encoding")
	}
	etag := a.hash
	if coding != "" {
		h.Set("Content-Encoding", coding)
		etag += "-" + coding // each form its own entity
		// ServeContent sends a compressed body without its length (chunked) and would cut
		// ranges of it: send it whole, with its length
		h.Set("Content-Length", strconv.Itoa(len(a.forms[coding])))
		if r.Header.Get("Range") != "" {
			r = r.Clone(r.Context())
			r.Header.Del("Range")
		}
	}
	h.Set("ETag", `"`+etag+`"`)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.forms[coding]))
	return true
}

// coding picks the smallest form the request accepts: brotli, then gzip, else the
// file itself ("").
func (a *asset) coding(acceptEncoding string) string {
	for _, c := range []string{"br", "gzip"} {
		if a.forms[c] != nil && accepts(acceptEncoding, c) {
			return c
		}
	}
	return ""
}

// accepts tells whether an Accept-Encoding header takes coding with a weight above 0,
// by its name or else by "*" (RFC 9110 12.5.3).
func accepts(header, coding string) bool {
	star := false
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.TrimSpace(name)
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			var err error
			if q, err = strconv.ParseFloat(strings.TrimSpace(v), 64); err != nil {
				q = 0
			}
		}
		switch {
		case strings.EqualFold(name, coding):
			return q > 0
		case name == "*":
			star = q > 0
		}
	}
	return star
}
