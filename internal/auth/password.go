package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Passwords are for people signing in to the workbench; scripts keep
// bearer tokens. A password is stored only as an Argon2id hash in the PHC
// string format ("$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>"), so the
// parameters travel with the hash and can be raised later without
// breaking old ones.
//
// The parameters are OWASP's minimum for Argon2id (19 MiB, two passes,
// one lane): a sign-in costs about 30 ms on a small machine, which is
// invisible to a person and, with the rate limit, expensive to guess at.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Password length limits: short passwords are guessable; very long ones
// only make hashing a denial-of-service lever.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 1024
)

// ErrBadPassword is returned by CheckPassword for every failure: unknown
// user, no password set, wrong password. The caller cannot tell which,
// and neither can whoever is guessing.
var ErrBadPassword = errors.New("unknown user name or wrong password")

// checkPasswordPolicy says what is wrong with a new password.
func checkPasswordPolicy(pw string) error {
	switch n := utf8.RuneCountInString(pw); {
	case !utf8.ValidString(pw):
		return errors.New("the password is not valid UTF-8")
	case n < MinPasswordLen:
		return fmt.Errorf("the password has %d characters; use at least %d", n, MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return fmt.Errorf("the password is over %d bytes", MaxPasswordLen)
	}
	return nil
}

// hashPassword returns the PHC string of pw with a fresh salt.
func hashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding.EncodeToString
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64(salt), b64(key)), nil
}

// phc is a parsed Argon2id hash.
type phc struct {
	memory  uint32
	time    uint32
	threads uint8
	salt    []byte
	key     []byte
}

// parsePHC reads a hash written by hashPassword, refusing parameters a
// hand-edited file could use to make every sign-in exhaust memory.
func parsePHC(s string) (phc, error) {
	var p phc
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, errors.New(`password_hash must be an Argon2id PHC string ("$argon2id$v=19$m=…,t=…,p=…$salt$hash")`)
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, fmt.Errorf("password_hash: version %q, want v=%d", parts[2], argon2.Version)
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return p, fmt.Errorf("password_hash: parameters %q: want m=…,t=…,p=…", parts[3])
	}
	if p.memory < 8*1024 || p.memory > 1024*1024 || p.time < 1 || p.time > 16 || p.threads < 1 {
		return p, fmt.Errorf("password_hash: parameters %q out of range (m 8 MiB to 1 GiB, t 1 to 16)", parts[3])
	}
	var err error
	if p.salt, err = base64.RawStdEncoding.DecodeString(parts[4]); err != nil || len(p.salt) < 8 {
		return p, errors.New("password_hash: the salt is not base64 of at least 8 bytes")
	}
	if p.key, err = base64.RawStdEncoding.DecodeString(parts[5]); err != nil || len(p.key) < 16 || len(p.key) > 64 {
		return p, errors.New("password_hash: the hash is not base64 of 16 to 64 bytes")
	}
	return p, nil
}

// verify compares pw with the hash in constant time.
func (p phc) verify(pw string) bool {
	key := argon2.IDKey([]byte(pw), p.salt, p.time, p.memory, p.threads, uint32(len(p.key)))
	return subtle.ConstantTimeCompare(key, p.key) == 1
}

// dummyHash is verified against when a user is unknown or has no
// password, so such a sign-in costs the same time as a wrong password.
var dummyHash = func() phc {
	s, err := hashPassword("pressroom-dummy-password")
	if err != nil {
		panic(err)
	}
	p, err := parsePHC(s)
	if err != nil {
		panic(err)
	}
	return p
}()

// SetPassword sets (or replaces) a user's password.
func (u *Users) SetPassword(name, password string) error {
	if err := checkPasswordPolicy(password); err != nil {
		return fmt.Errorf("user %q: %w", name, err)
	}
	h, err := hashPassword(password)
	if err != nil {
		return err
	}
	p, _ := parsePHC(h)
	u.mu.Lock()
	defer u.mu.Unlock()
	e, ok := u.byName[name]
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownUser, name)
	}
	e.password, e.phc = h, &p
	return nil
}

// CheckPassword returns the user whose name and password these are, or
// ErrBadPassword. The hash is computed whether or not the user exists.
func (u *Users) CheckPassword(name, password string) (User, error) {
	if len(password) > MaxPasswordLen || len(name) > 64 {
		return User{}, ErrBadPassword
	}
	u.refresh()
	u.mu.RLock()
	e, ok := u.byName[name]
	var p *phc
	var usr User
	if ok && e.phc != nil {
		p, usr = e.phc, e.user.clone()
	}
	u.mu.RUnlock()
	if p == nil {
		dummyHash.verify(password)
		return User{}, ErrBadPassword
	}
	if !p.verify(password) {
		return User{}, ErrBadPassword
	}
	return usr, nil
}

// NewPassword returns a random password of 20 characters for a demo user.
func NewPassword() (string, error) {
	var b [15]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("auth: making a password: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// PasswordStamp is a fingerprint of a user's current password hash ("" if
// the user has none or does not exist): a session remembers it at sign-in
// and ends when it changes, so `pressroom users passwd` signs the user out
// everywhere. It reveals nothing about the password.
func (u *Users) PasswordStamp(name string) string {
	u.refresh()
	u.mu.RLock()
	defer u.mu.RUnlock()
	e, ok := u.byName[name]
	if !ok || e.password == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(e.password))
	return base64.RawURLEncoding.EncodeToString(sum[:12])
}
