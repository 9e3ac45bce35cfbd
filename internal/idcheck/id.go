package idcheck

import (
	"regexp"
	"strings"
	"time"

	"gongjian/internal/region"
)

// ID is a resident identity number (公民身份号码, GB 11643-1999) that passed
// the checks. Its String and GoString methods print the masked form, so an
// ID dropped into a log line or a template by mistake does not leak.
type ID struct {
	// Number is the canonical 18-character form: digits and an
	// upper-case X as check character.
	Number string
	// Region is the first six digits: the county of first registration as
	// it was coded then, which may since have been renamed or abolished.
	Region string
	// Birth is the civil birth date, at midnight UTC.
	Birth time.Time
	// Male reports an odd sequence number (positions 15–17).
	Male bool
	// Upgraded marks a 15-digit first-generation number, upgraded by
	// inserting 19 before the year and computing the check character.
	Upgraded bool
	// Warnings holds Warn… codes of doubts that did not reject the number.
	Warnings []string
}

// idWeights are 2^(17-i) mod 11, the ISO 7064 MOD 11-2 weights.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps Σ digit×weight mod 11 to the check character.
const idCheckChars = "10X98765432"

// scientific matches what Excel shows for a long number stored as a
// number: 3.20724E+17. By then every digit after the fifteenth is zero.
var scientific = regexp.MustCompile(`^[0-9]+(\.[0-9]*)?[eE]\+?[0-9]+$`)

// ParseID checks a resident ID number as a roster cell holds it. Spaces
// anywhere (people group the digits), full-width digits and a lower-case
// or full-width x are folded. today bounds the birth date; its civil date
// in its own location is used.
//
// A region code unknown even to the historical division table is only a
// warning: people keep the numbers of counties abolished after they were
// registered, and 1990s tables are incomplete.
func ParseID(s string, today time.Time) (ID, error) {
	n := foldCode(s, isSpace)
	if n == "" {
		return ID{}, newError(CodeIDEmpty)
	}
	if scientific.MatchString(n) {
		return ID{}, newError(CodeIDScientific)
	}
	if strings.HasSuffix(n, "x") {
		n = n[:len(n)-1] + "X"
	}
	for i, r := range n {
		if (r < '0' || r > '9') && r != 'X' {
			return ID{}, newError(CodeIDChars, "pos", 1+len([]rune(n[:i])), "char", string(r))
		}
	}
	if len(n) != 15 && len(n) != 18 {
		return ID{}, newError(CodeIDLength, "len", len(n))
	}
	if i := strings.IndexByte(n, 'X'); i >= 0 && i != 17 {
		return ID{}, newError(CodeIDChars, "pos", i+1, "char", "X")
	}

	var id ID
	if len(n) == 15 {
		id.Upgraded = true
		n = n[:6] + "19" + n[6:]
		n += string(idCheckChars[idSum(n)%11])
	}
	if !validProvince(n[:2]) {
		return ID{}, newError(CodeIDProvince, "province", n[:2])
	}
	birth, ok := civilDate(n[6:14])
	if !ok || birth.Year() < 1900 {
		return ID{}, newError(CodeIDBirth, "birth", n[6:14])
	}
	ty, tm, td := today.Date()
	if birth.After(time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)) {
		return ID{}, newError(CodeIDFuture, "birth", birth.Format(time.DateOnly))
	}
	if want := idCheckChars[idSum(n)%11]; n[17] != want {
		if strings.HasSuffix(n, "000") {
			// Digits 16–18 zero and a wrong check: the shape of a number
			// Excel kept to 15 significant digits.
			return ID{}, newError(CodeIDScientific)
		}
		return ID{}, newError(CodeIDCheck, "got", n[17:], "want", string(want))
	}
	if !id.Upgraded && strings.HasSuffix(n, "000") {
		// About one rounded number in eleven passes the check by chance.
		id.Warnings = append(id.Warnings, WarnIDTrailingZeros)
	}
	if !residencePermit(n[:2]) {
		if _, ok := region.Lookup(n[:6]); !ok {
			id.Warnings = append(id.Warnings, WarnIDRegionUnknown)
		}
	}
	id.Number = n
	id.Region = n[:6]
	id.Birth = birth
	id.Male = (n[16]-'0')%2 == 1
	return id, nil
}

// idSum is Σ digit×weight mod 11 over the first 17 digits.
func idSum(n string) int {
	sum := 0
	for i, w := range idWeights {
		sum += int(n[i]-'0') * w
	}
	return sum % 11
}

// CompleteID appends the GB 11643 check character to the first 17 digits
// of an ID number (region, birth date, sequence). ok is false when first
// is not 17 ASCII digits. Generators of test and demonstration data use
// it; ParseID accepts what it returns when the region and date are sound.
func CompleteID(first string) (number string, ok bool) {
	if len(first) != 17 || !allDigits(first) {
		return "", false
	}
	return first + string(idCheckChars[idSum(first)]), true
}

// validProvince accepts the GB/T 2260 province codes and 81/82/83, which
// residence permits for people from Hong Kong, Macau and Taiwan carry.
func validProvince(p string) bool {
	switch p {
	case "11", "12", "13", "14", "15", "21", "22", "23",
		"31", "32", "33", "34", "35", "36", "37",
		"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54",
		"61", "62", "63", "64", "65", "81", "82", "83":
		return true
	}
	return false
}

// residencePermit reports the prefixes of residence permits, whose region
// part (810000, 820000, 830000) is not a county and is not looked up.
func residencePermit(p string) bool { return p == "81" || p == "82" || p == "83" }

// civilDate reads YYYYMMDD and rejects dates that do not exist (Feb 30).
func civilDate(s string) (time.Time, bool) {
	y := atoi(s[:4])
	m := atoi(s[4:6])
	d := atoi(s[6:8])
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// atoi reads ASCII digits the caller has already checked.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// Masked shows the first six and last four characters
// ("320724********123X"): the county and enough to tell two people apart
// on a printed list.
func (id ID) Masked() string {
	if len(id.Number) != 18 {
		return ""
	}
	return id.Number[:6] + "********" + id.Number[14:]
}

// String is the masked number.
func (id ID) String() string { return id.Masked() }

// GoString is the masked number too, so that %#v does not leak either.
func (id ID) GoString() string { return "idcheck.ID(" + id.Masked() + ")" }

// Gender is the sex the sequence number encodes.
func (id ID) Gender() Gender {
	if id.Number == "" {
		return GenderUnknown
	}
	if id.Male {
		return Male
	}
	return Female
}

// CheckGender cross-checks the sex a roster states with the ID's parity.
func CheckGender(id ID, male bool) error {
	if id.Male != male {
		return newError(CodeIDGender, "id_male", id.Male)
	}
	return nil
}

// CheckBirth cross-checks a stated birth date (its civil date in its own
// location) with the one the ID encodes.
func CheckBirth(id ID, birth time.Time) error {
	y, m, d := birth.Date()
	by, bm, bd := id.Birth.Date()
	if y != by || m != bm || d != bd {
		return newError(CodeIDBirthDiff, "id_birth", id.Birth.Format(time.DateOnly),
			"birth", birth.Format(time.DateOnly))
	}
	return nil
}

// Age is the number of completed years on the civil date of on (0 before
// birth). Someone born on 29 February comes of age on 1 March in common
// years.
func Age(id ID, on time.Time) int {
	y, m, d := on.Date()
	by, bm, bd := id.Birth.Date()
	age := y - by
	if m < bm || (m == bm && d < bd) {
		age--
	}
	return max(age, 0)
}
