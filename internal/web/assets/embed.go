package assets

import (
	"embed"
	"io/fs"
)

// embedded holds the whole static and templates trees. Embedding the
// directories rather than file patterns is what lets the package build on a
// fresh clone: static/vendor/ is generated and git-ignored, and a pattern
// naming it would fail to compile when it is absent, whereas a directory is
// embedded with whatever it contains (css/ and js/ are committed, so static
// is never empty). See docs/decisions/0002-assets-without-bundle.md.
//
//go:embed static templates
var embedded embed.FS

// StaticFiles returns the embedded static files, rooted so that paths read
// "css/app.css" and "vendor/htmx.min.js".
func StaticFiles() fs.FS { return sub("static") }

// Templates returns the embedded templates, rooted so that paths read
// "layout/base.html" and "pages/….html".
func Templates() fs.FS { return sub("templates") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(embedded, dir)
	if err != nil {
		// fs.Sub fails only for an invalid path, and dir is a constant.
		panic("assets: " + err.Error())
	}
	return f
}
