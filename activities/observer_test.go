package activities_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/tm"
	"github.com/pressroom/pressroom/internal/tmstore"
	"github.com/pressroom/pressroom/workflows"
)

type recorder struct {
	mu                  sync.Mutex
	exact, fuzzy, miss  int
	findings, checkRuns int
}

func (r *recorder) MemoryLookups(exact, fuzzy, miss int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.exact, r.fuzzy, r.miss = r.exact+exact, r.fuzzy+fuzzy, r.miss+miss
}

func (r *recorder) Findings(fs []qa.Finding) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.findings += len(fs)
	r.checkRuns++
}

// The metrics are told by the activity what it drafted and found, from
// what it holds (the worker used to read every draft back to count
// them): here one segment filled from memory, one with a fuzzy match
// offered, the rest machine-translated.
func TestObserverIsToldWhatDraftingFound(t *testing.T) {
	f := newFixture(t, pseudo(t))
	exactSeg, fuzzySeg := f.src.Segments[0], f.src.Segments[1]
	for _, s := range f.src.Segments[1:] {
		if len(s.Text) > len(fuzzySeg.Text) {
			fuzzySeg = s
		}
	}
	if !strings.HasPrefix(fuzzySeg.Text, "Visitors") {
		t.Fatalf("the fixture's longest segment changed: %q", fuzzySeg.Text)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	entries := []tm.Entry{
		{SourceLocale: "en", TargetLocale: "fr", Source: exactSeg.Text, Target: "Texte approuvé", Slug: "older", SegmentID: exactSeg.ID, Time: at},
		{SourceLocale: "en", TargetLocale: "fr", Source: "Tourists" + fuzzySeg.Text[len("Visitors"):], Target: "Presque", Slug: "older", SegmentID: fuzzySeg.ID, Time: at},
	}
	if err := tmstore.WriteShard(context.Background(), f.st, store.TMReleaseShardKey("en", "fr", "older", 1), entries); err != nil {
		t.Fatal(err)
	}
	f.acts.Memories = &tmstore.Memories{Store: f.st}
	rec := &recorder{}
	f.acts.Observer = rec
	out := f.translate("fr")
	if rec.exact != 1 || rec.fuzzy != 1 || rec.miss != len(f.src.Segments)-2 || out.Provenance["tm-exact"] != 1 {
		t.Errorf("lookups exact %d fuzzy %d miss %d, want 1 1 %d (provenance %v)", rec.exact, rec.fuzzy, rec.miss, len(f.src.Segments)-2, out.Provenance)
	}
	if rec.checkRuns != 1 || rec.findings != out.Checks.Errors+out.Checks.Warnings {
		t.Errorf("%d check runs with %d findings, want 1 with %d", rec.checkRuns, rec.findings, out.Checks.Errors+out.Checks.Warnings)
	}
}

// A drafting activity that fails tells nothing, even for the locales it
// drafted: its retry drafts them again and is told then, once.
func TestObserverIsNotToldOfAFailedActivity(t *testing.T) {
	f := newFixture(t, &failing{targets: map[string]error{"es": &mt.TransientError{Provider: "deepl", Err: errors.New("HTTP 503")}}})
	rec := &recorder{}
	f.acts.Observer = rec
	_, err := f.env.ExecuteActivity(f.acts.TranslateReport, workflows.TranslateReportInput{
		Slug: f.src.Slug, Source: f.ref, SourceLocale: "en", Locales: []string{"fr", "es"}})
	if err == nil || !strings.Contains(err.Error(), "HTTP 503") {
		t.Fatalf("want the transient failure, got %v", err)
	}
	if rec.miss+rec.exact+rec.fuzzy != 0 || rec.checkRuns != 0 {
		t.Errorf("a failed activity told lookups %d/%d/%d and %d check runs", rec.exact, rec.fuzzy, rec.miss, rec.checkRuns)
	}
}
