package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pressroom/pressroom/internal/preview"
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
	keys := s.Previews
	if keys == nil {
		keys = &preview.Keys{Store: s.Store}
	}
	key, err := keys.Key(ctx)
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

// RevokePreview stops one preview link (its ID) or every link made so
// far for a report (its slug).
func (s *Service) RevokePreview(ctx context.Context, idOrSlug, by string) (preview.Revocation, error) {
	if strings.TrimSpace(idOrSlug) == "" || strings.TrimSpace(by) == "" {
		return preview.Revocation{}, &RefusedError{Reason: "revoking a preview needs a link ID or a slug, and who revokes it"}
	}
	return preview.Revoke(ctx, s.Store, idOrSlug, by, time.Now())
}
