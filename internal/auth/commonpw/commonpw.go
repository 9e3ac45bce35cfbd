// Package commonpw says whether a password is a well-known leaked or
// default one (OWASP ASVS 5.0 6.2.4/6.2.12; MLPS assessors try exactly these
// first).
//
// The list is embedded: list.txt.gz holds the ~49,000 entries of the npm
// package @zxcvbn-ts/language-common (regenerate with
// `go generate ./internal/auth/commonpw`, see gen/), and supplement.txt adds
// by hand the patterns that Chinese users and vendors favour and that the
// mostly Western list lacks ("woaini1314", "Admin@123", "qwe123!@#").
//
// Contains is case-insensitive and catches a few cheap variations, because
// a composition rule pushes people from "password" to "Password1!":
//   - the whole password;
//   - the password without its trailing digits and symbols ("Admin@2024" →
//     "admin"), when at least four characters remain, so that "abc1" does
//     not turn into a match on "abc";
//   - the password without its trailing symbols only ("abc123!" → "abc123");
//   - each of those with common leetspeak undone (@→a, 0→o, 1→i, 3→e, $→s …),
//     for candidates that hold a letter.
//
// It stops there on purpose: deeper mangling refuses strong passwords too and
// is better left to a strength estimator.
package commonpw

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:generate go run ./gen -out list.txt.gz

//go:embed list.txt.gz
var listGz []byte

//go:embed supplement.txt
var supplement string

// minBase is the shortest remainder, after trailing digits and symbols are
// cut, that still counts as a match.
const minBase = 4

// table is the sorted list, built on first use and never changed after, so
// it is shared read-only state rather than mutable global state. A sorted
// slice costs about a third of the memory of a map and is as fast here.
var table = sync.OnceValue(func() []string {
	zr, err := gzip.NewReader(bytes.NewReader(listGz))
	if err != nil {
		panic("commonpw: embedded list is corrupt: " + err.Error()) // caught by the tests
	}
	var list []string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		list = append(list, sc.Text())
	}
	if err := sc.Err(); err != nil {
		panic("commonpw: embedded list is corrupt: " + err.Error())
	}
	for line := range strings.Lines(supplement) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "# ") || line == "#" {
			continue
		}
		list = append(list, strings.ToLower(line))
	}
	slices.Sort(list)
	return slices.Compact(list)
})

// Len returns the number of distinct entries, supplement included.
func Len() int { return len(table()) }

// Contains reports whether pw, or one of the simple variations described in
// the package comment, is a common password.
func Contains(pw string) bool {
	list := table()
	for _, c := range candidates(pw) {
		if _, found := slices.BinarySearch(list, c); found {
			return true
		}
	}
	return false
}

// candidates lists the forms of pw to look up.
func candidates(pw string) []string {
	lower := strings.ToLower(pw)
	out := []string{lower}
	noTail := strings.TrimRightFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	if noTail != lower && utf8.RuneCountInString(noTail) >= minBase {
		out = append(out, noTail)
	}
	noSymbols := strings.TrimRightFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if noSymbols != lower && noSymbols != noTail && noSymbols != "" {
		out = append(out, noSymbols)
	}
	for _, c := range out {
		if u := unleet(c); u != c {
			out = append(out, u)
		}
	}
	return out
}

// leet maps the common substitutions back to letters. 1 could be i or l;
// i is the more frequent reading in leaked lists ("p1ng", "adm1n").
var leet = strings.NewReplacer("@", "a", "4", "a", "0", "o", "1", "i", "!", "i", "3", "e", "$", "s", "5", "s", "7", "t")

// unleet undoes leetspeak in s when s holds a letter; digits alone are left
// as they are, since "1234" is not a disguised word.
func unleet(s string) string {
	if !strings.ContainsFunc(s, unicode.IsLetter) {
		return s
	}
	return leet.Replace(s)
}
