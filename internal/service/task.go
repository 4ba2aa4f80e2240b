package service

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/pressroom/pressroom/internal/qa"
	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/workflows"
)

// TaskSegment is one segment of a review task: source and target side by
// side, where the target came from, suggestions and check findings.
type TaskSegment struct {
	ID         string      `json:"id"`
	Kind       report.Kind `json:"kind"`
	Source     string      `json:"source"`
	Target     string      `json:"target"`
	Provenance string      `json:"provenance"`
	// ApprovedIn is the release whose approved text a revision carries
	// for this unchanged segment: it is not part of the review.
	ApprovedIn  int                 `json:"approved_in,omitempty"`
	Suggestions []report.Suggestion `json:"suggestions,omitempty"`
	Findings    []qa.Finding        `json:"findings,omitempty"`
}

// TaskDetail is everything a reviewer sees of one locale.
type TaskDetail struct {
	Slug         string                 `json:"slug"`
	SourceLocale string                 `json:"source_locale"`
	Status       workflows.LocaleStatus `json:"status"`
	Segments     []TaskSegment          `json:"segments"`
}

// TaskDetail reads a locale's current draft, its source and its findings.
func (s *Service) TaskDetail(ctx context.Context, slug, locale string) (TaskDetail, error) {
	ls, err := s.LocaleStatus(ctx, slug, locale)
	if err != nil {
		return TaskDetail{}, err
	}
	d := TaskDetail{Slug: slug, Status: ls}
	if ls.Draft.Key == "" {
		return d, nil // not translated yet
	}
	var src report.Report
	if err := s.getJSON(ctx, ls.Source, &src); err != nil {
		return d, err
	}
	d.SourceLocale = src.Source
	var draft report.Translation
	if err := s.getJSON(ctx, ls.Draft, &draft); err != nil {
		return d, err
	}
	findings := map[string][]qa.Finding{}
	if ls.Checks.Findings.Key != "" {
		var fs []qa.Finding
		if err := s.getJSON(ctx, ls.Checks.Findings, &fs); err != nil {
			return d, err
		}
		for _, f := range fs {
			findings[f.SegmentID] = append(findings[f.SegmentID], f)
		}
	}
	targets := make(map[string]report.TranslatedSegment, len(draft.Segments))
	for _, t := range draft.Segments {
		targets[t.ID] = t
	}
	for _, seg := range src.Segments {
		t := targets[seg.ID]
		approvedIn, _ := release.CarriedFrom(t.Provenance)
		d.Segments = append(d.Segments, TaskSegment{
			ID: seg.ID, Kind: seg.Kind, Source: seg.Text, Target: t.Text, Provenance: t.Provenance, ApprovedIn: approvedIn,
			Suggestions: t.Suggestions, Findings: findings[seg.ID],
		})
	}
	return d, nil
}

func (s *Service) getJSON(ctx context.Context, ref workflows.Ref, v any) error {
	b, err := s.Store.GetVerified(ctx, ref.Key, ref.SHA256)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return errors.Join(ErrNotFound, err)
		}
		return err
	}
	return json.Unmarshal(b, v)
}
