package activities_test

import (
	"sync"
	"testing"

	"github.com/pressroom/pressroom/internal/qa"
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
// what it holds (the worker used to read every draft back to count them).
func TestObserverIsToldWhatDraftingFound(t *testing.T) {
	f := newFixture(t, pseudo(t))
	rec := &recorder{}
	f.acts.Observer = rec
	out := f.translate("fr")
	if rec.exact != 0 || rec.fuzzy != 0 || rec.miss != len(f.src.Segments) || rec.miss != out.Segments {
		t.Errorf("lookups exact %d fuzzy %d miss %d, want 0 0 %d (no memory)", rec.exact, rec.fuzzy, rec.miss, len(f.src.Segments))
	}
	if rec.checkRuns != 1 || rec.findings != out.Checks.Errors+out.Checks.Warnings {
		t.Errorf("%d check runs with %d findings, want 1 with %d", rec.checkRuns, rec.findings, out.Checks.Errors+out.Checks.Warnings)
	}
}
