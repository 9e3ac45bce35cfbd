// Package migrations holds the schema as twin goose migration folders, one
// per dialect, with the same version numbers in both.
package migrations

import "embed"

// FS holds sqlite/ and postgres/.
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
