// Package translate drafts a report in one locale: translation memory
// first, machine translation for the rest, with provenance per segment.
// It is the logic of the Translate activity, kept free of I/O so it can be
// tested and measured on its own.
package translate

import (
	"context"
	"errors"
	"fmt"

	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/tm"
)

// FuzzyThreshold is the lowest memory match score offered to reviewers.
const FuzzyThreshold = 75

// Memory is what drafting needs of a translation memory.
type Memory interface {
	Lookup(sourceLocale, targetLocale, text string, minScore int) (tm.Match, bool)
}

// Translator translates batches of segments (an *mt.Router in production).
type Translator interface {
	Translate(ctx context.Context, req mt.Request) ([]mt.Result, error)
}

// Stats counts where a draft's segments came from.
type Stats struct {
	Exact int // filled from memory
	Fuzzy int // machine-translated, with a memory match offered beside
	MT    int // segments sent to machine translation
}

// Draft translates src into locale. Exact memory matches fill segments
// automatically; every other segment is machine-translated, and a fuzzy
// match of FuzzyThreshold% or more is attached as a suggestion with its
// score, for the reviewer to take or leave. A draft is all or nothing: if
// any segment fails, Draft returns an error naming each failure.
func Draft(ctx context.Context, src report.Report, sourceSHA, locale string, mem Memory, tr Translator) (report.Translation, Stats, error) {
	out := report.Translation{Slug: src.Slug, Source: src.Source, Locale: locale, SourceSHA256: sourceSHA,
		Segments: make([]report.TranslatedSegment, len(src.Segments))}
	var st Stats
	req := mt.Request{Source: src.Source, Target: locale, Format: src.Format}
	var pending []int // indexes of segments sent to MT
	for i, s := range src.Segments {
		out.Segments[i].ID = s.ID
		if mem != nil {
			if m, ok := mem.Lookup(src.Source, locale, s.Text, FuzzyThreshold); ok {
				if m.Exact {
					out.Segments[i].Text, out.Segments[i].Provenance = m.Entry.Target, "tm-exact"
					st.Exact++
					continue
				}
				out.Segments[i].Suggestions = []report.Suggestion{{
					Text: m.Entry.Target, Score: m.Score, Source: m.Entry.Source,
					Provenance: fmt.Sprintf("tm-fuzzy %d%%", m.Score),
				}}
				st.Fuzzy++
			}
		}
		pending = append(pending, i)
		req.Segments = append(req.Segments, mt.Segment{ID: s.ID, Text: s.Text})
	}
	if len(pending) == 0 {
		return out, st, nil
	}
	st.MT = len(pending)
	results, err := tr.Translate(ctx, req)
	if err != nil {
		return report.Translation{}, st, err
	}
	if len(results) != len(pending) {
		return report.Translation{}, st, fmt.Errorf("translator returned %d results for %d segments", len(results), len(pending))
	}
	var failed []error
	for j, r := range results {
		i := pending[j]
		if r.Err != nil {
			failed = append(failed, fmt.Errorf("segment %s: %w", src.Segments[i].ID, r.Err))
			continue
		}
		out.Segments[i].Text, out.Segments[i].Provenance = r.Text, r.Provenance
	}
	if len(failed) > 0 {
		return report.Translation{}, st, fmt.Errorf("%d of %d segments failed to translate to %s: %w", len(failed), len(pending), locale, errors.Join(failed...))
	}
	return out, st, nil
}
