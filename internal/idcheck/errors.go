package idcheck

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Error codes. They are part of the API: message catalogues key on them,
// so a code is never renamed, only added.
const (
	CodeIDEmpty      = "id.empty"      // nothing left after trimming
	CodeIDChars      = "id.chars"      // a character other than digits and a final X; Args: pos, char
	CodeIDLength     = "id.length"     // neither 15 nor 18 characters; Args: len
	CodeIDScientific = "id.scientific" // typed as a number: digits after the 15th were lost
	CodeIDProvince   = "id.province"   // the first two digits name no province; Args: province
	CodeIDBirth      = "id.birth"      // the birth date does not exist; Args: birth
	CodeIDFuture     = "id.future"     // born after today; Args: birth
	CodeIDCheck      = "id.check"      // the check character is wrong; Args: got, want
	CodeIDGender     = "id.gender"     // CheckGender: the sequence parity says otherwise; Args: id_male
	CodeIDBirthDiff  = "id.birth_diff" // CheckBirth: the stated birth date differs; Args: id_birth, birth

	CodePhoneEmpty     = "phone.empty"
	CodePhoneChars     = "phone.chars"  // Args: char
	CodePhoneFormat    = "phone.format" // not 1[3-9] and nine digits; Args: digits
	CodeLandlineEmpty  = "landline.empty"
	CodeLandlineFormat = "landline.format" // Args: digits

	CodeUSCCEmpty    = "uscc.empty"
	CodeUSCCChars    = "uscc.chars"     // a character outside the GB 32100 alphabet; Args: pos, char
	CodeUSCCLength   = "uscc.length"    // Args: len
	CodeUSCCCheck    = "uscc.check"     // position 18 is wrong; Args: got, want
	CodeUSCCOrgCheck = "uscc.org_check" // the embedded or legacy organization code's check is wrong; Args: got, want

	CodeNameEmpty  = "name.empty"
	CodeNameLength = "name.length" // more than 50 characters; Args: len
	CodeNameDigit  = "name.digit"  // Args: char
	CodeNameChars  = "name.chars"  // punctuation, symbols, "?" left by a legacy system; Args: char
	CodeNameDot    = "name.dot"    // a separator dot at the start or end

	CodeGender = "gender.invalid" // Args: value

	CodeDateFormat    = "date.format"     // Args: value
	CodeDateInvalid   = "date.invalid"    // month or day out of range; Args: value
	CodeDateYear      = "date.year"       // a year outside 1900–2100; Args: year
	CodeDateShortYear = "date.short_year" // "16.7": the century is a guess, so it is asked for
	CodeDateRange     = "date.range"      // "2016.07—2018.12", "至今": out of scope here
	CodeDateSerial    = "date.serial"     // an Excel serial that is no date (60 in 1900, negative, NaN); Args: serial
)

// Warning codes. A warning accompanies a value that was accepted.
const (
	WarnIDRegionUnknown  = "id.region_unknown" // the address code is unknown, even historically
	WarnIDTrailingZeros  = "id.trailing_zeros" // valid, but ends in 000 like a number Excel rounded
	WarnPhoneUnallocated = "phone.unallocated" // the prefix is not in the MIIT allocation table
	WarnUSCCAuthority    = "uscc.authority_unknown"
	WarnUSCCCategory     = "uscc.category_unknown"
	WarnUSCCRegion       = "uscc.region_unknown"
	WarnNamePrivateUse   = "name.private_use"  // a Private Use Area character from a legacy font
	WarnNameLatin        = "name.latin"        // letters are Latin only: pinyin in place of hanzi?
	WarnNameMixedScript  = "name.mixed_script" // hanzi and Latin letters: a rare character typed as pinyin?
)

// Error is a validation failure. Code is stable and machine-readable; Args
// hold the values a translated message may quote (never the full ID or
// phone number, which would leak into logs).
type Error struct {
	Code string
	Args map[string]any
}

func newError(code string, kv ...any) *Error {
	e := &Error{Code: code}
	if len(kv) > 0 {
		e.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			e.Args[kv[i].(string)] = kv[i+1]
		}
	}
	return e
}

// Error renders the code and the arguments in a fixed order, for logs and
// tests; users see the translated message instead.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("idcheck: ")
	b.WriteString(e.Code)
	for i, k := range slices.Sorted(maps.Keys(e.Args)) {
		if i == 0 {
			b.WriteString(" (")
		} else {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s=%v", k, e.Args[k])
	}
	if len(e.Args) > 0 {
		b.WriteString(")")
	}
	return b.String()
}

// Is makes errors.Is(err, &Error{Code: CodeIDCheck}) match on the code
// alone, whatever the arguments.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// CodeOf returns the code of an *Error anywhere in err's chain, or "".
func CodeOf(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return ""
}
