package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/pressroom/pressroom/internal/s3test"
	"github.com/pressroom/pressroom/internal/store"
)

// These run against a real versitygw: the rules below are S3's
// conditional writes, which a fake would only restate.
func TestMain(m *testing.M) { s3test.Main(m) }

// An immutable object accepts its own bytes again (a retried write) and
// refuses any other, keeping the first.
func TestPutImmutable(t *testing.T) {
	st, ctx := s3test.Store(t), context.Background()
	key := "releases/r/v1/manifest.json"
	obj, err := st.PutImmutable(ctx, key, []byte("one"), store.Meta{ContentType: "application/json"})
	if err != nil {
		t.Fatal(err)
	}
	if obj.Key != key || obj.SHA256 != store.SHA256([]byte("one")) || obj.Size != 3 || obj.Type != "application/json" {
		t.Fatalf("object %+v", obj)
	}
	if _, err := st.PutImmutable(ctx, key, []byte("one"), store.Meta{ContentType: "application/json"}); err != nil {
		t.Fatalf("rewriting the same bytes: %v", err)
	}
	_, err = st.PutImmutable(ctx, key, []byte("two"), store.Meta{})
	var conflict *store.ImmutableConflictError
	if !errors.As(err, &conflict) || conflict.Key != key || conflict.Existing != obj.SHA256 || conflict.Attempted != store.SHA256([]byte("two")) {
		t.Fatalf("other bytes: %v", err)
	}
	if b, err := st.Get(ctx, key); err != nil || string(b) != "one" {
		t.Fatalf("after a refused rewrite: %q %v", b, err)
	}
}

// PutIfMatch is optimistic concurrency: "" creates only, an ETag
// replaces only that version; a lost race is ErrChanged.
func TestPutIfMatch(t *testing.T) {
	st, ctx := s3test.Store(t), context.Background()
	key := "site/fr/list.json"
	etag, err := st.PutIfMatch(ctx, key, []byte("v1"), store.Meta{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutIfMatch(ctx, key, []byte("again"), store.Meta{}, ""); !errors.Is(err, store.ErrChanged) {
		t.Fatalf("create over an existing object: %v", err)
	}
	b, read, err := st.GetWithETag(ctx, key)
	if err != nil || string(b) != "v1" || read != etag {
		t.Fatalf("read %q etag %s (%v), want v1 with %s", b, read, err, etag)
	}
	next, err := st.PutIfMatch(ctx, key, []byte("v2"), store.Meta{}, read)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PutIfMatch(ctx, key, []byte("stale"), store.Meta{}, read); !errors.Is(err, store.ErrChanged) {
		t.Fatalf("write on a stale ETag: %v", err)
	}
	if b, tag, _ := st.GetWithETag(ctx, key); string(b) != "v2" || tag != next {
		t.Fatalf("after a refused stale write: %q %s", b, tag)
	}
	if _, err := st.PutIfMatch(ctx, "site/fr/absent.json", []byte("x"), store.Meta{}, next); !errors.Is(err, store.ErrChanged) {
		t.Fatalf("If-Match on a missing object: %v", err)
	}
}

// Reads: not found is ErrNotFound; a claim check whose hash does not
// match is refused; metadata comes back as written; listings are in key
// order, and prefixes list one level.
func TestReadsAndLists(t *testing.T) {
	st, ctx := s3test.Store(t), context.Background()
	if _, err := st.Get(ctx, "absent"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing object: %v", err)
	}
	if _, _, err := st.GetWithETag(ctx, "absent"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing object with ETag: %v", err)
	}
	meta := store.Meta{ContentType: "text/html; charset=utf-8", ContentLanguage: "ar", CacheControl: "max-age=60"}
	for _, k := range []string{"releases/b/v1/x", "releases/a/v2/y", "releases/a/v1/z", "site/fr/a"} {
		if _, err := st.Put(ctx, k, []byte(k), meta); err != nil {
			t.Fatal(err)
		}
	}
	b, got, err := st.GetWithMeta(ctx, "site/fr/a")
	if err != nil || string(b) != "site/fr/a" || got != meta {
		t.Fatalf("read %q %+v %v, want meta %+v", b, got, err, meta)
	}
	if _, err := st.GetVerified(ctx, "site/fr/a", store.SHA256([]byte("other"))); err == nil {
		t.Fatal("GetVerified accepted an object with another hash")
	}
	if b, err := st.GetVerified(ctx, "site/fr/a", store.SHA256([]byte("site/fr/a"))); err != nil || string(b) != "site/fr/a" {
		t.Fatalf("GetVerified: %q %v", b, err)
	}
	keys, err := st.ListKeys(ctx, "releases/")
	if err != nil || fmt.Sprint(keys) != "[releases/a/v1/z releases/a/v2/y releases/b/v1/x]" {
		t.Fatalf("ListKeys: %v %v", keys, err)
	}
	prefixes, err := st.ListPrefixes(ctx, "releases/a/")
	if err != nil || fmt.Sprint(prefixes) != "[v1 v2]" {
		t.Fatalf("ListPrefixes: %v %v", prefixes, err)
	}
	var v map[string]any
	if err := st.GetJSON(ctx, "site/fr/a", &v); err == nil {
		t.Fatal("GetJSON decoded text that is not JSON")
	}
}
