package release

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/pressroom/pressroom/internal/report"
)

// Provenance records, for one locale of a release, which release first
// approved each segment's text. An approval is bound to the segment's
// source hash and the approved text's hash: a later release keeps the
// earlier version only while both hashes are the same.
type Provenance struct {
	Slug     string              `json:"slug"`
	Version  int                 `json:"version"`
	Locale   string              `json:"locale"`
	Segments []SegmentProvenance `json:"segments"`
}

// SegmentProvenance is one segment's line of a Provenance.
type SegmentProvenance struct {
	ID           string `json:"id"`
	SourceSHA256 string `json:"source_sha256"`
	TextSHA256   string `json:"text_sha256"`
	ApprovedIn   int    `json:"approved_in"`
}

// Previous is what a release knows of the release before it, per
// locale: segment ID → its provenance there.
type Previous map[string]map[string]SegmentProvenance

// SourceHash is a source segment's hash: its kind and text, what a
// translation of it depends on.
func SourceHash(s report.Segment) string { return hashOf(string(s.Kind) + "\x00" + s.Text) }

// TextHash is a translated text's hash.
func TextHash(text string) string { return hashOf(text) }

func hashOf(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// carriedPrefix marks a draft segment carried from a release.
const carriedPrefix = "approved v"

// CarriedProvenance is the provenance of a draft segment whose text was
// approved in release v and whose source has not changed since.
func CarriedProvenance(v int) string { return carriedPrefix + strconv.Itoa(v) }

// CarriedFrom reads the release version of a carried segment's
// provenance; ok is false for any other provenance.
func CarriedFrom(provenance string) (v int, ok bool) {
	rest, found := strings.CutPrefix(provenance, carriedPrefix)
	if !found {
		return 0, false
	}
	v, err := strconv.Atoi(rest)
	return v, err == nil && v > 0
}

// provenance builds a locale's provenance: a segment whose source and
// text hashes are the previous release's keeps its first approval,
// anything else is first approved in this release.
func (in Input) provenance(locale string, loc report.Report) Provenance {
	p := Provenance{Slug: in.Source.Slug, Version: in.Version, Locale: locale}
	prev := in.Previous[locale]
	for _, s := range loc.Segments {
		src := in.sourceSegment(s.ID)
		sp := SegmentProvenance{ID: s.ID, SourceSHA256: SourceHash(src), TextSHA256: TextHash(s.Text), ApprovedIn: in.Version}
		if old, ok := prev[s.ID]; ok && old.SourceSHA256 == sp.SourceSHA256 && old.TextSHA256 == sp.TextSHA256 && old.ApprovedIn > 0 {
			sp.ApprovedIn = old.ApprovedIn
		}
		p.Segments = append(p.Segments, sp)
	}
	return p
}

func (in Input) sourceSegment(id string) report.Segment {
	for _, s := range in.Source.Segments {
		if s.ID == id {
			return s
		}
	}
	return report.Segment{ID: id}
}

// PreviousFrom rebuilds a release's provenance for a release written
// before provenance objects were: each segment first approved in it.
func PreviousFrom(version int, src report.Report, t report.Translation) map[string]SegmentProvenance {
	source := make(map[string]report.Segment, len(src.Segments))
	for _, s := range src.Segments {
		source[s.ID] = s
	}
	out := make(map[string]SegmentProvenance, len(t.Segments))
	for _, s := range t.Segments {
		out[s.ID] = SegmentProvenance{ID: s.ID, SourceSHA256: SourceHash(source[s.ID]), TextSHA256: TextHash(s.Text), ApprovedIn: version}
	}
	return out
}

// ProvenanceIndex is a stored provenance as Previous wants it.
func ProvenanceIndex(b []byte) (map[string]SegmentProvenance, error) {
	var p Provenance
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("release: provenance: %w", err)
	}
	out := make(map[string]SegmentProvenance, len(p.Segments))
	for _, s := range p.Segments {
		out[s.ID] = s
	}
	return out, nil
}
