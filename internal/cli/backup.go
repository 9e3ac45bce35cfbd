package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"gongjian/internal/config"
	"gongjian/internal/store"
)

// backup writes a verified copy of a SQLite database to DEST. PostgreSQL
// is backed up with its own tools, which also give point-in-time recovery.
func (r *runner) backup(ctx context.Context, args []string) error {
	cfg, pos, err := r.configure(newFlags("backup"), args, config.Common, config.ServeDefaults(), 1, "cli.backup.usage")
	if err != nil {
		return err
	}
	dest := pos[0]
	if !strings.HasPrefix(cfg.DB, "sqlite:") {
		return usageError("cli.backup.postgres")
	}
	if _, err := os.Lstat(dest); err == nil {
		return usageError("cli.backup.exists", "Path", dest)
	}
	if st, err := os.Stat(filepath.Dir(dest)); err != nil || !st.IsDir() {
		return usageError("cli.backup.no_folder", "Dir", filepath.Dir(dest))
	}
	db, err := r.openDB(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer db.Close()
	size, err := store.Backup(ctx, db, dest)
	if errors.Is(err, fs.ErrExist) {
		return usageError("cli.backup.exists", "Path", dest)
	}
	if err != nil {
		return runtimeError("cli.backup.failed", "Err", err.Error())
	}
	r.say("cli.backup.done", "Path", dest, "Size", humanSize(size))
	return nil
}

// humanSize renders a byte count the way ls -h does.
func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
