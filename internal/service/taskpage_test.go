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
	sealed := sealToken(q, store)
	if got, err := openToken(q, sealed); err != nil || !bytes.Equal(got, store) {
		t.Fatalf("round trip: %q, %v", got, err)
	}
	if got, err := openToken(q, nil); err != nil || got != nil {
		t.Errorf("no token (the first page): %q, %v", got, err)
	}
	if sealToken(q, nil) != nil {
		t.Error("the last page got a next token")
	}
	tampered := bytes.Clone(sealed)
	tampered[len(tampered)-2] ^= 1
	other := taskQuery(TaskFilter{Worker: "bernard", WorkerLocales: []string{"fr"}})
	for name, c := range map[string]struct {
		query string
		token []byte
	}{
		"made up":        {q, []byte("not a token")},
		"too short":      {q, sealed[:tokenCheckLen]},
		"changed":        {q, tampered},
		"another filter": {other, sealed},
	} {
		if _, err := openToken(c.query, c.token); !errors.Is(err, ErrBadPageToken) {
			t.Errorf("%s: %v, want ErrBadPageToken", name, err)
		}
	}
}
