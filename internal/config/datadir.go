package config

import (
	"errors"
	"os"
)

// EnsureDataDir makes the data folder (0700: it will hold personal data
// such as uploaded rosters) when it is absent, and proves that it is a
// folder this process can write to by writing a file there. Finding out at
// start beats finding out at the first upload.
func EnsureDataDir(path string) error {
	fail := func(msgID string, err error) error {
		return invalid("data-dir", "GONGJIAN_DATA_DIR", msgID, map[string]any{"Dir": path, "Err": errText(err)})
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.MkdirAll(path, 0o700); err != nil {
			return fail("cli.config.data_dir_create", err)
		}
	case err != nil:
		return fail("cli.config.data_dir_create", err)
	case !st.IsDir():
		return fail("cli.config.data_dir_not_dir", errors.New("not a directory"))
	}
	f, err := os.CreateTemp(path, ".write-test-*")
	if err != nil {
		return fail("cli.config.data_dir_unwritable", err)
	}
	name := f.Name()
	f.Close()
	if err := os.Remove(name); err != nil {
		return fail("cli.config.data_dir_unwritable", err)
	}
	return nil
}

// errText keeps only the operating system's reason ("permission denied"),
// since the message already names the folder.
func errText(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
