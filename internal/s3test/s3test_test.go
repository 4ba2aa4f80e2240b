package s3test

import (
	"context"
	"errors"
	"testing"

	"github.com/pressroom/pressroom/internal/store"
)

func TestMain(m *testing.M) { Main(m) }

// Each test gets its own empty bucket on the one server.
func TestStoreIsFreshPerTest(t *testing.T) {
	ctx := context.Background()
	a, b := Store(t), Store(t)
	if a.Bucket() == b.Bucket() {
		t.Fatalf("two stores share bucket %s", a.Bucket())
	}
	if _, err := a.Put(ctx, "k", []byte("v"), store.Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(ctx, "k"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("object written in %s is visible in %s: %v", a.Bucket(), b.Bucket(), err)
	}
	got, err := a.Get(ctx, "k")
	if err != nil || string(got) != "v" {
		t.Fatalf("read back %q, %v", got, err)
	}
}
