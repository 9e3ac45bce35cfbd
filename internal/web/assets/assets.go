// Package assets holds the embedded front end — templates, stylesheets,
// scripts and the npm-built vendor files — and serves the static part under
// content-hashed URLs, so browsers may cache each file for a year and still
// see a new version the moment it changes.
//
// The vendor files (htmx, ECharts) are copied from node_modules by
// `go run ./internal/web/assets/vendorcopy` (which `make assets` calls) into
// static/vendor/, which git ignores. Without them the site still works:
// forms are plain POSTs and htmx only enhances them; charts are missing.
// Missing reports what is absent so the caller can log one warning at start.
package assets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// Prefix is the URL path under which Handler serves the static files.
const Prefix = "/static/"

// Paths of the vendor files, relative to the static root, for templates and
// callers that test for them with Has.
const (
	HTMX    = "vendor/htmx.min.js"
	ECharts = "vendor/echarts.min.js"
)

// VendorFile names one file that vendorcopy copies from an npm package into
// the static tree.
type VendorFile struct {
	Package string // npm package name, as in package.json
	From    string // path inside the package
	To      string // path under static/
	License bool   // a license or notice shipped beside the code; not required at run time
}

// VendorFiles lists the files that make up the vendor bundle. It is the one
// list both vendorcopy and Missing read, so they cannot disagree. Licence
// texts travel with the minified code because the binary redistributes it
// (Apache-2.0 asks for the NOTICE).
func VendorFiles() []VendorFile {
	return []VendorFile{
		{Package: "htmx.org", From: "dist/htmx.min.js", To: HTMX},
		{Package: "htmx.org", From: "LICENSE", To: "vendor/htmx.LICENSE.txt", License: true},
		{Package: "echarts", From: "dist/echarts.min.js", To: ECharts},
		{Package: "echarts", From: "LICENSE", To: "vendor/echarts.LICENSE.txt", License: true},
		{Package: "echarts", From: "NOTICE", To: "vendor/echarts.NOTICE.txt", License: true},
		{Package: "echarts", From: "licenses/LICENSE-d3", To: "vendor/echarts.LICENSE-d3.txt", License: true},
		{Package: "zrender", From: "LICENSE", To: "vendor/zrender.LICENSE.txt", License: true},
	}
}

// Static serves the files of a static tree. It is built once at start and
// read-only afterwards, so one value serves all requests.
type Static struct {
	byName   map[string]*file // "css/app.css"
	byHashed map[string]*file // "css/app.1a2b3c4d.css"
}

type file struct {
	name   string
	hashed string // name with the hash before the extension
	hash   string // hex SHA-256 of data
	ctype  string
	data   []byte
	gz     []byte // gzip of data, when that pays off
}

// NewStatic reads every file of fsys (a tree like StaticFiles()), hashes it
// and, for text formats, compresses it once, so requests only copy bytes.
func NewStatic(fsys fs.FS) (*Static, error) {
	s := &Static{byName: map[string]*file{}, byHashed: map[string]*file{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		f := &file{
			name:  p,
			hash:  hex.EncodeToString(sum[:]),
			ctype: contentType(p),
			data:  data,
		}
		f.hashed = hashedName(p, f.hash[:8])
		if compressible(f.ctype) && len(data) >= 1024 {
			gz, err := gzipBytes(data)
			if err != nil {
				return err
			}
			// Keep the compressed copy only when it saves at least a tenth.
			if len(gz) < len(data)*9/10 {
				f.gz = gz
			}
		}
		s.byName[p] = f
		s.byHashed[f.hashed] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("assets: read static files: %w", err)
	}
	return s, nil
}

// hashedName puts the hash before the last extension: css/app.css becomes
// css/app.1a2b3c4d.css, vendor/htmx.min.js becomes vendor/htmx.min.1a2b3c4d.js.
// A name, unlike a query string, is cached by every proxy, and a stale name
// simply 404s instead of being served new content under an old URL.
func hashedName(name, hash8 string) string {
	dir, base := path.Split(name)
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		return dir + base[:i] + "." + hash8 + base[i:]
	}
	return name + "." + hash8
}

// URL returns the content-hashed URL of the file at p ("css/app.css"). For
// an unknown p it returns the plain URL, which Handler answers with 404:
// rendering a page must not fail over a missing stylesheet, and the 404 is
// visible in the browser and the request log.
func (s *Static) URL(p string) string {
	if f, ok := s.byName[p]; ok {
		return Prefix + f.hashed
	}
	return Prefix + p
}

// Has reports whether the file at p exists, so the layout can include htmx
// only when the vendor bundle was built.
func (s *Static) Has(p string) bool {
	_, ok := s.byName[p]
	return ok
}

// Missing returns the vendor files the build is expected to provide but that
// are absent (licence texts aside), in VendorFiles order; nil when the bundle
// is complete. The composition root logs one warning when it is not empty.
func (s *Static) Missing() []string {
	var out []string
	for _, v := range VendorFiles() {
		if !v.License && !s.Has(v.To) {
			out = append(out, v.To)
		}
	}
	return out
}

// Handler serves the files under Prefix. Mount it either as
// mux.Handle("GET /static/", st.Handler()) or behind
// http.StripPrefix("/static/", st.Handler()); it accepts both path forms.
// A hashed URL is cached for a year as immutable; the plain name is served
// too (for scripts that need a stable name) but must be revalidated;
// anything else is 404.
func (s *Static) Handler() http.Handler {
	return http.HandlerFunc(s.serve)
}

func (s *Static) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	// Mounted directly, the path still carries the prefix; behind
	// http.StripPrefix("/static/", …) it arrives without it.
	rel, ok := strings.CutPrefix(r.URL.Path, Prefix)
	if !ok {
		rel = strings.TrimPrefix(r.URL.Path, "/")
	}
	h := w.Header()
	f, hashed := s.byHashed[rel]
	if hashed {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else if f, ok = s.byName[rel]; ok {
		h.Set("Cache-Control", "no-cache")
	} else {
		http.NotFound(w, r)
		return
	}
	h.Set("Content-Type", f.ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	body, etag := f.data, `"`+f.hash[:32]+`"`
	if f.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body, etag = f.gz, `"`+f.hash[:32]+`-gz"`
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	// ServeContent answers If-None-Match with 304, handles Range and HEAD,
	// and, with the Content-Type already set, does no sniffing.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// contentType is an explicit table rather than mime.TypeByExtension, whose
// answers depend on the host's /etc/mime.types (woff2 and even js vary).
func contentType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".json", ".map":
		return "application/json"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".webp":
		return "image/webp"
	case ".ico":
		return "image/x-icon"
	case ".woff2":
		return "font/woff2"
	case ".woff":
		return "font/woff"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") ||
		strings.HasPrefix(ctype, "application/json") ||
		strings.HasPrefix(ctype, "image/svg+xml")
}

func gzipBytes(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// acceptsGzip reads an Accept-Encoding header: gzip listed with a non-zero
// q, or, when gzip is not named at all, * with a non-zero q.
func acceptsGzip(header string) bool {
	gzipQ, starQ := -1.0, -1.0
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					f = 0
				}
				q = f
			}
		}
		switch strings.ToLower(strings.TrimSpace(coding)) {
		case "gzip", "x-gzip":
			gzipQ = q
		case "*":
			starQ = q
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}
