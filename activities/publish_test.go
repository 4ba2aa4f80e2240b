package activities_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pressroom/pressroom/activities"
	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/workflows"
)

var publishedAt = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// publishInput drafts fr and es and approves them, as the report
// workflow hands them to Publish.
func (f *fixture) publishInput(at time.Time) workflows.PublishInput {
	f.t.Helper()
	in := workflows.PublishInput{Slug: f.src.Slug, Source: f.ref, SourceLocale: "en", PublishedAt: at}
	for _, l := range []string{"fr", "es"} {
		out := f.translate(l)
		in.Locales = append(in.Locales, workflows.LocaleStatus{Locale: l, Stage: workflows.StageApproved, Draft: out.Draft, Source: f.ref})
		in.Approvals = append(in.Approvals, workflows.Approval{Locale: l, By: "reviewer-" + l, At: at})
	}
	return in
}

func (f *fixture) publish(in workflows.PublishInput) workflows.Release {
	f.t.Helper()
	return run[workflows.Release](f, f.acts.Publish, in)
}

func (f *fixture) latest() (release.Latest, release.Manifest) {
	f.t.Helper()
	ctx := context.Background()
	var l release.Latest
	var m release.Manifest
	if err := f.st.GetJSON(ctx, store.LatestKey(f.src.Slug), &l); err != nil {
		f.t.Fatal(err)
	}
	if err := f.st.GetJSON(ctx, l.Manifest, &m); err != nil {
		f.t.Fatal(err)
	}
	return l, m
}

// Publish writes the release, moves the pointer, shows the pages and
// fills the memory; repeating it (a retry, or the same content again)
// reuses the release; new content takes the next version.
func TestPublishIsIdempotent(t *testing.T) {
	f := newFixture(t, pseudo(t))
	ctx := context.Background()
	in := f.publishInput(publishedAt)
	first := f.publish(in)
	if first.Version != 1 || first.Reused || first.Objects == 0 {
		t.Fatalf("first publish %+v", first)
	}
	var m release.Manifest
	f.getJSON(first.Manifest, &m)
	if l, lm := f.latest(); l.Version != 1 || l.Manifest != first.Manifest.Key || lm.Content != m.Content {
		t.Fatalf("latest %+v does not point at %s", l, first.Manifest.Key)
	}
	if strings.Join(m.Locales, ",") != "en,fr,es" || !m.PublishedAt.Equal(publishedAt) || len(m.Approvals) != 2 {
		t.Fatalf("manifest %+v", m)
	}
	for _, l := range m.Locales {
		if _, err := f.st.Get(ctx, store.SitePageKey(l, f.src.Slug)); err != nil {
			t.Errorf("reader page %s: %v", l, err)
		}
	}
	for _, l := range []string{"fr", "es"} {
		if _, err := f.st.Get(ctx, store.TMReleaseShardKey("en", l, f.src.Slug, 1)); err != nil {
			t.Errorf("memory shard en→%s: %v", l, err)
		}
	}

	// A retry, even with a later time: the same release.
	in.PublishedAt = publishedAt.Add(time.Hour)
	again := f.publish(in)
	if again.Version != 1 || !again.Reused || again.Manifest != first.Manifest {
		t.Fatalf("republishing the same content %+v, want v1 reused with manifest %+v", again, first.Manifest)
	}
	if vs, err := f.st.ListPrefixes(ctx, store.ReportReleasesPrefix(f.src.Slug)); err != nil || !slices.Equal(vs, []string{"v1"}) {
		t.Fatalf("versions after a repeat: %v %v", vs, err)
	}

	// Other approved text: version 2, and the pointer follows.
	id := f.segment("library")
	edited := run[workflows.ApplyEditsOutput](f, f.acts.ApplyEdits, workflows.ApplyEditsInput{Slug: f.src.Slug, Source: f.ref, Locale: "fr",
		Draft: in.Locales[0].Draft, Edits: f.edits("fr", activities.Edits{id: "La bibliothèque garde ses horaires."}), Reviewer: "claire"})
	in.Locales[0].Draft = edited.Draft
	second := f.publish(in)
	if second.Version != 2 || second.Reused {
		t.Fatalf("new content %+v, want v2", second)
	}
	if l, _ := f.latest(); l.Version != 2 {
		t.Fatalf("latest after v2: %+v", l)
	}
}

// A publish stopped after claiming its version is finished as claimed
// when it runs again, however much later; a version claimed by other
// content (an abandoned publish) is skipped.
func TestPublishFinishesItsClaimAndSkipsOthers(t *testing.T) {
	// Bucket a holds a complete v1; its claim is what a stopped publish
	// of the same content leaves behind.
	a := newFixture(t, pseudo(t))
	a.publish(a.publishInput(publishedAt))
	claim, err := a.st.Get(context.Background(), store.ReleaseClaimKey(a.src.Slug, 1))
	if err != nil {
		t.Fatal(err)
	}

	b := newFixture(t, pseudo(t))
	b.putBytes(store.ReleaseClaimKey(b.src.Slug, 1), claim)
	rel := b.publish(b.publishInput(publishedAt.Add(24 * time.Hour)))
	if _, m := b.latest(); rel.Version != 1 || !m.PublishedAt.Equal(publishedAt) {
		t.Fatalf("rerun of a claimed publish: %+v published at %v, want v1 at the claim's %v", rel, m.PublishedAt, publishedAt)
	}

	// Bucket c: the same claim, but c publishes other text.
	c := newFixture(t, &failing{})
	c.putBytes(store.ReleaseClaimKey(c.src.Slug, 1), claim)
	rel = c.publish(c.publishInput(publishedAt))
	if l, _ := c.latest(); rel.Version != 2 || l.Version != 2 {
		t.Fatalf("publish past an abandoned claim: %+v, latest %+v; want v2", rel, l)
	}
}
