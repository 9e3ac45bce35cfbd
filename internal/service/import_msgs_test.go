package service_test

import (
	"testing"

	"gongjian/internal/i18n"
	"gongjian/internal/idcheck"
	"gongjian/internal/roster"
)

// The import builds message IDs from the codes of the roster reader
// ("import."+code) and of idcheck's warnings ("import.warn."+code), which
// the catalogue test cannot see in the source: every one must exist in
// every language, and render with the arguments it gets.
func TestImportMessagesCatalogued(t *testing.T) {
	b, err := i18n.New()
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, c := range []string{roster.CodeTooBig, roster.CodeEmpty, roster.CodeXLS, roster.CodeEncrypted, roster.CodeHTMLXLS,
		roster.CodeMislabelled, roster.CodeUnsupported, roster.CodeTooManyEntries, roster.CodeTooBigInflated, roster.CodeDTD,
		roster.CodeCorrupt, roster.CodeNoSheet, roster.CodeEncoding, roster.CodeCSVSyntax, roster.CodeTooManyColumns,
		roster.CodeTooManyRows, roster.CodeTooManyCells, roster.CodeCellTooLong, roster.CodeRowTooLong, roster.CodeNoHeader} {
		ids = append(ids, "import."+c)
	}
	for _, c := range []string{idcheck.WarnIDRegionUnknown, idcheck.WarnIDTrailingZeros, idcheck.WarnPhoneUnallocated,
		idcheck.WarnNamePrivateUse, idcheck.WarnNameLatin, idcheck.WarnNameMixedScript} {
		ids = append(ids, "import.warn."+c)
	}
	for _, f := range roster.PersonFields {
		ids = append(ids, "import.field."+f.Key)
	}
	args := map[string]any{"Row": 3, "Column": "C", "MaxMB": int64(64), "max": 200, "ext": ".xls", "content": "xlsx",
		"sheet": "Sheet2", "encoding": "UTF-16"}
	for _, lang := range i18n.Languages() {
		l := b.For(lang)
		for _, id := range ids {
			if !l.Has(id) || l.T(id, args) == id {
				t.Errorf("%s: %s is missing or does not render", lang, id)
			}
		}
	}
}
