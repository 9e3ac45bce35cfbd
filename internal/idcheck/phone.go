package idcheck

import "strings"

// Phone is a mainland mobile number. String and GoString print the masked
// form, so that a Phone in a log line does not leak the number.
type Phone struct {
	// Number is the 11-digit national number without prefixes.
	Number string
	// Carrier is the operator the prefix was allocated to (Carrier…
	// constants), "" when the prefix is not in the allocation table.
	Carrier string
	// Virtual marks a block of a mobile virtual network operator.
	Virtual bool
	// Strict reports that the prefix is in the MIIT allocation table. A
	// number outside it is kept with WarnPhoneUnallocated: the table lags
	// new allocations, and a typo in the prefix is rarer than a new block.
	Strict bool
	// Warnings holds Warn… codes.
	Warnings []string
}

// ParsePhone reads a mobile number as rosters write it: spaces, hyphens and
// brackets anywhere, full-width digits, the country code as +86, 0086 or 86,
// and a leading 0 dialled before mobiles from some landlines.
func ParsePhone(s string) (Phone, error) {
	n := foldCode(s, isPhoneSeparator)
	if n == "" {
		return Phone{}, newError(CodePhoneEmpty)
	}
	n = stripCountryCode(n)
	if pos, c := firstNonDigit(n); pos > 0 {
		return Phone{}, newError(CodePhoneChars, "char", c)
	}
	if len(n) == 12 && n[0] == '0' && n[1] == '1' {
		n = n[1:]
	}
	if len(n) != 11 || n[0] != '1' || n[1] < '3' {
		return Phone{}, newError(CodePhoneFormat, "digits", len(n))
	}
	p := Phone{Number: n}
	if a, ok := lookupAllocation(n); ok {
		p.Carrier, p.Virtual, p.Strict = a.carrier, a.virtual, true
	} else {
		p.Warnings = append(p.Warnings, WarnPhoneUnallocated)
	}
	return p, nil
}

// isPhoneSeparator reports what may sit between digit groups.
func isPhoneSeparator(r rune) bool {
	return isSpace(r) || isDash(r) || r == '(' || r == ')' || r == '.'
}

// stripCountryCode removes +86, 0086 and a bare 86 before a mobile number.
// A bare 86 is removed only when 11 digits remain, since 86… is also a
// possible local landline number.
func stripCountryCode(n string) string {
	switch {
	case strings.HasPrefix(n, "+86"):
		return n[3:]
	case strings.HasPrefix(n, "0086"):
		return n[4:]
	case strings.HasPrefix(n, "86") && len(n) == 13 && n[2] == '1':
		return n[2:]
	}
	return n
}

// Masked keeps the prefix and the last four digits ("138****5678").
func (p Phone) Masked() string {
	if len(p.Number) != 11 {
		return ""
	}
	return p.Number[:3] + "****" + p.Number[7:]
}

// String is the masked number.
func (p Phone) String() string { return p.Masked() }

// GoString is the masked number too.
func (p Phone) GoString() string { return "idcheck.Phone(" + p.Masked() + ")" }

// Landline is a fixed-line number with its area code.
type Landline struct {
	// AreaCode includes the trunk 0: "010", "0518".
	AreaCode string
	// Local is the 7- or 8-digit subscriber number.
	Local string
	// Extension is what followed 转, ext or a last hyphen ("" when none).
	Extension string
}

// String is "0518-83212345", with "-801" for an extension.
func (l Landline) String() string {
	if l.Local == "" {
		return ""
	}
	s := l.AreaCode + "-" + l.Local
	if l.Extension != "" {
		s += "-" + l.Extension
	}
	return s
}

// ParseLandline reads "0518-83212345", "(0518)83212345", "010 8765 4321",
// "+86 518 83212345" and an extension after 转, "ext" or a final hyphen.
// Beijing (010) and the 02x cities have two-digit area codes, everyone else
// three; the area code is required, since a roster covers many counties.
func ParseLandline(s string) (Landline, error) {
	body, ext := splitExtension(s)
	n := foldCode(body, isPhoneSeparator)
	if n == "" {
		return Landline{}, newError(CodeLandlineEmpty)
	}
	if strings.HasPrefix(n, "+86") || strings.HasPrefix(n, "0086") {
		// The trunk 0 is not dialled after the country code, but people
		// write it anyway: "+86 (0)518 …".
		n = "0" + strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(n, "+86"), "0086"), "0")
	}
	if pos, c := firstNonDigit(n); pos > 0 {
		return Landline{}, newError(CodePhoneChars, "char", c)
	}
	if len(n) < 3 || n[0] != '0' || n[1] == '0' {
		return Landline{}, newError(CodeLandlineFormat, "digits", len(n))
	}
	area := 4
	if n[1] == '1' || n[1] == '2' {
		area = 3
	}
	if len(n) < area+7 || len(n) > area+8 || n[area] == '0' || n[area] == '1' ||
		(n[1] == '1' && n[2] != '0') { // 01x other than 010 is a mobile dialled with 0
		return Landline{}, newError(CodeLandlineFormat, "digits", len(n))
	}
	local := n[area:]
	return Landline{AreaCode: n[:area], Local: local, Extension: ext}, nil
}

// splitExtension separates an extension written after 转, 分机 or "ext",
// or as a last hyphenated group of 1–5 digits after a full number.
func splitExtension(s string) (body, ext string) {
	for _, sep := range []string{"转", "分机", "ext"} {
		if i := indexFold(s, sep); i > 0 {
			e := foldCode(s[i+len(sep):], func(r rune) bool { return isPhoneSeparator(r) || r == '.' || r == ':' })
			if allDigits(e) {
				return s[:i], e
			}
		}
	}
	if i := strings.LastIndexAny(s, "-－"); i > 0 {
		e := foldCode(s[i:], isPhoneSeparator)
		head := foldCode(s[:i], isPhoneSeparator)
		// Only when the part before is itself a whole number with area code.
		if allDigits(e) && len(e) <= 5 && len(head) >= 10 {
			return s[:i], e
		}
	}
	return s, ""
}

// SplitPhones splits a cell holding several numbers on 、 / ； ; ， , and line
// breaks, trimming each part and dropping empty parts and placeholders (无,
// /, -). Each part still goes through ParsePhone or ParseLandline.
func SplitPhones(cell string) []string {
	parts := strings.FieldsFunc(cell, func(r rune) bool {
		switch r {
		case '、', '/', '／', '；', ';', '，', ',', '\n', '\r':
			return true
		}
		return false
	})
	out := parts[:0]
	for _, p := range parts {
		p = strings.TrimFunc(p, isSpace)
		if p == "" || IsPlaceholder(p) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// indexFold is strings.Index ignoring ASCII case. strings.ToUpper would not
// do: it changes the byte length of some letters (ı, ſ), and the offset is
// used to slice the original.
func indexFold(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}
