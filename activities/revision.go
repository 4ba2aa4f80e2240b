package activities

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/workflows"
)

// A revision is a new source of a slug that already has a release. Each
// segment whose source is unchanged since that release keeps its
// approved text there (provenance "approved vN") and is not reviewed
// again; only the new and changed segments are drafted and reviewed.

// lastRelease is what a revision reads of the live release.
type lastRelease struct {
	manifest release.Manifest
	source   report.Report
	hashes   map[string]string // segment ID → release.SourceHash
}

// liveRelease reads the latest release of slug and its source; nil when
// the slug was never published or its source was in another language.
func (a *Activities) liveRelease(ctx context.Context, slug, sourceLocale string) (*lastRelease, error) {
	_, m, err := a.latest(ctx, slug)
	if err != nil || m == nil || m.SourceLocale != sourceLocale {
		return nil, err
	}
	return a.carryFrom(ctx, *m)
}

// releaseToCarry reads release v of slug, the one a revision's first
// round carried from, for a later round (after a reject).
func (a *Activities) releaseToCarry(ctx context.Context, slug, sourceLocale string, v int) (*lastRelease, error) {
	var m release.Manifest
	if err := a.Store.GetJSON(ctx, store.ManifestKey(slug, v), &m); err != nil {
		return nil, fmt.Errorf("read %s v%d to carry its approved segments: %w", slug, v, err)
	}
	if m.SourceLocale != sourceLocale {
		return nil, nil
	}
	return a.carryFrom(ctx, m)
}

func (a *Activities) carryFrom(ctx context.Context, m release.Manifest) (*lastRelease, error) {
	slug := m.Slug
	src, err := a.loadSource(ctx, workflows.Ref{Key: store.SourceKey(slug, m.SourceSHA256), SHA256: m.SourceSHA256})
	if err != nil {
		return nil, fmt.Errorf("read the source of %s v%d: %w", slug, m.Version, err)
	}
	lr := &lastRelease{manifest: m, source: src, hashes: make(map[string]string, len(src.Segments))}
	for _, s := range src.Segments {
		lr.hashes[s.ID] = release.SourceHash(s)
	}
	return lr, nil
}

// approvedText reads the release's approved translation into locale
// (nil, nil when the release has none).
func (a *Activities) approvedText(ctx context.Context, lr *lastRelease, locale string) (*report.Translation, error) {
	for _, d := range lr.manifest.Drafts {
		if d.Locale != locale {
			continue
		}
		t, err := a.loadDraft(ctx, workflows.Ref{Key: d.Key, SHA256: d.SHA256})
		if err != nil {
			return nil, fmt.Errorf("read the %s text of %s v%d: %w", locale, lr.manifest.Slug, lr.manifest.Version, err)
		}
		return &t, nil
	}
	return nil, nil
}

// carry splits src into what must be drafted and reviewed and what is
// carried from the release: carried maps segment ID → approved text.
func (lr *lastRelease) carry(src report.Report, approved *report.Translation) (changed report.Report, carried map[string]string) {
	changed = src
	changed.Segments = nil
	texts := map[string]string{}
	if approved != nil {
		for _, s := range approved.Segments {
			texts[s.ID] = s.Text
		}
	}
	carried = map[string]string{}
	for _, s := range src.Segments {
		text, ok := texts[s.ID]
		if ok && lr.hashes[s.ID] == release.SourceHash(s) {
			carried[s.ID] = text
			continue
		}
		changed.Segments = append(changed.Segments, s)
	}
	return changed, carried
}

// merge puts a draft of the changed segments and the carried ones
// together, in source order.
func (lr *lastRelease) merge(src report.Report, drafted report.Translation, carried map[string]string) report.Translation {
	byID := make(map[string]report.TranslatedSegment, len(drafted.Segments))
	for _, s := range drafted.Segments {
		byID[s.ID] = s
	}
	out := drafted
	out.Segments = make([]report.TranslatedSegment, len(src.Segments))
	for i, s := range src.Segments {
		if text, ok := carried[s.ID]; ok {
			out.Segments[i] = report.TranslatedSegment{ID: s.ID, Text: text, Provenance: release.CarriedProvenance(lr.manifest.Version)}
			continue
		}
		out.Segments[i] = byID[s.ID]
	}
	return out
}

// approvalOf is the locale's approval in the release.
func (lr *lastRelease) approvalOf(locale string) *workflows.Approval {
	for _, ap := range lr.manifest.Approvals {
		if ap.Locale == locale {
			return &workflows.Approval{Locale: locale, By: ap.By, At: ap.At}
		}
	}
	return nil
}

// previousProvenance reads each locale's provenance in the release prev,
// or rebuilds it from its texts for a release written before provenance
// objects were. A locale prev lacks (a per-locale release before its
// approval, a locale dropped and added back) comes from the latest
// earlier release that has it, at most maxProvenanceLookback back: the
// hashes in it decide what still holds.
func (a *Activities) previousProvenance(ctx context.Context, prev *release.Manifest, locales []string) (release.Previous, error) {
	if prev == nil {
		return nil, nil
	}
	out := release.Previous{}
	for _, locale := range locales {
		for v := prev.Version; v >= 1 && v > prev.Version-maxProvenanceLookback; v-- {
			p, err := a.provenanceIn(ctx, prev.Slug, v, locale)
			if err != nil {
				return nil, err
			}
			if p != nil {
				out[locale] = p
				break
			}
		}
	}
	return out, nil
}

// maxProvenanceLookback bounds the releases read to find a locale's last
// provenance.
const maxProvenanceLookback = 20

// provenanceIn is locale's provenance in release v of slug; nil when the
// release is missing (rolled past, abandoned) or has no such locale.
func (a *Activities) provenanceIn(ctx context.Context, slug string, v int, locale string) (map[string]release.SegmentProvenance, error) {
	b, err := a.Store.Get(ctx, store.ReleaseProvenanceKey(slug, v, locale))
	if err == nil {
		return release.ProvenanceIndex(b)
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	var m release.Manifest
	if err := a.Store.GetJSON(ctx, store.ManifestKey(slug, v), &m); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	if !slices.ContainsFunc(m.Drafts, func(d release.Draft) bool { return d.Locale == locale }) {
		return nil, nil
	}
	// Written before provenance objects: every segment first approved in it.
	lr, err := a.carryFrom(ctx, m)
	if err != nil {
		return nil, err
	}
	t, err := a.approvedText(ctx, lr, locale)
	if err != nil || t == nil {
		return nil, err
	}
	return release.PreviousFrom(v, lr.source, *t), nil
}
