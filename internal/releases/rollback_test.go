package releases

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/releases/releasetest"
	"github.com/pressroom/pressroom/internal/s3test"
	"github.com/pressroom/pressroom/internal/store"
)

// Issue 10 review: a rollback stopped after it moved the pointer, before
// it wrote the pages, is finished by running it again; a further run
// changes nothing readers see.
func TestRollbackRerunFinishesAfterPointerMoved(t *testing.T) {
	st, ctx := s3test.Store(t), context.Background()
	const slug = "rollback-crash"
	v1 := releasetest.Publish(t, st, slug, 1, []string{"fr"}, day)
	releasetest.Publish(t, st, slug, 2, []string{"fr"}, day.Add(time.Hour))
	// The first run's pointer move, by hand, then the crash.
	ptr, err := release.LatestFile(v1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Put(ctx, ptr.Key, ptr.Body, ptr.Meta); err != nil {
		t.Fatal(err)
	}
	page := func(l string) string {
		t.Helper()
		b, err := st.Get(ctx, store.SitePageKey(l, slug))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if !strings.Contains(page("en"), "Report "+slug+" v2") {
		t.Fatal("the site page is not v2's before the re-run, so this test proves nothing")
	}
	for run := range 2 {
		mv, err := Rollback(ctx, st, slug, 1, "edith", "v2 was wrong", day.Add(time.Duration(2+run)*time.Hour))
		if err != nil {
			t.Fatalf("run %d of the rollback to the served v1: %v", run+1, err)
		}
		if mv.Action != "republish" || mv.To != 1 {
			t.Errorf("run %d recorded %+v", run+1, mv)
		}
		for _, l := range []string{"en", "fr"} {
			if p := page(l); !strings.Contains(p, "Report "+slug+" v1") || strings.Contains(p, "Report "+slug+" v2") {
				t.Errorf("run %d: %s page is not v1's", run+1, l)
			}
			if ok, _ := listed(t, st, l, slug); !ok {
				t.Errorf("run %d: %s list lost the report", run+1, l)
			}
		}
	}
}

// Refusals carry their type.
func TestRefusalsAreTyped(t *testing.T) {
	st, ctx := s3test.Store(t), context.Background()
	const slug = "typed-refusals"
	releasetest.Publish(t, st, slug, 1, []string{"fr"}, day)
	releasetest.Publish(t, st, slug, 2, []string{"fr", "ar"}, day.Add(time.Hour))
	for name, c := range map[string]struct {
		err  error
		want string
	}{
		"rollback without a reason":  {errOf(Rollback(ctx, st, slug, 1, "edith", " ", day)), ReasonRequired},
		"unpublish without who":      {errOf(Unpublish(ctx, st, slug, nil, "", "why", day)), ReasonRequired},
		"a reason too long":          {errOf(Unpublish(ctx, st, slug, nil, "edith", strings.Repeat("x", MaxReason+1), day)), ReasonTooLong},
		"rollback dropping ar":       {errOf(Rollback(ctx, st, slug, 1, "edith", "why", day)), RollbackDropsLocale},
		"rollback from a stale page": {errOf(RollbackFrom(ctx, st, slug, 1, 2, "edith", "why", day)), ServedChanged},
	} {
		var r *RefusedError
		if !errors.As(c.err, &r) || r.Type != c.want {
			t.Errorf("%s: %v, want a %s refusal", name, c.err, c.want)
		}
	}
}

func errOf(_ Move, err error) error { return err }

// RollbackFrom the version actually served goes ahead.
func TestRollbackFromServedVersion(t *testing.T) {
	st, ctx := s3test.Store(t), context.Background()
	const slug = "rollback-from"
	releasetest.Publish(t, st, slug, 1, []string{"fr"}, day)
	releasetest.Publish(t, st, slug, 2, []string{"fr"}, day.Add(time.Hour))
	if mv, err := RollbackFrom(ctx, st, slug, 2, 1, "edith", "why", day.Add(2*time.Hour)); err != nil || mv.From != 2 || mv.To != 1 {
		t.Fatalf("rollback from the served v2: %+v %v", mv, err)
	}
}
