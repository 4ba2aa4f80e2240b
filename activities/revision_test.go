package activities

import (
	"testing"

	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/report"
)

func TestCarryKeepsOnlyUnchangedApprovedSegments(t *testing.T) {
	old := report.Report{Slug: "s", Source: "en", Segments: []report.Segment{
		{ID: "title", Kind: report.KindTitle, Text: "Harbour reopens"},
		{ID: "p-1", Kind: report.KindParagraph, Text: "Ferries return."},
		{ID: "p-2", Kind: report.KindParagraph, Text: "Cargo follows."},
		{ID: "p-3", Kind: report.KindParagraph, Text: "Not translated in the release."},
	}}
	lr := &lastRelease{manifest: release.Manifest{Slug: "s", Version: 4}, source: old, hashes: map[string]string{}}
	for _, s := range old.Segments {
		lr.hashes[s.ID] = release.SourceHash(s)
	}
	approved := &report.Translation{Locale: "fr", Segments: []report.TranslatedSegment{
		{ID: "title", Text: "Le port rouvre"}, {ID: "p-1", Text: "Les ferries reviennent."}, {ID: "p-2", Text: "Le fret suit."},
	}}
	revised := old
	revised.Segments = []report.Segment{
		{ID: "title", Kind: report.KindTitle, Text: "Harbour reopens at last"}, // same ID, new text
		{ID: "p-1", Kind: report.KindParagraph, Text: "Ferries return."},       // unchanged
		{ID: "p-9", Kind: report.KindParagraph, Text: "A new paragraph."},      // new
		{ID: "p-2", Kind: report.KindHeading, Text: "Cargo follows."},          // same text, another kind
		{ID: "p-3", Kind: report.KindParagraph, Text: "Not translated in the release."},
	}
	changed, carried := lr.carry(revised, approved)
	if len(carried) != 1 || carried["p-1"] != "Les ferries reviennent." {
		t.Fatalf("carried %v, want p-1 only", carried)
	}
	var ids []string
	for _, s := range changed.Segments {
		ids = append(ids, s.ID)
	}
	if len(ids) != 4 || ids[0] != "title" || ids[1] != "p-9" || ids[2] != "p-2" || ids[3] != "p-3" {
		t.Fatalf("to draft %v", ids)
	}
	drafted := report.Translation{Slug: "s", Locale: "fr", Segments: []report.TranslatedSegment{
		{ID: "title", Text: "T", Provenance: "mt:pseudo"}, {ID: "p-9", Text: "N", Provenance: "mt:pseudo"},
		{ID: "p-2", Text: "C", Provenance: "mt:pseudo"}, {ID: "p-3", Text: "X", Provenance: "tm-exact"},
	}}
	merged := lr.merge(revised, drafted, carried)
	if len(merged.Segments) != len(revised.Segments) {
		t.Fatalf("%d merged segments for %d", len(merged.Segments), len(revised.Segments))
	}
	for i, s := range merged.Segments {
		if s.ID != revised.Segments[i].ID {
			t.Errorf("segment %d is %s, want %s (source order)", i, s.ID, revised.Segments[i].ID)
		}
	}
	if p := merged.Segments[1]; p.Text != "Les ferries reviennent." || p.Provenance != release.CarriedProvenance(4) {
		t.Errorf("carried segment %+v", p)
	}
	if merged.Segments[0].Provenance != "mt:pseudo" {
		t.Errorf("changed title %+v", merged.Segments[0])
	}
	if a := lr.approvalOf("fr"); a != nil {
		t.Errorf("an approval for a locale the manifest does not list: %+v", a)
	}
}
