package service

import (
	"context"
	"errors"

	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/store"
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
