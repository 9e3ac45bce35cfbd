// Package seal is gongjian's one small cryptographic suite: field encryption
// for ID numbers and phones, keyed blind indexes to look those fields up, and
// purpose-separated MACs for the audit chain, session/CSRF tokens and QR
// tokens. The keys live in a secret file outside the database (MLPS level 3
// asks for the key to be kept apart from the data it protects).
//
// Two suites exist: "std" (AES-256-GCM, HMAC-SHA-256) and "gm" (SM4-GCM,
// HMAC-SM3) for commercial-cryptography assessments. Every ciphertext is a
// text token "v1.<suite>.<key id>.<base64url(nonce|ciphertext|tag)>", so a
// keyring can hold several keys of several suites at once: rotation and a
// change of suite are "add a key, then re-encrypt at leisure".
//
// Key roles across rotation. Only the field-encryption key rotates: Rotate
// adds a key that becomes current for Seal, and the older keys stay to Open
// what they sealed. Every other role (blind index, audit chain, session/CSRF,
// QR) uses the keyring's stable key, which is the first key ever created and
// is not changed by Rotate. The reason is that those outputs are stored or
// handed out and later recomputed and compared: a blind index that changed
// with each rotation would stop finding every existing row, and an audit chain
// would stop verifying. The consequence is that switching an existing
// installation from "std" to "gm" re-encrypts fields under SM4 but keeps
// HMAC-SHA-256 for indexes and MACs until a re-index migration (not provided
// here) moves them; a fresh "gm" installation is SM3 throughout. MACKeyID and
// MACWith let the audit chain record which key made each MAC, so such a
// migration stays possible without guessing.
package seal

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// tokenVersion prefixes every token; a new layout would get "v2".
const tokenVersion = "v1"

// The MAC purposes with a key of their own. Any other purpose string is
// allowed and uses the session key; the purpose is always mixed into the MAC
// input as well, so two purposes never produce the same MAC for the same data.
const (
	PurposeAudit   = "audit"   // the audit hash chain
	PurposeSession = "session" // session cookies and similar short-lived tokens
	PurposeCSRF    = "csrf"    // CSRF tokens (session key, separate label)
	PurposeQR      = "qr"      // QR check-in tokens, which may be printed and live long
)

// Errors from Open. They are internal errors, never shown to users as such:
// a failure to open a stored field is a bug or a lost key, not bad input.
var (
	ErrMalformed  = errors.New("seal: malformed token")
	ErrUnknownKey = errors.New("seal: token names a key that is not in the keyring")
	ErrAuth       = errors.New("seal: token failed authentication (tampered, wrong key or wrong context)")
)

// key is one generation of the keyring: a field-encryption key and the four
// MAC keys, all under one suite.
type key struct {
	id      int
	suiteID string
	suite   suite
	created time.Time
	enc     []byte
	index   []byte
	audit   []byte
	session []byte
	qr      []byte
	aead    cipher.AEAD // built once from enc; safe for concurrent use
}

// Keyring holds every key generation. It is safe for concurrent use: Seal,
// Open and the MACs may run while Rotate adds a key.
type Keyring struct {
	mu      sync.RWMutex
	keys    map[int]*key
	current int // key id used by Seal
	stable  int // key id used by BlindIndex and MAC; fixed for the keyring's life
}

// New returns a fresh in-memory keyring with one key of the given suite, ""
// meaning SuiteStd. LoadOrCreate is what production uses; New serves tests
// and tools that never persist keys.
func New(suiteID string) (*Keyring, error) {
	if suiteID == "" {
		suiteID = SuiteStd
	}
	k, err := newKey(1, suiteID, time.Now().UTC())
	if err != nil {
		return nil, err
	}
	return &Keyring{keys: map[int]*key{1: k}, current: 1, stable: 1}, nil
}

// newKey generates random keys for one generation.
func newKey(id int, suiteID string, created time.Time) (*key, error) {
	s, err := suiteByID(suiteID)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	k := &key{
		id: id, suiteID: suiteID, suite: s, created: created,
		enc:     randomBytes(s.encKeyLen()),
		index:   randomBytes(macKeyLen),
		audit:   randomBytes(macKeyLen),
		session: randomBytes(macKeyLen),
		qr:      randomBytes(macKeyLen),
	}
	if k.aead, err = s.aead(k.enc); err != nil {
		return nil, fmt.Errorf("seal: key %d: %w", id, err)
	}
	return k, nil
}

// randomBytes reads n bytes from the operating system's CSPRNG. Since Go
// 1.24 crypto/rand.Read never fails (it crashes the program instead), so
// there is no error to return.
func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// Rotate adds a new key generation of the given suite ("" keeps the current
// suite) and makes it current for Seal. Older generations stay, so Open still
// reads their tokens; use NeedsReseal to find what to re-encrypt. The stable
// key used by BlindIndex and MAC does not change (see the package comment).
// Call Save to persist the result.
func (k *Keyring) Rotate(suiteID string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if suiteID == "" {
		suiteID = k.keys[k.current].suiteID
	}
	next := slices.Max(k.idsLocked()) + 1
	nk, err := newKey(next, suiteID, time.Now().UTC())
	if err != nil {
		return err
	}
	k.keys[next] = nk
	k.current = next
	return nil
}

// Suite returns the suite of the current key, the one Seal uses.
func (k *Keyring) Suite() string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.keys[k.current].suiteID
}

// CurrentKeyID returns the id of the key that Seal uses.
func (k *Keyring) CurrentKeyID() int {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.current
}

// KeyIDs returns the ids of every key generation, ascending.
func (k *Keyring) KeyIDs() []int {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.idsLocked()
}

func (k *Keyring) idsLocked() []int {
	ids := make([]int, 0, len(k.keys))
	for id := range k.keys {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// String describes the keyring without its key material, so that a keyring
// that ends up in a log line or a %v leaks nothing.
func (k *Keyring) String() string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return fmt.Sprintf("seal.Keyring{current: %d (%s), stable: %d, keys: %v}",
		k.current, k.keys[k.current].suiteID, k.stable, k.idsLocked())
}

// GoString is String, so %#v redacts too.
func (k *Keyring) GoString() string { return k.String() }

// Seal encrypts plain under the current key. aad binds the ciphertext to its
// context (for example "person.id_number:" + the row id), so a ciphertext
// copied into another row or column fails to Open; the token header is
// authenticated too, so its suite or key id cannot be altered.
func (k *Keyring) Seal(plain, aad []byte) (string, error) {
	k.mu.RLock()
	cur := k.keys[k.current]
	k.mu.RUnlock()
	header := tokenVersion + "." + cur.suiteID + "." + strconv.Itoa(cur.id)
	// A random 96-bit nonce per message: safe for far more than the 2^32
	// messages per key that GCM allows, given rotation.
	nonce := randomBytes(cur.aead.NonceSize())
	sealed := cur.aead.Seal(nonce, nonce, plain, additional(header, aad))
	return header + "." + base64.RawURLEncoding.EncodeToString(sealed), nil
}

// Open decrypts a token made by Seal with the same aad, under whichever key
// generation the token names.
func (k *Keyring) Open(token string, aad []byte) ([]byte, error) {
	header, suiteID, id, body, err := parseToken(token)
	if err != nil {
		return nil, err
	}
	k.mu.RLock()
	key := k.keys[id]
	k.mu.RUnlock()
	if key == nil {
		return nil, fmt.Errorf("%w: key %d", ErrUnknownKey, id)
	}
	if key.suiteID != suiteID {
		return nil, fmt.Errorf("%w: key %d is %q, token says %q", ErrMalformed, id, key.suiteID, suiteID)
	}
	sealed, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	ns := key.aead.NonceSize()
	if len(sealed) < ns+key.aead.Overhead() {
		return nil, fmt.Errorf("%w: too short", ErrMalformed)
	}
	plain, err := key.aead.Open(nil, sealed[:ns], sealed[ns:], additional(header, aad))
	if err != nil {
		return nil, ErrAuth
	}
	return plain, nil
}

// TokenKey reports the suite and key id a token was sealed with, without
// decrypting it.
func TokenKey(token string) (suiteID string, keyID int, err error) {
	_, suiteID, keyID, _, err = parseToken(token)
	return suiteID, keyID, err
}

// NeedsReseal reports whether a token was sealed under another key than the
// current one, which is what a re-encryption job after Rotate looks for.
// A malformed token also needs attention, so it reports true.
func (k *Keyring) NeedsReseal(token string) bool {
	_, id, err := TokenKey(token)
	return err != nil || id != k.CurrentKeyID()
}

// parseToken splits "v1.<suite>.<id>.<body>".
func parseToken(token string) (header, suiteID string, id int, body string, err error) {
	parts := strings.SplitN(token, ".", 4)
	if len(parts) != 4 || parts[0] != tokenVersion {
		return "", "", 0, "", ErrMalformed
	}
	id, err = strconv.Atoi(parts[2])
	// Only the canonical spelling of the id is accepted, so one ciphertext
	// has exactly one token text.
	if err != nil || id <= 0 || strconv.Itoa(id) != parts[2] {
		return "", "", 0, "", fmt.Errorf("%w: bad key id", ErrMalformed)
	}
	return parts[0] + "." + parts[1] + "." + parts[2], parts[1], id, parts[3], nil
}

// additional joins the token header and the caller's aad. The header holds no
// NUL byte, so the join is unambiguous.
func additional(header string, aad []byte) []byte {
	out := make([]byte, 0, len(header)+1+len(aad))
	out = append(out, header...)
	out = append(out, 0)
	return append(out, aad...)
}

// BlindIndex returns a keyed hash of value for exact-match lookups of an
// encrypted field, e.g. BlindIndex("id_number", "32072419900101123X").
// kind separates fields, so equal values in two fields give unrelated
// indexes. The caller normalises value first (trim, upper-case the check
// letter, strip "+86"): the index is exact. It uses the stable key, so it
// does not change when the keyring rotates.
func (k *Keyring) BlindIndex(kind, value string) []byte {
	k.mu.RLock()
	st := k.keys[k.stable]
	k.mu.RUnlock()
	m := newMAC(st.suite, st.index)
	frame(m, []byte("blind-index"), []byte(kind), []byte(value))
	return m.Sum(nil)
}

// MAC returns a MAC over data for a purpose, using the stable key of that
// purpose (PurposeAudit and PurposeQR have their own keys; every other
// purpose uses the session key). The purpose and each piece of data are
// length-prefixed, so ("ab","c") and ("a","bc") never collide.
func (k *Keyring) MAC(purpose string, data ...[]byte) []byte {
	m, _ := k.MACWith(k.MACKeyID(), purpose, data...)
	return m
}

// VerifyMAC reports, in constant time, whether mac is MAC(purpose, data...).
func (k *Keyring) VerifyMAC(purpose string, mac []byte, data ...[]byte) bool {
	return hmac.Equal(mac, k.MAC(purpose, data...))
}

// MACKeyID returns the id of the key that MAC and BlindIndex use. The audit
// chain stores it beside each entry so that entries stay verifiable with
// MACWith even if a later migration moves MACs to another key.
func (k *Keyring) MACKeyID() int {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.stable
}

// MACWith is MAC under a named key generation.
func (k *Keyring) MACWith(keyID int, purpose string, data ...[]byte) ([]byte, error) {
	k.mu.RLock()
	key := k.keys[keyID]
	k.mu.RUnlock()
	if key == nil {
		return nil, fmt.Errorf("%w: key %d", ErrUnknownKey, keyID)
	}
	var secret []byte
	switch purpose {
	case PurposeAudit:
		secret = key.audit
	case PurposeQR:
		secret = key.qr
	default:
		secret = key.session
	}
	m := newMAC(key.suite, secret)
	frame(m, append([][]byte{[]byte(purpose)}, data...)...)
	return m.Sum(nil), nil
}

// frame writes each part with an 8-byte big-endian length before it.
func frame(h hash.Hash, parts ...[]byte) {
	var n [8]byte
	for _, p := range parts {
		binary.BigEndian.PutUint64(n[:], uint64(len(p)))
		h.Write(n[:])
		h.Write(p)
	}
}
