//go:build !linux

package cli

import "os"

// Elsewhere than Linux the password comes from --password,
// GONGJIAN_PASSWORD or a line of standard input.
func isTerminal(*os.File) bool { return false }

func readNoEcho(*os.File) (string, error) { return "", nil }
