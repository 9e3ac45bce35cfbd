// Package idcheck reads the identifiers and small coded values that
// rosters of migrant workers and Party members carry, and says precisely
// what is wrong with them: resident ID numbers (GB 11643), mobile and
// landline numbers, Unified Social Credit Codes (GB 32100), personal names,
// ethnicity (GB/T 3304), sex (GB/T 2261.1) and the dates officials type
// into spreadsheets.
//
// Every parser takes the text of one spreadsheet cell as it came and
// returns a canonical value or an *Error. An Error carries a stable code
// ("id.check", "phone.format" …) and arguments instead of a sentence, so
// that the web, API and import layers translate it with their own message
// catalogues. Doubts that should not stop an import (an abolished county in
// an ID number, a phone prefix missing from the allocation list, a name in
// pinyin) are returned as warning codes next to the value.
//
// Parsers fold the width of digits and letters only in the fields where that
// is safe (IDs, phones, codes, dates); names are normalized by their own
// rules (NormalizeName). Nothing here keeps state: the tables are constants
// in effect, and the functions are safe for concurrent use.
package idcheck
