package release

import (
	"encoding/json"
	"testing"

	"github.com/pressroom/pressroom/internal/store"
)

func provenanceOf(t *testing.T, files []File, key string) map[string]SegmentProvenance {
	t.Helper()
	for _, f := range files {
		if f.Key == key {
			p, err := ProvenanceIndex(f.Body)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
	}
	t.Fatalf("no %s among the release's objects", key)
	return nil
}

// A revision keeps the first approval of every segment whose source and
// text are unchanged, and starts a new one where either changed.
func TestProvenanceCarriesUnchangedApprovals(t *testing.T) {
	v1 := input(t)
	v1.Version = 1
	files1, _, err := Build(v1)
	if err != nil {
		t.Fatal(err)
	}
	p1 := provenanceOf(t, files1, store.ReleaseProvenanceKey("harbour", 1, "fr"))
	if len(p1) != len(v1.Source.Segments) {
		t.Fatalf("v1 provenance has %d segments, the source %d", len(p1), len(v1.Source.Segments))
	}
	for id, sp := range p1 {
		if sp.ApprovedIn != 1 || sp.SourceSHA256 == "" || sp.TextSHA256 == "" {
			t.Errorf("v1 %s: %+v", id, sp)
		}
	}

	v2 := input(t)
	v2.Version = 2
	v2.Previous = Previous{"fr": p1}
	changedSrc := v2.Source.Segments[1].ID
	v2.Source.Segments[1].Text = "The harbour reopened on *Tuesday*."
	changedText := v2.Source.Segments[2].ID
	v2.Translations[0].Segments[2].Text = "fr: reworded by a reviewer"
	files2, _, err := Build(v2)
	if err != nil {
		t.Fatal(err)
	}
	p2 := provenanceOf(t, files2, store.ReleaseProvenanceKey("harbour", 2, "fr"))
	for id, sp := range p2 {
		want := 1
		if id == changedSrc || id == changedText {
			want = 2
		}
		if sp.ApprovedIn != want {
			t.Errorf("v2 %s approved in v%d, want v%d", id, sp.ApprovedIn, want)
		}
	}
	if p2[changedSrc].SourceSHA256 == p1[changedSrc].SourceSHA256 {
		t.Error("the changed source segment kept its source hash")
	}
	// ar had no previous provenance: everything is first approved in v2.
	for id, sp := range provenanceOf(t, files2, store.ReleaseProvenanceKey("harbour", 2, "ar")) {
		if sp.ApprovedIn != 2 {
			t.Errorf("ar %s approved in v%d", id, sp.ApprovedIn)
		}
	}
	var m Manifest
	if err := json.Unmarshal(files2[len(files2)-1].Body, &m); err != nil {
		t.Fatal(err)
	}
	listed := false
	for _, o := range m.Objects {
		listed = listed || o.Key == store.ReleaseProvenanceKey("harbour", 2, "fr")
	}
	if !listed || files2[len(files2)-1].Key != store.ManifestKey("harbour", 2) {
		t.Error("the manifest does not list the provenance")
	}
}

func TestPreviousFromAnOldRelease(t *testing.T) {
	in := input(t)
	p := PreviousFrom(4, in.Source, in.Translations[0])
	s := in.Source.Segments[0]
	if got := p[s.ID]; got.ApprovedIn != 4 || got.SourceSHA256 != SourceHash(s) || got.TextSHA256 != TextHash(in.Translations[0].Segments[0].Text) {
		t.Errorf("%+v", got)
	}
}

func TestCarriedProvenanceRoundTrips(t *testing.T) {
	if v, ok := CarriedFrom(CarriedProvenance(7)); !ok || v != 7 {
		t.Errorf("CarriedFrom(%q) = %d, %v", CarriedProvenance(7), v, ok)
	}
	for _, p := range []string{"mt:pseudo", "human:claire", "approved v", "approved vx", "approved v0", "tm-exact"} {
		if _, ok := CarriedFrom(p); ok {
			t.Errorf("%q read as carried", p)
		}
	}
}
