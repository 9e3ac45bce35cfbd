package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	phc, err := Hash("Correct-Horse-9", TestParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("PHC = %q, want the argon2id v19 prefix with the parameters", phc)
	}
	cases := []struct {
		pw   string
		want bool
	}{
		{"Correct-Horse-9", true},
		{"correct-horse-9", false},
		{"Correct-Horse-9 ", false},
		{"", false},
		// NFKC: full-width letters and digits from a Chinese input method
		// are the same password.
		{"Ｃｏｒｒｅｃｔ－Ｈｏｒｓｅ－９", true},
	}
	for _, c := range cases {
		ok, err := Verify(phc, c.pw)
		if err != nil || ok != c.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", c.pw, ok, err, c.want)
		}
	}
	other, _ := Hash("Correct-Horse-9", TestParams)
	if other == phc {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestDefaultParamsHash(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB argon2id")
	}
	phc, err := Hash("x", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("PHC = %q", phc)
	}
	if ok, err := Verify(phc, "x"); !ok || err != nil {
		t.Errorf("Verify = %v, %v", ok, err)
	}
}

func TestVerifyMalformed(t *testing.T) {
	good, _ := Hash("pw", TestParams)
	parts := strings.Split(good, "$")
	bad := []string{
		"",
		"plain",
		"$argon2i$v=19$m=64,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=16$m=64,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$t=1,m=64,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=64,t=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=64,t=0,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=99999999,t=1,p=1$" + parts[4] + "$" + parts[5],
		"$argon2id$v=19$m=64,t=1,p=1$***$" + parts[5],
		"$argon2id$v=19$m=64,t=1,p=1$" + parts[4] + "$AAAA",
		good + "$extra",
	}
	for _, phc := range bad {
		ok, err := Verify(phc, "pw")
		if ok || !errors.Is(err, ErrMalformedHash) {
			t.Errorf("Verify(%q) = %v, %v; want ErrMalformedHash", phc, ok, err)
		}
		if !NeedsRehash(phc, TestParams) {
			t.Errorf("NeedsRehash(%q) = false for an unreadable hash", phc)
		}
	}
}

func TestNeedsRehash(t *testing.T) {
	phc, _ := Hash("pw", TestParams)
	if NeedsRehash(phc, TestParams) {
		t.Error("NeedsRehash with the same parameters")
	}
	for _, p := range []Params{
		{Memory: 128, Time: 1, Threads: 1, KeyLen: 32},
		{Memory: 64, Time: 2, Threads: 1, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 2, KeyLen: 32},
		{Memory: 64, Time: 1, Threads: 1, KeyLen: 16},
	} {
		if !NeedsRehash(phc, p) {
			t.Errorf("NeedsRehash(%+v) = false", p)
		}
	}
}

func TestHashRefusesUnusableParams(t *testing.T) {
	for _, p := range []Params{{}, {Memory: 64, Time: 1, Threads: 0, KeyLen: 32}, {Memory: 4, Time: 1, Threads: 1, KeyLen: 32}, {Memory: 64, Time: 1, Threads: 1, KeyLen: 8}} {
		if _, err := Hash("pw", p); err == nil {
			t.Errorf("Hash with %+v succeeded", p)
		}
	}
}

func TestDummyVerifyRuns(t *testing.T) {
	DummyVerify("anything", TestParams) // must not panic with a zero salt
}
