package service

import (
	"context"
	"errors"

	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/workflows"
)

// liveVersion is the version of a slug's live release, 0 if none: a
// submit of a published slug is a revision of it, and that release stays
// served until the revision publishes.
func (s *Service) liveVersion(ctx context.Context, slug string) (int, error) {
	var l release.Latest
	if err := s.Store.GetJSON(ctx, store.LatestKey(slug), &l); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return 0, nil
		}
		return 0, err
	}
	return l.Version, nil
}

// carriedOver answers for a locale whose task is approved: a revision
// that found nothing changed in it started no task, so the locale's last
// task is an earlier run's; the running report then has the locale's
// current state (one more query, only for approved locales).
func (s *Service) carriedOver(ctx context.Context, slug string, last workflows.LocaleStatus) workflows.LocaleStatus {
	var rs workflows.ReportStatus
	if s.query(ctx, workflows.ReportID(slug), &rs) != nil || rs.Source.SHA256 == last.Source.SHA256 {
		return last
	}
	for _, ls := range rs.Locales {
		if ls.Locale == last.Locale && ls.CarriedWhole() {
			return ls
		}
	}
	return last
}
