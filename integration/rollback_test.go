package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/releases"
	"github.com/pressroom/pressroom/internal/sitelist"
	"github.com/pressroom/pressroom/internal/store"
)

// Issue 10: `pressroom rollback` serves an earlier release again — the
// pointer, the site pages and the lists — without writing any release
// object, records who, when and why, and can be undone; `pressroom
// releases` shows it all.
func TestRollbackServesEarlierReleaseAndIsRecorded(t *testing.T) {
	ctx := context.Background()
	const slug = "rollback-test"
	at := time.Date(2026, 8, 1, 9, 0, 0, 0, time.UTC)
	if rel, err := runPublish(env.store, stagePublish(t, env.store, slug, "First title", []string{"fr"}, at)); err != nil || rel.Version != 1 {
		t.Fatalf("v1: %+v %v", rel, err)
	}
	if rel, err := runPublish(env.store, stagePublish(t, env.store, slug, "Second title", []string{"fr"}, at.Add(time.Hour))); err != nil || rel.Version != 2 {
		t.Fatalf("v2: %+v %v", rel, err)
	}
	snapshot := func() map[string]string {
		keys, err := env.store.ListKeys(ctx, store.ReportReleasesPrefix(slug))
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, k := range keys {
			if strings.Contains(k, "/v") {
				out[k] = store.SHA256(mustGet(t, k))
			}
		}
		return out
	}
	before := snapshot()
	dir := t.TempDir()

	if r := pressroom(t, dir, "it-rollback", "rollback", slug, "--to", "1", "--as", "edith"); r.code != 2 {
		t.Errorf("rollback without --reason: exit %d, want 2", r.code)
	}
	if r := pressroom(t, dir, "it-rollback", "rollback", slug, "--to", "7", "--as", "edith", "--reason", "x"); r.code != 4 || !strings.Contains(r.stderr, "v7") {
		t.Errorf("rollback to a missing version: exit %d %s", r.code, r.stderr)
	}
	out := mustPressroom(t, dir, "it-rollback", "rollback", slug, "--to", "1", "--as", "edith", "--reason", "wrong figures in v2")
	if !strings.Contains(out, "now serves v1 (was v2)") {
		t.Errorf("rollback said %q", out)
	}
	verifyRelease(t, slug, 1)
	for _, l := range []string{"en", "fr"} {
		if string(mustGet(t, store.SitePageKey(l, slug))) != string(mustGet(t, store.ReleasePageKey(slug, 1, l))) {
			t.Errorf("%s site page is not v1's", l)
		}
		var h sitelist.Head
		json.Unmarshal(mustGet(t, store.SiteListKey(l)), &h)
		for _, e := range h.Recent {
			if e.Slug == slug && (e.Version != 1 || !strings.Contains(e.Title, "First title")) {
				t.Errorf("%s list entry after rollback: %+v", l, e)
			}
		}
	}
	after := snapshot()
	if len(after) != len(before) {
		t.Errorf("release objects: %d before, %d after", len(before), len(after))
	}
	for k, sha := range before {
		if after[k] != sha {
			t.Errorf("%s changed", k)
		}
	}
	list := mustPressroom(t, dir, "it-rollback", "releases", slug)
	t.Logf("pressroom releases %s:\n%s", slug, list)
	for _, want := range []string{"* v1 ", "  v2 ", "rollback v2 → v1 by edith", "wrong figures in v2", "fr rev-fr", "first release", "fr     vs v1: +1 ", "~2 (summary, title)"} {
		if !strings.Contains(list, want) {
			t.Errorf("releases output lacks %q:\n%s", want, list)
		}
	}
	var js struct {
		Changes []releases.Change `json:"changes"`
	}
	if err := json.Unmarshal([]byte(mustPressroom(t, dir, "it-rollback", "releases", slug, "--json")), &js); err != nil || len(js.Changes) != 2 ||
		js.Changes[1].From != 1 || len(js.Changes[1].Locales) != 2 || !slices.Equal(js.Changes[1].Locales[1].Changed, []string{"summary", "title"}) {
		t.Errorf("releases --json changes: %+v %v", js.Changes, err)
	}
	// Reversible.
	mustPressroom(t, dir, "it-rollback", "rollback", slug, "--to", "2", "--as", "edith", "--reason", "figures confirmed")
	var latest release.Latest
	json.Unmarshal(mustGet(t, store.LatestKey(slug)), &latest)
	if latest.Version != 2 {
		t.Fatalf("after rolling forward latest is v%d", latest.Version)
	}
	hist, _ := env.store.ListKeys(ctx, store.ReleaseHistoryPrefix(slug))
	if len(hist) != 2 {
		t.Errorf("history records: %v", hist)
	}
}

// A rollback leaves complete releases above the pointer; a later publish
// of new content takes the next free number after them, however many
// there are (they are history, not abandoned publishes).
func TestPublishAfterRollbackTakesTheNextFreeVersion(t *testing.T) {
	const slug = "rollback-gap"
	const published = 22 // more than the abandoned versions a publish may skip
	at := time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)
	for v := 1; v <= published; v++ {
		rel, err := runPublish(env.store, stagePublish(t, env.store, slug, fmt.Sprintf("Title %d", v), []string{"fr"}, at.Add(time.Duration(v)*time.Minute)))
		if err != nil || rel.Version != v {
			t.Fatalf("v%d: %+v %v", v, rel, err)
		}
	}
	mustPressroom(t, t.TempDir(), "it-rollback-gap", "rollback", slug, "--to", "1", "--as", "edith", "--reason", "back to the first")
	rel, err := runPublish(env.store, stagePublish(t, env.store, slug, "Title after the rollback", []string{"fr"}, at.Add(time.Hour)))
	if err != nil {
		t.Fatalf("publish after the rollback: %v", err)
	}
	if rel.Version != published+1 {
		t.Fatalf("publish after the rollback made v%d, want v%d", rel.Version, published+1)
	}
	verifyRelease(t, slug, published+1)
}
