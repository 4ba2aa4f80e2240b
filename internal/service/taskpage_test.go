package service

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseTaskPageSize(t *testing.T) {
	for in, want := range map[string]int{"": DefaultTaskPage, "1": 1, "2": 2, "100": 100, "1000": MaxTaskPage} {
		got, err := ParseTaskPageSize("page_size", in)
		if err != nil || got != want {
			t.Errorf("%q: %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "-1", "1001", "5000", "abc", "1.5", " 10", "99999999999999999999"} {
		got, err := ParseTaskPageSize("page_size", in)
		if err == nil {
			t.Errorf("%q accepted as %d", in, got)
			continue
		}
		// The message names the field, the value and the allowed range.
		for _, part := range []string{"page_size", in, "1 to 1000"} {
			if !strings.Contains(err.Error(), part) {
				t.Errorf("%q: %q does not say %q", in, err, part)
			}
		}
	}
}

// A page token opens only with the query it was given out for, and only
// as it was given out.
func TestPageTokensAreBoundToTheirQuery(t *testing.T) {
	q := taskQuery(TaskFilter{Worker: "claire", WorkerLocales: []string{"fr"}})
	store := []byte(`{"StartTime":"2026-12-01T17:00:00Z","RunID":"r1"}`)
	key := []byte("a key of this test, 32 bytes long")
	sealed := sealToken(key, q, store)
	if got, err := openToken(key, q, sealed); err != nil || !bytes.Equal(got, store) {
		t.Fatalf("round trip: %q, %v", got, err)
	}
	if got, err := openToken(key, q, nil); err != nil || got != nil {
		t.Errorf("no token (the first page): %q, %v", got, err)
	}
	if sealToken(key, q, nil) != nil {
		t.Error("the last page got a next token")
	}
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-2] ^= 1
	other := taskQuery(TaskFilter{Worker: "bernard", WorkerLocales: []string{"fr"}})
	// Whoever knows how tokens are made but not the key cannot make one.
	forged := sealToken([]byte("a guessed key, not the server's"), q, store)
	for name, c := range map[string]struct {
		query string
		token []byte
	}{
		"made up":        {q, []byte("not a token")},
		"too short":      {q, sealed[:tokenCheckLen]},
		"changed":        {q, tampered},
		"another filter": {other, sealed},
		"forged":         {q, forged},
	} {
		if _, err := openToken(key, c.query, c.token); !errors.Is(err, ErrBadPageToken) {
			t.Errorf("%s: %v, want ErrBadPageToken", name, err)
		}
	}
}
