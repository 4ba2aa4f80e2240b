// Package activities implements every side effect of Pressroom's
// workflows: reading and writing S3, machine translation, checks,
// rendering and publishing. Each activity is idempotent — drafts are
// content-addressed and release objects immutable — so Temporal may retry
// any of them.
package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/workflows"
)

// Translator translates batches of segments (an *mt.Router in production).
type Translator interface {
	Translate(ctx context.Context, req mt.Request) ([]mt.Result, error)
}

// Activities holds the dependencies of every activity.
type Activities struct {
	Store      *store.Store
	Translator Translator
}

func badInput(format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(fmt.Sprintf(format, args...), workflows.ErrBadInput, nil)
}

// loadSource reads and verifies the claim-checked source report.
func (a *Activities) loadSource(ctx context.Context, ref workflows.Ref) (report.Report, error) {
	b, err := a.Store.GetVerified(ctx, ref.Key, ref.SHA256)
	if err != nil {
		return report.Report{}, err
	}
	var r report.Report
	if err := json.Unmarshal(b, &r); err != nil {
		return report.Report{}, badInput("source %s is not a report: %v", ref.Key, err)
	}
	return r, nil
}

func (a *Activities) loadDraft(ctx context.Context, ref workflows.Ref) (report.Translation, error) {
	b, err := a.Store.GetVerified(ctx, ref.Key, ref.SHA256)
	if err != nil {
		return report.Translation{}, err
	}
	var t report.Translation
	if err := json.Unmarshal(b, &t); err != nil {
		return report.Translation{}, badInput("draft %s is not a translation: %v", ref.Key, err)
	}
	return t, nil
}

// saveDraft writes a draft under its content hash: a retry writes the
// same key with the same bytes.
func (a *Activities) saveDraft(ctx context.Context, t report.Translation) (workflows.Ref, error) {
	b, err := json.Marshal(t)
	if err != nil {
		return workflows.Ref{}, err
	}
	sha := store.SHA256(b)
	key := store.DraftKey(t.Slug, t.SourceSHA256, t.Locale, sha)
	if _, err := a.Store.PutImmutable(ctx, key, b, store.Meta{ContentType: "application/json"}); err != nil {
		return workflows.Ref{}, err
	}
	return workflows.Ref{Key: key, SHA256: sha, Size: int64(len(b))}, nil
}

// Translate drafts the source in one locale.
func (a *Activities) Translate(ctx context.Context, in workflows.TranslateInput) (workflows.TranslateOutput, error) {
	src, err := a.loadSource(ctx, in.Source)
	if err != nil {
		return workflows.TranslateOutput{}, err
	}
	req := mt.Request{Source: in.SourceLocale, Target: in.Locale, Format: src.Format}
	for _, s := range src.Segments {
		req.Segments = append(req.Segments, mt.Segment{ID: s.ID, Text: s.Text})
	}
	activity.RecordHeartbeat(ctx, len(req.Segments))
	results, err := a.Translator.Translate(ctx, req)
	if err != nil {
		if mt.IsUnsupportedPair(err) {
			return workflows.TranslateOutput{}, temporal.NewNonRetryableApplicationError(err.Error(), workflows.ErrUnsupported, err)
		}
		return workflows.TranslateOutput{}, fmt.Errorf("translate %s→%s: %w", in.SourceLocale, in.Locale, err)
	}
	if len(results) != len(req.Segments) {
		return workflows.TranslateOutput{}, fmt.Errorf("translator returned %d results for %d segments", len(results), len(req.Segments))
	}
	t := report.Translation{Slug: in.Slug, Source: in.SourceLocale, Locale: in.Locale, SourceSHA256: in.Source.SHA256}
	out := workflows.TranslateOutput{Provenance: map[string]int{}}
	var failed []error
	for i, r := range results {
		if r.Err != nil {
			failed = append(failed, fmt.Errorf("segment %s: %w", req.Segments[i].ID, r.Err))
			continue
		}
		t.Segments = append(t.Segments, report.TranslatedSegment{ID: req.Segments[i].ID, Text: r.Text, Provenance: r.Provenance})
		out.Provenance[r.Provenance]++
		if in.WantSegmentIDs {
			out.SegmentIDs = append(out.SegmentIDs, req.Segments[i].ID)
		}
	}
	if len(failed) > 0 {
		// Retryable: a provider may recover. The draft is not saved half-done.
		return workflows.TranslateOutput{}, fmt.Errorf("%d of %d segments failed to translate to %s: %w", len(failed), len(results), in.Locale, errors.Join(failed...))
	}
	out.Draft, err = a.saveDraft(ctx, t)
	if err != nil {
		return workflows.TranslateOutput{}, err
	}
	out.Segments = len(t.Segments)
	slices.Sort(out.SegmentIDs)
	return out, nil
}

// Check runs the quality checks on a draft. For now: every source segment
// has a non-empty translation.
func (a *Activities) Check(ctx context.Context, in workflows.CheckInput) (workflows.CheckOutput, error) {
	src, err := a.loadSource(ctx, in.Source)
	if err != nil {
		return workflows.CheckOutput{}, err
	}
	draft, err := a.loadDraft(ctx, in.Draft)
	if err != nil {
		return workflows.CheckOutput{}, err
	}
	texts := make(map[string]string, len(draft.Segments))
	for _, s := range draft.Segments {
		texts[s.ID] = s.Text
	}
	var out workflows.CheckOutput
	for _, s := range src.Segments {
		if t := texts[s.ID]; t == "" {
			out.Errors++
			out.Failing = append(out.Failing, s.ID)
		}
	}
	return out, nil
}

// Edits is the document a reviewer uploads: segment ID → new text.
type Edits map[string]string

// ApplyEdits writes a new draft revision with a reviewer's edits.
func (a *Activities) ApplyEdits(ctx context.Context, in workflows.ApplyEditsInput) (workflows.Ref, error) {
	draft, err := a.loadDraft(ctx, in.Draft)
	if err != nil {
		return workflows.Ref{}, err
	}
	b, err := a.Store.GetVerified(ctx, in.Edits.Key, in.Edits.SHA256)
	if err != nil {
		return workflows.Ref{}, err
	}
	var edits Edits
	if err := json.Unmarshal(b, &edits); err != nil {
		return workflows.Ref{}, badInput("edits %s: %v", in.Edits.Key, err)
	}
	index := make(map[string]int, len(draft.Segments))
	for i, s := range draft.Segments {
		index[s.ID] = i
	}
	for id, text := range edits {
		i, ok := index[id]
		if !ok {
			return workflows.Ref{}, badInput("edits: unknown segment %q in %s", id, in.Locale)
		}
		if !utf8.ValidString(text) {
			return workflows.Ref{}, badInput("edits: segment %q is not valid UTF-8", id)
		}
		draft.Segments[i].Text = text
		draft.Segments[i].Provenance = "human:" + in.Reviewer
	}
	return a.saveDraft(ctx, draft)
}
