// Package preview makes and checks preview links: signed, expiring URLs
// on the reader site that show a running report's current drafts as the
// real page would, to someone without an account.
//
// A link is /preview/<token>/<locale>/<slug>/. The token is
// base64url(claims) "." base64url(HMAC-SHA256(key, claims)): it names the
// report, its locales, the source and draft revisions (by sha256, which
// are content-addressed objects in the bucket) and the expiry, so serving
// it needs no Temporal query and no state but the revocation objects —
// and the page shown is exactly the drafts the link was made from.
// Signed tokens rather than S3 presigned URLs: a presigned URL would
// expose the bucket's host to readers and could only point at a page
// rendered ahead of time, while the reader site renders the drafts on
// request, behind its own security headers, and can refuse a revoked
// link (a presigned URL cannot be revoked before it expires).
package preview

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/pressroom/pressroom/internal/store"
)

// Limits of a link.
const (
	MinTTL = time.Second
	MaxTTL = 30 * 24 * time.Hour
	// MaxToken bounds a token's length: about 100 bytes per locale, so a
	// report with the most targets intake allows (50) stays below it, and
	// the URL below the HTTP server's 64 KiB header limit.
	MaxToken = 8000
	// MinSecret is the shortest PRESSROOM_PREVIEW_SECRET accepted.
	MinSecret = 32
)

// SecretEnv names the signing key's variable. Without it the key is
// generated once and kept in the bucket (store.PreviewSecretKey).
const SecretEnv = "PRESSROOM_PREVIEW_SECRET"

// Claims are what a token says.
type Claims struct {
	ID      string            `json:"i"`
	Slug    string            `json:"s"`
	Locales []string          `json:"l"`   // the locales shown, source first when it is shown
	Source  string            `json:"src"` // sha256 of the source revision
	Drafts  map[string]string `json:"d"`   // target locale → sha256 of its draft
	Issued  int64             `json:"iat"` // unix nanoseconds
	Expires int64             `json:"exp"` // unix seconds
	By      string            `json:"by"`
}

// ExpiresAt is the moment the link stops working.
func (c Claims) ExpiresAt() time.Time { return time.Unix(c.Expires, 0).UTC() }

// Path is the link's path on the reader site for one locale.
func Path(token, locale, slug string) string {
	return "/preview/" + token + "/" + locale + "/" + slug + "/"
}

// Errors of Verify, Check.
var (
	ErrInvalid = errors.New("this preview link is not valid (damaged, or not made by this site)")
	ErrExpired = errors.New("this preview link has expired")
	ErrRevoked = errors.New("this preview link has been revoked")
)

// IDPattern is a token ID: 16 lowercase hex digits.
var IDPattern = regexp.MustCompile(`^[0-9a-f]{16}$`)

// NewID is a fresh random token ID.
func NewID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Sign makes the token for c.
func Sign(key []byte, c Claims) (string, error) {
	body, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	payload := base64.RawURLEncoding.EncodeToString(body)
	tok := payload + "." + base64.RawURLEncoding.EncodeToString(mac(key, payload))
	if len(tok) > MaxToken {
		return "", fmt.Errorf("preview: the token would be %d bytes; at most %d (fewer locales)", len(tok), MaxToken)
	}
	return tok, nil
}

// Verify checks a token's signature and expiry and returns its claims.
func Verify(key []byte, token string, now time.Time) (Claims, error) {
	var c Claims
	payload, sig, ok := strings.Cut(token, ".")
	if !ok || len(token) > MaxToken {
		return c, ErrInvalid
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, mac(key, payload)) {
		return c, ErrInvalid
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil || json.Unmarshal(body, &c) != nil || c.Slug == "" || len(c.Locales) == 0 {
		return c, ErrInvalid
	}
	if !now.Before(c.ExpiresAt()) {
		return c, ErrExpired
	}
	return c, nil
}

func mac(key []byte, payload string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte("pressroom-preview-v1\n"))
	h.Write([]byte(payload))
	return h.Sum(nil)
}

// Revocation is a revocation object.
type Revocation struct {
	ID     string    `json:"id,omitempty"`
	Slug   string    `json:"slug,omitempty"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Before int64     `json:"before,omitempty"` // slug: links issued before this (unix ns) are revoked
}

// Objects is what revocation and the generated key need from the store.
type Objects interface {
	Get(ctx context.Context, key string) ([]byte, error)
	Put(ctx context.Context, key string, body []byte, meta store.Meta) (store.Object, error)
	PutIfMatch(ctx context.Context, key string, body []byte, meta store.Meta, etag string) (string, error)
}

var jsonMeta = store.Meta{ContentType: "application/json", CacheControl: "no-store"}

// RevokeSlug stops every preview link of slug made until now.
func RevokeSlug(ctx context.Context, st Objects, slug, by string, now time.Time) (Revocation, error) {
	r := Revocation{Slug: slug, By: by, At: now.UTC(), Before: now.UnixNano()}
	b, _ := json.Marshal(r)
	_, err := st.Put(ctx, store.PreviewRevokedSlugKey(slug), b, jsonMeta)
	return r, err
}

// RevokeID stops one link, by its ID.
func RevokeID(ctx context.Context, st Objects, id, by string, now time.Time) (Revocation, error) {
	if !IDPattern.MatchString(id) {
		return Revocation{}, fmt.Errorf("preview: %q is not a link ID (16 lowercase hex digits)", id)
	}
	r := Revocation{ID: id, By: by, At: now.UTC()}
	b, _ := json.Marshal(r)
	_, err := st.Put(ctx, store.PreviewRevokedKey(id), b, jsonMeta)
	return r, err
}

// Check says whether c has been revoked: two small reads per request.
func Check(ctx context.Context, st Objects, c Claims) error {
	if !IDPattern.MatchString(c.ID) {
		return ErrInvalid
	}
	if _, err := st.Get(ctx, store.PreviewRevokedKey(c.ID)); err == nil {
		return ErrRevoked
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	b, err := st.Get(ctx, store.PreviewRevokedSlugKey(c.Slug))
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	var r Revocation
	if err := json.Unmarshal(b, &r); err != nil {
		return fmt.Errorf("preview: %s: %w", store.PreviewRevokedSlugKey(c.Slug), err)
	}
	if c.Issued <= r.Before {
		return ErrRevoked
	}
	return nil
}

// Keys finds the signing key: PRESSROOM_PREVIEW_SECRET when set (every
// process that makes or serves links must then have the same one), else a
// random key generated once and kept in the bucket, readable by whoever
// can read the bucket — who could rewrite the site anyway.
type Keys struct {
	Store Objects
	// Secret is the configured key (config's PreviewSecret,
	// PRESSROOM_PREVIEW_SECRET); "" uses the bucket's.
	Secret string

	mu  sync.Mutex
	key []byte
}

// Key returns the signing key, reading or creating it the first time.
func (k *Keys) Key(ctx context.Context) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.key != nil {
		return k.key, nil
	}
	if s := k.Secret; s != "" {
		if len(s) < MinSecret {
			return nil, fmt.Errorf("%s is %d bytes; a preview signing key needs at least %d", SecretEnv, len(s), MinSecret)
		}
		k.key = []byte(s)
		return k.key, nil
	}
	b, err := k.Store.Get(ctx, store.PreviewSecretKey)
	if errors.Is(err, store.ErrNotFound) {
		fresh := make([]byte, 32)
		_, _ = rand.Read(fresh)
		enc := []byte(hex.EncodeToString(fresh))
		if _, err := k.Store.PutIfMatch(ctx, store.PreviewSecretKey, enc, store.Meta{ContentType: "text/plain", CacheControl: "no-store"}, ""); err != nil && !errors.Is(err, store.ErrChanged) {
			return nil, err
		}
		// Whoever created it first, that key stands.
		b, err = k.Store.Get(ctx, store.PreviewSecretKey)
	}
	if err != nil {
		return nil, err
	}
	if len(b) < MinSecret {
		return nil, fmt.Errorf("preview: %s is %d bytes; at least %d", store.PreviewSecretKey, len(b), MinSecret)
	}
	k.key = b
	return k.key, nil
}
