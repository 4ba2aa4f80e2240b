// Package auth is who may use Pressroom's HTTP API: users with a role
// (editor, translator with locales, admin) and bearer tokens.
//
// Users live in a JSON file: $PRESSROOM_USERS, else .pressroom/users.json
// (see Path). It holds only SHA-256 hashes of tokens, so reading it does
// not let anyone in; a token is shown once, when Add or Rotate makes it:
//
//	{
//	  "users": [
//	    {"name": "claire", "role": "translator", "locales": ["fr"], "token_hash": "sha256:9f86d0…"}
//	  ]
//	}
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/language"
)

// Role is what a user may do.
type Role string

const (
	// RoleEditor submits, approves and cancels reports and sees every task.
	RoleEditor Role = "editor"
	// RoleTranslator reviews tasks of their locales.
	RoleTranslator Role = "translator"
	// RoleAdmin may do everything editors and translators may.
	RoleAdmin Role = "admin"
)

// User is one API user. TokenHash is "sha256:<64 hex digits>" in the file;
// users returned by Users' methods have it blank, so a User can be put in
// an API response or a log line as it is.
type User struct {
	Name      string   `json:"name"`
	Role      Role     `json:"role"`
	Locales   []string `json:"locales,omitempty"` // translators: canonical BCP 47 tags
	TokenHash string   `json:"token_hash"`
	// PasswordHash is the Argon2id hash of the workbench password, if the
	// user has one (see SetPassword); blank outside the file.
	PasswordHash string `json:"password_hash,omitempty"`
}

// CanTranslate reports whether u may work on tasks of locale: a translator
// with that locale (exactly: "fr" does not cover "fr-CA"), or an admin.
func (u User) CanTranslate(locale string) bool {
	switch u.Role {
	case RoleAdmin:
		return true
	case RoleTranslator:
		c, err := canonicalLocale(locale)
		return err == nil && slices.Contains(u.Locales, c)
	}
	return false
}

// IsEditor reports whether u may submit, approve and cancel reports.
func (u User) IsEditor() bool { return u.Role == RoleEditor || u.Role == RoleAdmin }

// EnvPath names the users file; without it, the file is users.json in
// the state directory (see the CLI's usersPath).
const EnvPath = "PRESSROOM_USERS"

// TokenPrefix starts every token: people and secret scanners can tell a
// Pressroom token when one is pasted somewhere it should not be.
const TokenPrefix = "prt_"

// maxTokenLen bounds what Authenticate hashes; real tokens are 47 bytes.
const maxTokenLen = 256

// Errors of FromRequest; both mean 401 Unauthorized. They never contain
// the token.
var (
	ErrNoToken  = errors.New("authentication required: send the header \"Authorization: Bearer <token>\"")
	ErrBadToken = errors.New("invalid token: it is unknown or was replaced; ask an admin for a new one")
)

// ErrUnknownUser is returned by Rotate, Remove and SetPassword for a name not in the set.
var ErrUnknownUser = errors.New("no such user")

var nameRE = regexp.MustCompile(`^[a-z0-9._-]{1,64}$`)

// Users is the set of users, safe for concurrent use: the API server
// authenticates every request while an admin may add or rotate.
type Users struct {
	mu     sync.RWMutex
	byName map[string]*entry
	byHash map[[sha256.Size]byte]*entry // O(1) Authenticate

	watch *watch // set by Open: reload when the file changes
}

type entry struct {
	user     User // TokenHash and PasswordHash blank; the hashes are below
	hash     [sha256.Size]byte
	password string // PHC string, "" for none
	phc      *phc   // parsed password
}

// Add creates a user and returns their new token, the only time it is
// seen. It refuses a name already taken or not [a-z0-9._-]{1,64}, an
// unknown role, a translator without locales, locales for other roles and
// locales that are not valid BCP 47 tags.
func (u *Users) Add(name string, role Role, locales []string) (string, error) {
	usr, err := newUser(name, role, locales)
	if err != nil {
		return "", err
	}
	token, hash, err := newToken()
	if err != nil {
		return "", err
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if _, dup := u.byName[name]; dup {
		return "", fmt.Errorf("user %q already exists; use rotate for a new token", name)
	}
	u.put(&entry{user: usr, hash: hash})
	return token, nil
}

// Rotate gives a user a new token; the old one stops working at once.
func (u *Users) Rotate(name string) (string, error) {
	token, hash, err := newToken()
	if err != nil {
		return "", err
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	e, ok := u.byName[name]
	if !ok {
		return "", fmt.Errorf("%w %q", ErrUnknownUser, name)
	}
	delete(u.byHash, e.hash)
	e.hash = hash
	u.byHash[hash] = e
	return token, nil
}

// Remove deletes a user; their token stops working.
func (u *Users) Remove(name string) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	e, ok := u.byName[name]
	if !ok {
		return fmt.Errorf("%w %q", ErrUnknownUser, name)
	}
	delete(u.byHash, e.hash)
	delete(u.byName, name)
	return nil
}

// Get returns a user by name.
func (u *Users) Get(name string) (User, bool) {
	u.refresh()
	u.mu.RLock()
	defer u.mu.RUnlock()
	e, ok := u.byName[name]
	if !ok {
		return User{}, false
	}
	return e.user.clone(), true
}

// List returns every user, by name.
func (u *Users) List() []User {
	u.refresh()
	u.mu.RLock()
	defer u.mu.RUnlock()
	out := make([]User, 0, len(u.byName))
	for _, e := range u.byName {
		out = append(out, e.user.clone())
	}
	sortUsers(out)
	return out
}

func sortUsers(us []User) {
	sort.Slice(us, func(i, j int) bool { return us[i].Name < us[j].Name })
}

// constantTimeCompare is subtle.ConstantTimeCompare; a variable so the
// tests can see that every Authenticate goes through it.
var constantTimeCompare = subtle.ConstantTimeCompare

// noHash is compared against when no user has the presented hash, so a
// miss does the same work as a hit.
var noHash [sha256.Size]byte

// Authenticate returns the user a token belongs to.
//
// Tokens are stored as plain SHA-256, not bcrypt or argon2: those are slow
// on purpose to make guessing low-entropy passwords expensive, but a token
// is 256 random bits, which no amount of guessing finds, so slowness would
// only cost every request. An unsalted hash is also what makes the O(1)
// lookup by hash possible.
//
// The map lookup is not constant-time, but what it could leak is about the
// hash of the caller's own guess, which (SHA-256 being preimage-resistant)
// says nothing usable about any stored token. The match is still confirmed
// with a constant-time comparison, against a dummy on a miss, so hits and
// misses do the same work and no byte-by-byte early exit exists anywhere
// (only the length, which is public, is checked before hashing).
func (u *Users) Authenticate(token string) (User, bool) {
	if token == "" || len(token) > maxTokenLen {
		return User{}, false
	}
	sum := sha256.Sum256([]byte(token))
	u.refresh()
	u.mu.RLock()
	defer u.mu.RUnlock()
	e, found := u.byHash[sum]
	stored := noHash
	if found {
		stored = e.hash
	}
	if constantTimeCompare(stored[:], sum[:]) != 1 || !found {
		return User{}, false
	}
	return e.user.clone(), true
}

// FromRequest authenticates "Authorization: Bearer <token>". ErrNoToken
// means no bearer token was sent (no header, another scheme, an empty
// token); ErrBadToken means the token is not valid. Both call for 401 with
// a WWW-Authenticate header (see Challenge). The token is never logged and
// never part of an error.
func FromRequest(r *http.Request, users *Users) (User, error) {
	vals := r.Header.Values("Authorization")
	if len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
		return User{}, ErrNoToken
	}
	if len(vals) > 1 {
		return User{}, fmt.Errorf("%w (more than one Authorization header)", ErrBadToken)
	}
	scheme, token, _ := strings.Cut(strings.TrimSpace(vals[0]), " ")
	if !strings.EqualFold(scheme, "Bearer") { // schemes are case-insensitive (RFC 9110 §11.1)
		return User{}, fmt.Errorf("%w (the Authorization header is not a Bearer token)", ErrNoToken)
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return User{}, fmt.Errorf("%w (the bearer token is empty)", ErrNoToken)
	}
	if users == nil {
		return User{}, ErrBadToken
	}
	usr, ok := users.Authenticate(token)
	if !ok {
		return User{}, ErrBadToken
	}
	return usr, nil
}

// Challenge is the WWW-Authenticate value for a 401 answering err, as RFC
// 6750 §3 has it: a bad token says error="invalid_token", a missing one
// says nothing more.
func Challenge(err error) string {
	if errors.Is(err, ErrBadToken) {
		return `Bearer realm="pressroom", error="invalid_token"`
	}
	return `Bearer realm="pressroom"`
}

// newToken returns a new token and its hash: 32 bytes from crypto/rand,
// base64url without padding, after TokenPrefix.
func newToken() (string, [sha256.Size]byte, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", [sha256.Size]byte{}, fmt.Errorf("auth: making a token: %w", err)
	}
	token := TokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return token, sha256.Sum256([]byte(token)), nil
}

// newUser checks and normalizes a user's name, role and locales.
func newUser(name string, role Role, locales []string) (User, error) {
	if !nameRE.MatchString(name) {
		return User{}, fmt.Errorf("user name %q: use 1 to 64 of a-z, 0-9, '.', '_' and '-'", name)
	}
	switch role {
	case RoleEditor, RoleAdmin:
		if len(locales) > 0 {
			return User{}, fmt.Errorf("user %q: locales apply only to translators (an %s works on every locale or none)", name, role)
		}
		return User{Name: name, Role: role}, nil
	case RoleTranslator:
	default:
		return User{}, fmt.Errorf("user %q: role %q: want editor, translator or admin", name, role)
	}
	if len(locales) == 0 {
		return User{}, fmt.Errorf("user %q: a translator needs at least one locale (--locales fr,es)", name)
	}
	var canon []string
	for _, l := range locales {
		c, err := canonicalLocale(l)
		if err != nil {
			return User{}, fmt.Errorf("user %q: %v", name, err)
		}
		if !slices.Contains(canon, c) {
			canon = append(canon, c)
		}
	}
	return User{Name: name, Role: role, Locales: canon}, nil
}

// canonicalLocale returns a tag's canonical form the way the rest of
// Pressroom writes locales ("zh-hans" → "zh-Hans"), so CanTranslate
// compares like with like. It refuses invalid tags and "und".
func canonicalLocale(tag string) (string, error) {
	t, err := language.Parse(strings.TrimSpace(tag))
	if err != nil || strings.TrimSpace(tag) == "" {
		return "", fmt.Errorf("locale %q is not a valid BCP 47 tag (such as fr, ar or zh-Hans)", tag)
	}
	if b, _, _ := t.Raw(); b.String() == "und" {
		return "", fmt.Errorf("locale %q names no language", tag)
	}
	// Canonicalization maps legacy forms (iw → he); repeat until stable.
	s := t.String()
	for range 4 {
		t2, err := language.Parse(s)
		if err != nil || t2.String() == s {
			break
		}
		s = t2.String()
	}
	return s, nil
}

// put adds e to both indexes; the caller holds the lock.
func (u *Users) put(e *entry) {
	if u.byName == nil {
		u.byName = map[string]*entry{}
		u.byHash = map[[sha256.Size]byte]*entry{}
	}
	u.byName[e.user.Name] = e
	u.byHash[e.hash] = e
}

func (usr User) clone() User {
	usr.Locales = slices.Clone(usr.Locales)
	usr.TokenHash = ""
	usr.PasswordHash = ""
	return usr
}

const hashPrefix = "sha256:"

func formatHash(h [sha256.Size]byte) string { return hashPrefix + hex.EncodeToString(h[:]) }

func parseHash(s string) ([sha256.Size]byte, bool) {
	var h [sha256.Size]byte
	hexPart, ok := strings.CutPrefix(s, hashPrefix)
	if !ok || len(hexPart) != 2*sha256.Size {
		return h, false
	}
	if _, err := hex.Decode(h[:], []byte(hexPart)); err != nil {
		return h, false
	}
	return h, true
}
