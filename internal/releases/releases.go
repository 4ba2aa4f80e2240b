// Package releases reads a report's release history and moves what the
// reader site serves between releases (rollback) without rewriting any
// release object. Every move is recorded as an immutable history object.
package releases

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/sitelist"
	"github.com/pressroom/pressroom/internal/store"
)

// ErrNotFound says the report or the release does not exist.
var ErrNotFound = errors.New("no such release")

// RefusedError says the move was understood and makes no sense in the
// report's state (already served, already unpublished, no reason given).
// Type names the kind of refusal for API clients ("" for bad input).
type RefusedError struct {
	Type   string
	Reason string
}

func (e *RefusedError) Error() string { return e.Reason }

// The kinds of refusal, the "type" of an API 409.
const (
	ReasonRequired      = "ReasonRequired"      // no --as or no --reason
	ReasonTooLong       = "ReasonTooLong"       // the reason is over MaxReason
	AlreadyUnpublished  = "AlreadyUnpublished"  // nothing left to withdraw
	RollbackDropsLocale = "RollbackDropsLocale" // the target release lacks a locale the served one has
	ServedChanged       = "ServedChanged"       // RollbackFrom: another version is served than the caller saw
)

func refusedAs(typ, format string, args ...any) error {
	return &RefusedError{Type: typ, Reason: fmt.Sprintf(format, args...)}
}

// Summary is one release of a report.
type Summary struct {
	Version     int                `json:"version"`
	PublishedAt time.Time          `json:"published_at,omitzero"`
	Locales     []string           `json:"locales,omitempty"`
	Approvals   []release.Approval `json:"approvals,omitempty"`
	Current     bool               `json:"current,omitempty"` // latest.json points here
	Complete    bool               `json:"complete"`          // its manifest exists and every object matches it
	Problem     string             `json:"problem,omitempty"` // why not complete
}

// Move records a change of what is served: a rollback or an unpublish.
type Move struct {
	Action  string    `json:"action"` // "rollback", "unpublish" or "republish" (a rollback to the served release)
	Slug    string    `json:"slug"`
	From    int       `json:"from"`
	To      int       `json:"to"`                // 0 for an unpublish
	Locales []string  `json:"locales,omitempty"` // unpublish: the pages withdrawn; republish: put back
	By      string    `json:"by"`
	At      time.Time `json:"at"`
	Reason  string    `json:"reason"`
}

// List returns every release of slug, oldest first, with the moves made.
func List(ctx context.Context, st *store.Store, slug string) ([]Summary, []Move, error) {
	prefix := store.ReportReleasesPrefix(slug)
	keys, err := st.ListKeys(ctx, prefix)
	if err != nil {
		return nil, nil, err
	}
	var latest release.Latest
	if err := st.GetJSON(ctx, store.LatestKey(slug), &latest); err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, nil, err
	}
	var out []Summary
	var moves []Move
	for _, k := range keys {
		rest := strings.TrimPrefix(k, prefix)
		if strings.HasPrefix(rest, "history/") {
			var m Move
			if err := st.GetJSON(ctx, k, &m); err != nil {
				return nil, nil, err
			}
			moves = append(moves, m)
			continue
		}
		vs, file, ok := strings.Cut(rest, "/")
		if !ok || file != "claim.json" || !strings.HasPrefix(vs, "v") {
			continue
		}
		v, err := strconv.Atoi(vs[1:])
		if err != nil {
			continue
		}
		s := Summary{Version: v, Current: v == latest.Version}
		if m, err := Complete(ctx, st, slug, v); err != nil {
			s.Problem = err.Error()
		} else {
			s.Complete, s.PublishedAt, s.Locales, s.Approvals = true, m.PublishedAt, m.Locales, m.Approvals
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Summary) int { return a.Version - b.Version })
	return out, moves, nil
}

// Complete reads release v's manifest and checks every object against it.
func Complete(ctx context.Context, st *store.Store, slug string, v int) (release.Manifest, error) {
	var m release.Manifest
	if err := st.GetJSON(ctx, store.ManifestKey(slug, v), &m); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return m, fmt.Errorf("v%d of %s is unfinished (no manifest): %w", v, slug, ErrNotFound)
		}
		return m, err
	}
	for _, o := range m.Objects {
		b, err := st.Get(ctx, o.Key)
		if err != nil {
			return m, fmt.Errorf("v%d of %s: %s: %w", v, slug, o.Key, err)
		}
		if store.SHA256(b) != o.SHA256 {
			return m, fmt.Errorf("v%d of %s: %s does not match its manifest", v, slug, o.Key)
		}
	}
	return m, nil
}

// Rollback makes release `to` of slug the one readers get: latest.json,
// the site pages and the locale lists. No release object is written. The
// pointer is moved with If-Match, so a rollback racing another change of
// the pointer fails rather than overwrite it; the move is recorded under
// releases/<slug>/history/. Rolling back to the served release rewrites
// its pages, so a rollback stopped after the pointer moved is finished by
// running it again. The caller makes sure no publish of slug is running.
func Rollback(ctx context.Context, st *store.Store, slug string, to int, by, reason string, now time.Time) (Move, error) {
	return RollbackFrom(ctx, st, slug, 0, to, by, reason, now)
}

// RollbackFrom is Rollback made from a page that showed v`from` served:
// it is refused (ServedChanged) when another version is served now, so a
// stale form does not rewrite what someone else just moved. from 0 skips
// the check.
func RollbackFrom(ctx context.Context, st *store.Store, slug string, from, to int, by, reason string, now time.Time) (Move, error) {
	if strings.TrimSpace(by) == "" || strings.TrimSpace(reason) == "" {
		return Move{}, refusedAs(ReasonRequired, "a rollback needs who (--as) and why (--reason)")
	}
	lb, etag, err := st.GetWithETag(ctx, store.LatestKey(slug))
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return Move{}, fmt.Errorf("%s has never been published: %w", slug, ErrNotFound)
		}
		return Move{}, err
	}
	var cur release.Latest
	if err := json.Unmarshal(lb, &cur); err != nil {
		return Move{}, fmt.Errorf("%s: %w", store.LatestKey(slug), err)
	}
	// Rolling "back" to the current release is how an unpublished report
	// is published again, and how a rollback stopped after it moved the
	// pointer (pages not yet written) is finished: it rewrites the served
	// release's pages and list entries, which is harmless when they are
	// already right.
	if len(reason) > MaxReason {
		return Move{}, refusedAs(ReasonTooLong, "the reason is %d bytes; at most %d", len(reason), MaxReason)
	}
	if from != 0 && cur.Version != from {
		return Move{}, refusedAs(ServedChanged, "%s serves v%d now, not v%d: it changed since the page was shown", slug, cur.Version, from)
	}
	m, err := Complete(ctx, st, slug, to)
	if err != nil {
		return Move{}, err
	}
	withdrawn, err := Unpublished(ctx, st, slug)
	if err != nil {
		return Move{}, err
	}
	var gone []string // the withdrawn pages this rollback puts back
	for _, l := range withdrawn {
		if slices.Contains(m.Locales, l) {
			gone = append(gone, l)
		}
	}
	var curM release.Manifest
	if err := st.GetJSON(ctx, cur.Manifest, &curM); err == nil {
		for _, l := range curM.Locales {
			if !slices.Contains(m.Locales, l) {
				return Move{}, refusedAs(RollbackDropsLocale, "v%d of %s has no %s page and v%d has: a rollback would leave v%d's %s page served", to, slug, l, cur.Version, cur.Version, l)
			}
		}
	}
	mv := Move{Action: "rollback", Slug: slug, From: cur.Version, To: to, By: by, At: now.UTC(), Reason: reason}
	if cur.Version == to {
		// The served release again: where it was unpublished, or its
		// pages rewritten.
		mv.Action, mv.Locales = "republish", gone
	}
	// Recorded first: a move that fails half-way is still on record.
	rec, _ := json.Marshal(mv)
	if _, err := st.PutImmutable(ctx, historyKey(slug, mv.At, mv.Action), rec, store.Meta{ContentType: "application/json", CacheControl: release.CacheImmutable}); err != nil {
		return Move{}, err
	}
	ptr, err := release.LatestFile(m)
	if err != nil {
		return Move{}, err
	}
	if cur.Version != to {
		if _, err := st.PutIfMatch(ctx, ptr.Key, ptr.Body, ptr.Meta, etag); err != nil {
			if errors.Is(err, store.ErrChanged) {
				return Move{}, fmt.Errorf("%s changed while rolling back (a publish?); nothing was moved: %w", store.LatestKey(slug), err)
			}
			return Move{}, err
		}
	}
	var pages []release.File
	for _, l := range m.Locales {
		key := store.ReleasePageKey(slug, to, l)
		b, err := st.Get(ctx, key)
		if err != nil {
			return Move{}, err
		}
		pages = append(pages, release.File{Key: key, Body: b, Meta: store.Meta{ContentType: "text/html; charset=utf-8", ContentLanguage: l}})
	}
	for _, f := range release.SitePages(pages, m) {
		if _, err := st.Put(ctx, f.Key, f.Body, f.Meta); err != nil {
			return Move{}, err
		}
	}
	list := sitelist.List{Store: st}
	for _, l := range m.Locales {
		if err := list.Add(ctx, l, ListEntry(m, l), m.Locales); err != nil {
			return Move{}, err
		}
	}
	// The pages are back: their tombstones go (a page, when present, is
	// served whatever its tombstone says; this only keeps the state plain).
	for _, l := range gone {
		if err := st.Delete(ctx, store.WithdrawnKey(slug, l)); err != nil {
			return Move{}, err
		}
	}
	return mv, nil
}

func historyKey(slug string, at time.Time, action string) string {
	return store.ReleaseHistoryKey(slug, at.Format("20060102T150405.000000000Z"), action)
}
