package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"hash"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

// The suite ids. They are written into every token and into the secret
// file, so they are part of the stored format and must never be renamed.
const (
	// SuiteStd is AES-256-GCM for field encryption and HMAC-SHA-256 for
	// blind indexes and MACs: the international default.
	SuiteStd = "std"
	// SuiteGM is SM4-GCM and HMAC-SM3: the national algorithms that a
	// commercial-cryptography assessment (密评, GB/T 39786-2021) expects.
	SuiteGM = "gm"
)

// suite is the small seam between the keyring and the algorithms. Two
// implementations exist, so an interface earns its place.
type suite interface {
	// encKeyLen is the length of the field-encryption key in bytes.
	encKeyLen() int
	// aead builds the authenticated cipher for a field-encryption key.
	aead(key []byte) (cipher.AEAD, error)
	// hash is the hash function under HMAC.
	hash() func() hash.Hash
}

// macKeyLen is the length of every MAC key (blind index, audit, session,
// QR): one hash block's worth of entropy would be more than enough; 32 bytes
// matches the output size of both SHA-256 and SM3.
const macKeyLen = 32

type stdSuite struct{}

func (stdSuite) encKeyLen() int { return 32 } // AES-256

func (stdSuite) aead(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

func (stdSuite) hash() func() hash.Hash { return sha256.New }

type gmSuite struct{}

func (gmSuite) encKeyLen() int { return sm4.BlockSize } // SM4 has one key size: 128 bits

func (gmSuite) aead(key []byte) (cipher.AEAD, error) {
	b, err := sm4.NewCipher(key)
	if err != nil {
		return nil, err
	}
	// GCM is defined for any 128-bit block cipher; SM4-GCM is RFC 8998's
	// TLS mode and GB/T 36624's authenticated-encryption mode.
	return cipher.NewGCM(b)
}

func (gmSuite) hash() func() hash.Hash { return sm3.New }

// suiteByID returns the implementation of a suite id.
func suiteByID(id string) (suite, error) {
	switch id {
	case SuiteStd:
		return stdSuite{}, nil
	case SuiteGM:
		return gmSuite{}, nil
	}
	return nil, fmt.Errorf("unknown suite %q (want %q or %q)", id, SuiteStd, SuiteGM)
}

// newMAC returns an HMAC under the suite's hash.
func newMAC(s suite, key []byte) hash.Hash { return hmac.New(s.hash(), key) }
