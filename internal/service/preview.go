package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/api/serviceerror"

	"github.com/pressroom/pressroom/internal/preview"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/workflows"
)

// PreviewLink is a made preview link.
type PreviewLink struct {
	ID      string            `json:"id"`
	Slug    string            `json:"slug"`
	Token   string            `json:"token"`
	Paths   map[string]string `json:"paths"` // locale → path on the reader site
	Locales []string          `json:"locales"`
	Expires time.Time         `json:"expires"`
	Skipped []string          `json:"skipped,omitempty"` // locales with no draft yet
}

// Preview makes a signed, expiring link to the running report's current
// drafts: every locale that has a draft, or only locale. The drafts are
// the ones the report's status query names now; a later edit needs a new
// link.
func (s *Service) Preview(ctx context.Context, slug, locale string, ttl time.Duration, by string) (PreviewLink, error) {
	if ttl < preview.MinTTL || ttl > preview.MaxTTL {
		return PreviewLink{}, &RefusedError{Reason: fmt.Sprintf("a preview link lives from %s to %s; %s was asked", preview.MinTTL, preview.MaxTTL, ttl)}
	}
	if strings.TrimSpace(by) == "" {
		return PreviewLink{}, &RefusedError{Reason: "a preview link needs who makes it (--as)"}
	}
	st, err := s.Status(ctx, slug)
	if err != nil {
		return PreviewLink{}, err
	}
	if st.Source.SHA256 == "" || st.Stage == workflows.StagePublished || st.Stage == workflows.StageFailed || st.Stage == workflows.StageCancelled {
		return PreviewLink{}, &RefusedError{Reason: fmt.Sprintf("%s is %s: a preview shows the drafts of a report in progress (its release is on the reader site)", slug, st.Stage)}
	}
	now := time.Now()
	c := preview.Claims{ID: preview.NewID(), Slug: slug, Source: st.Source.SHA256, Drafts: map[string]string{},
		Issued: now.UnixNano(), Expires: now.Add(ttl).Unix(), By: by}
	var skipped []string
	if locale == "" || locale == st.SourceLocale {
		c.Locales = append(c.Locales, st.SourceLocale)
	}
	for _, ls := range st.Locales {
		if locale != "" && ls.Locale != locale {
			continue
		}
		if ls.Draft.SHA256 == "" {
			skipped = append(skipped, ls.Locale)
			continue
		}
		c.Locales = append(c.Locales, ls.Locale)
		c.Drafts[ls.Locale] = ls.Draft.SHA256
	}
	if locale != "" && !slices.Contains(c.Locales, locale) {
		if slices.Contains(skipped, locale) {
			return PreviewLink{}, &RefusedError{Reason: fmt.Sprintf("%s has no %s draft yet; preview it when it is drafted", slug, locale)}
		}
		return PreviewLink{}, fmt.Errorf("%s has no locale %s: %w", slug, locale, ErrNotFound)
	}
	key, err := s.previewKeys().Key(ctx)
	if err != nil {
		return PreviewLink{}, err
	}
	tok, err := preview.Sign(key, c)
	if err != nil {
		return PreviewLink{}, err
	}
	out := PreviewLink{ID: c.ID, Slug: slug, Token: tok, Paths: map[string]string{}, Locales: c.Locales, Expires: c.ExpiresAt(), Skipped: skipped}
	for _, l := range c.Locales {
		out.Paths[l] = preview.Path(tok, l, slug)
	}
	return out, nil
}

// RevokePreviewID stops one preview link, by its ID.
func (s *Service) RevokePreviewID(ctx context.Context, id, by string) (preview.Revocation, error) {
	if strings.TrimSpace(by) == "" {
		return preview.Revocation{}, &RefusedError{Reason: "revoking a preview needs who revokes it"}
	}
	return preview.RevokeID(ctx, s.Store, id, by, time.Now())
}

// RevokePreviewSlug stops every preview link of a report made until now.
// The report must be known — released, or with a workflow — so a typo
// does not look like a revocation.
func (s *Service) RevokePreviewSlug(ctx context.Context, slug, by string) (preview.Revocation, error) {
	if strings.TrimSpace(by) == "" {
		return preview.Revocation{}, &RefusedError{Reason: "revoking a preview needs who revokes it"}
	}
	known, err := s.knownReport(ctx, slug)
	if err != nil {
		return preview.Revocation{}, err
	}
	if !known {
		return preview.Revocation{}, fmt.Errorf("report %q has no release and no workflow: %w", slug, ErrNotFound)
	}
	return preview.RevokeSlug(ctx, s.Store, slug, by, time.Now())
}

// RevokePreview stops what idOrSlug names, for the CLI that takes
// either: a known report's slug (every link made so far), else a link ID.
// It says which through the revocation (Slug or ID set).
func (s *Service) RevokePreview(ctx context.Context, idOrSlug, by string) (preview.Revocation, error) {
	if strings.TrimSpace(idOrSlug) == "" || strings.TrimSpace(by) == "" {
		return preview.Revocation{}, &RefusedError{Reason: "revoking a preview needs a link ID or a slug, and who revokes it"}
	}
	known, err := s.knownReport(ctx, idOrSlug)
	if err != nil {
		return preview.Revocation{}, err
	}
	switch {
	case known:
		return preview.RevokeSlug(ctx, s.Store, idOrSlug, by, time.Now())
	case preview.IDPattern.MatchString(idOrSlug):
		return preview.RevokeID(ctx, s.Store, idOrSlug, by, time.Now())
	}
	return preview.Revocation{}, fmt.Errorf("%q is neither a preview link ID (16 hex digits) nor a report with a release or a workflow: %w", idOrSlug, ErrNotFound)
}

// knownReport says whether slug has a release or a workflow (running or
// ended, while Temporal keeps it).
func (s *Service) knownReport(ctx context.Context, slug string) (bool, error) {
	if _, err := s.Store.Get(ctx, store.LatestKey(slug)); err == nil {
		return true, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	_, err := s.Temporal.DescribeWorkflow(ctx, workflows.ReportID(slug), "")
	var nf *serviceerror.NotFound
	switch {
	case errors.As(err, &nf):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}
