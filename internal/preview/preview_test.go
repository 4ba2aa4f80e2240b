package preview

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/store"
)

var key = []byte("0123456789abcdef0123456789abcdef")

func claims(now time.Time) Claims {
	return Claims{ID: NewID(), Slug: "report", Locales: []string{"en", "fr"}, Source: "aa", Drafts: map[string]string{"fr": "bb"},
		Issued: now.UnixNano(), Expires: now.Add(time.Hour).Unix(), By: "edith"}
}

func TestSignVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	c := claims(now)
	tok, err := Sign(key, c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Verify(key, tok, now)
	if err != nil || got.Slug != "report" || got.Drafts["fr"] != "bb" || got.ID != c.ID {
		t.Fatalf("verify: %+v %v", got, err)
	}
	if _, err := Verify(key, tok, now.Add(time.Hour)); !errors.Is(err, ErrExpired) {
		t.Errorf("at expiry: %v, want expired", err)
	}
	if _, err := Verify([]byte("another key, just as long as the first"), tok, now); !errors.Is(err, ErrInvalid) {
		t.Errorf("other key: %v", err)
	}
	// A claim changed without the key (another draft, a later expiry).
	payload, sig, _ := strings.Cut(tok, ".")
	other, _ := Sign([]byte("another key, just as long as the first"), Claims{ID: c.ID, Slug: "report", Locales: c.Locales, Expires: now.Add(48 * time.Hour).Unix()})
	otherPayload, _, _ := strings.Cut(other, ".")
	for name, bad := range map[string]string{"swapped payload": otherPayload + "." + sig, "no signature": payload, "empty": "", "garbage": "a.b"} {
		if _, err := Verify(key, bad, now); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
}

type mem struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (s *mem) Get(_ context.Context, k string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.m[k]
	if !ok {
		return nil, fmt.Errorf("%s: %w", k, store.ErrNotFound)
	}
	return b, nil
}

func (s *mem) Put(_ context.Context, k string, b []byte, _ store.Meta) (store.Object, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[k] = b
	return store.Object{Key: k}, nil
}

func (s *mem) PutIfMatch(_ context.Context, k string, b []byte, _ store.Meta, etag string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[k]; ok && etag == "" {
		return "", store.ErrChanged
	}
	s.m[k] = b
	return "x", nil
}

func TestRevokeByIDAndBySlug(t *testing.T) {
	ctx := context.Background()
	st := &mem{m: map[string][]byte{}}
	now := time.Unix(1_800_000_000, 0)
	a, b := claims(now), claims(now)
	if err := Check(ctx, st, a); err != nil {
		t.Fatal(err)
	}
	if _, err := RevokeID(ctx, st, a.ID, "edith", now); err != nil {
		t.Fatal(err)
	}
	if err := Check(ctx, st, a); !errors.Is(err, ErrRevoked) {
		t.Errorf("revoked by ID: %v", err)
	}
	if err := Check(ctx, st, b); err != nil {
		t.Errorf("another link of the report: %v", err)
	}
	if _, err := RevokeSlug(ctx, st, "report", "edith", now.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := Check(ctx, st, b); !errors.Is(err, ErrRevoked) {
		t.Errorf("revoked by slug: %v", err)
	}
	later := claims(now.Add(time.Minute))
	if err := Check(ctx, st, later); err != nil {
		t.Errorf("a link made after the slug's revocation: %v", err)
	}
}

// A slug that looks like a link ID is revoked as a slug.
func TestRevokeSlugThatLooksLikeAnID(t *testing.T) {
	ctx := context.Background()
	st := &mem{m: map[string][]byte{}}
	now := time.Unix(1_800_000_000, 0)
	c := claims(now)
	c.Slug = "0123456789abcdef"
	if _, err := RevokeSlug(ctx, st, c.Slug, "edith", now.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := Check(ctx, st, c); !errors.Is(err, ErrRevoked) {
		t.Errorf("a link of the hex-looking slug after its revocation: %v", err)
	}
	if _, err := RevokeID(ctx, st, "not-an-id", "edith", now); err == nil {
		t.Error("RevokeID took something that is not a link ID")
	}
}

func TestKeys(t *testing.T) {
	ctx := context.Background()
	st := &mem{m: map[string][]byte{}}
	k1 := &Keys{Store: st}
	k2 := &Keys{Store: st}
	a, err := k1.Key(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := k2.Key(ctx)
	if err != nil || string(a) != string(b) || len(a) < MinSecret {
		t.Errorf("generated keys differ or are short: %q %q %v", a, b, err)
	}
	short := &Keys{Store: st, Secret: "short"}
	if _, err := short.Key(ctx); err == nil || !strings.Contains(err.Error(), SecretEnv) {
		t.Errorf("short env key: %v", err)
	}
	env := &Keys{Store: st, Secret: string(key)}
	if got, _ := env.Key(ctx); string(got) != string(key) {
		t.Errorf("env key not used")
	}
}

// A link to every locale of a report with the most targets intake
// allows still fits the token limit.
func TestTokenOfFiftyLocalesFits(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	c := claims(now)
	c.Locales, c.Drafts = []string{"en"}, map[string]string{}
	sha := strings.Repeat("ab", 32)
	for i := range 50 {
		l := fmt.Sprintf("x%02d-Latn", i)
		c.Locales = append(c.Locales, l)
		c.Drafts[l] = sha
	}
	c.Source = sha
	tok, err := Sign(key, c)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Verify(key, tok, now); err != nil || len(got.Drafts) != 50 {
		t.Errorf("verify: %d drafts, %v", len(got.Drafts), err)
	}
}
