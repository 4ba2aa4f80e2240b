package tmstore

import (
	"strings"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/report"
)

func TestReleaseEntries(t *testing.T) {
	at := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	src := report.Report{Slug: "summer-hours", Source: "en", Segments: []report.Segment{
		{ID: "title", Text: "Office hours"},
		{ID: "p-1", Text: "We open at 9."},
	}}
	tr := report.Translation{Slug: "summer-hours", Source: "en", Locale: "fr", Segments: []report.TranslatedSegment{
		{ID: "p-1", Text: "Nous ouvrons à 9 h."}, // order differs from the source's
		{ID: "title", Text: "Heures d'ouverture"},
	}}
	es, err := ReleaseEntries(src, tr, "claire", at)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 {
		t.Fatalf("%d entries, want 2: %+v", len(es), es)
	}
	// In source order, each pairing a segment with its own translation.
	for i, want := range [][2]string{{"Office hours", "Heures d'ouverture"}, {"We open at 9.", "Nous ouvrons à 9 h."}} {
		e := es[i]
		if e.Source != want[0] || e.Target != want[1] || e.SegmentID != src.Segments[i].ID {
			t.Errorf("entry %d = %q → %q (%s), want %q → %q", i, e.Source, e.Target, e.SegmentID, want[0], want[1])
		}
		if e.SourceLocale != "en" || e.TargetLocale != "fr" || e.Slug != "summer-hours" || e.Approver != "claire" || !e.Time.Equal(at) {
			t.Errorf("entry %d provenance = %+v", i, e)
		}
	}

	// A translation missing a segment is refused, naming locale and segment.
	tr.Segments = tr.Segments[:1]
	if _, err := ReleaseEntries(src, tr, "claire", at); err == nil || !strings.Contains(err.Error(), "fr") || !strings.Contains(err.Error(), "title") {
		t.Errorf("missing segment: err = %v, want one naming fr and title", err)
	}
}
