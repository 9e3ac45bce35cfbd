package seal

import "testing"

// FuzzOpen feeds arbitrary tokens to Open: a stored column can be damaged or
// planted, and Open must refuse it with an error, never panic or accept.
func FuzzOpen(f *testing.F) {
	k, err := New(SuiteGM)
	if err != nil {
		f.Fatal(err)
	}
	good, _ := k.Seal([]byte("13800138000"), []byte("aad"))
	for _, s := range []string{good, "", "v1.gm.1.", "v1.gm.1.AAAA", "v1.std.1." + good[9:], "v1.gm.99999999999999999999.x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, token string) {
		plain, err := k.Open(token, []byte("aad"))
		if err == nil && token != good && string(plain) != "13800138000" {
			t.Fatalf("Open accepted a forged token %q", token)
		}
	})
}
