package auth

import "testing"

// FuzzVerify feeds arbitrary PHC strings to Verify: it must not panic, nor
// allocate without bound (the parameter limits), nor accept a wrong password
// against a mangled hash.
func FuzzVerify(f *testing.F) {
	good, _ := Hash("pw", TestParams)
	for _, s := range []string{good, "", "$argon2id$v=19$m=64,t=1,p=1$$", "$argon2id$v=19$m=4294967295,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, phc string) {
		if ok, _ := Verify(phc, "not the password"); ok {
			t.Fatalf("Verify accepted a wrong password against %q", phc)
		}
	})
}
