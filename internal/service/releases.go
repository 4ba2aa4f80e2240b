package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"

	"github.com/pressroom/pressroom/internal/releases"
	"github.com/pressroom/pressroom/workflows"
)

// ReportInProgress is the type of the refusal to roll back or unpublish
// a report whose workflow runs.
const ReportInProgress = "ReportInProgress"

// notInProgress refuses to change what a report serves while its
// workflow runs: its publish would move the pointer and the pages back.
func (s *Service) notInProgress(ctx context.Context, slug, action string) error {
	desc, err := s.Temporal.DescribeWorkflow(ctx, workflows.ReportID(slug), "")
	var nf *serviceerror.NotFound
	switch {
	case errors.As(err, &nf):
		return nil
	case err != nil:
		return err
	case desc.Status == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING:
		return &RefusedError{Type: ReportInProgress, Reason: fmt.Sprintf("%s is in progress; %s when it has published or been cancelled", slug, action)}
	}
	return nil
}

// Rollback serves release `to` of slug again (see releases.Rollback).
func (s *Service) Rollback(ctx context.Context, slug string, to int, by, reason string) (releases.Move, error) {
	if err := s.notInProgress(ctx, slug, "roll back"); err != nil {
		return releases.Move{}, err
	}
	mv, err := releases.Rollback(ctx, s.Store, slug, to, by, reason, time.Now())
	return mv, releasesError(err)
}

// RollbackFrom is Rollback from a page that showed v`from` served (see
// releases.RollbackFrom): refused when another version is served now.
func (s *Service) RollbackFrom(ctx context.Context, slug string, from, to int, by, reason string) (releases.Move, error) {
	if err := s.notInProgress(ctx, slug, "roll back"); err != nil {
		return releases.Move{}, err
	}
	mv, err := releases.RollbackFrom(ctx, s.Store, slug, from, to, by, reason, time.Now())
	return mv, releasesError(err)
}

// Unpublish withdraws slug's pages, all locales or the given ones (see
// releases.Unpublish).
func (s *Service) Unpublish(ctx context.Context, slug string, locales []string, by, reason string) (releases.Move, error) {
	if err := s.notInProgress(ctx, slug, "unpublish"); err != nil {
		return releases.Move{}, err
	}
	mv, err := releases.Unpublish(ctx, s.Store, slug, locales, by, reason, time.Now())
	return mv, releasesError(err)
}

// releasesError gives the releases package's errors the service's kinds.
func releasesError(err error) error {
	var r *releases.RefusedError
	switch {
	case errors.As(err, &r):
		return &RefusedError{Reason: r.Reason, Type: r.Type}
	case errors.Is(err, releases.ErrNotFound):
		return fmt.Errorf("%w: %w", err, ErrNotFound)
	}
	return err
}
