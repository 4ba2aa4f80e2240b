package releases

import (
	"context"
	"fmt"
	"slices"

	"github.com/pressroom/pressroom/internal/catalog"
	"github.com/pressroom/pressroom/internal/store"
)

// LocaleChanges are the segments of one locale that differ from the
// previous release, by segment ID.
type LocaleChanges struct {
	Locale  string   `json:"locale"`
	Added   []string `json:"added,omitempty"`
	Changed []string `json:"changed,omitempty"`
	Removed []string `json:"removed,omitempty"`
	// New says the previous release had no page in this locale (every
	// segment is Added); Dropped that this release has none (every one
	// Removed).
	New     bool `json:"new,omitempty"`
	Dropped bool `json:"dropped,omitempty"`
}

// Unchanged says the locale's text is the same as before.
func (c LocaleChanges) Unchanged() bool {
	return len(c.Added)+len(c.Changed)+len(c.Removed) == 0 && !c.New && !c.Dropped
}

// Change is what one release changed from the previous complete one.
type Change struct {
	Version int             `json:"version"`
	From    int             `json:"from,omitempty"` // 0 for the first release
	Locales []LocaleChanges `json:"locales,omitempty"`
	Problem string          `json:"problem,omitempty"` // a catalog could not be read
}

// DiffMessages compares one locale's catalog in two releases. A segment
// is changed when its text, its kind or (in a target locale) the hash of
// the source it translates differs: a changed source with an unchanged
// translation still counts, since the translation was approved again.
func DiffMessages(locale string, prev, cur []catalog.Message) LocaleChanges {
	out := LocaleChanges{Locale: locale}
	before := make(map[string]catalog.Message, len(prev))
	for _, m := range prev {
		before[m.ID] = m
	}
	seen := make(map[string]bool, len(cur))
	for _, m := range cur {
		seen[m.ID] = true
		old, ok := before[m.ID]
		switch {
		case !ok:
			out.Added = append(out.Added, m.ID)
		case old.Text != m.Text || old.Hash != m.Hash || old.Description != m.Description:
			out.Changed = append(out.Changed, m.ID)
		}
	}
	for _, m := range prev {
		if !seen[m.ID] {
			out.Removed = append(out.Removed, m.ID)
		}
	}
	return out
}

// Changes says, for every complete release in rs (oldest first, as List
// returns them), what changed from the complete release before it. It
// reads each release's JSON catalogs; one that cannot be read is a
// Problem of that release, not an error of the list.
func Changes(ctx context.Context, st *store.Store, slug string, rs []Summary) []Change {
	var out []Change
	var prev *Summary
	var prevMsgs map[string][]catalog.Message
	for i := range rs {
		r := &rs[i]
		if !r.Complete {
			continue
		}
		c := Change{Version: r.Version}
		msgs, err := releaseMessages(ctx, st, slug, r.Version, r.Locales)
		if err != nil {
			c.Problem = err.Error()
			out = append(out, c)
			continue
		}
		if prev != nil {
			c.From = prev.Version
		}
		c.Locales = diffReleases(r.Locales, prevLocales(prev), prevMsgs, msgs)
		out = append(out, c)
		prev, prevMsgs = r, msgs
	}
	return out
}

func prevLocales(s *Summary) []string {
	if s == nil {
		return nil
	}
	return s.Locales
}

// diffReleases compares every locale of two releases: the current ones in
// order, then the locales only the previous one had.
func diffReleases(cur, prev []string, prevMsgs, curMsgs map[string][]catalog.Message) []LocaleChanges {
	var out []LocaleChanges
	for _, l := range cur {
		c := DiffMessages(l, prevMsgs[l], curMsgs[l])
		c.New = !slices.Contains(prev, l)
		out = append(out, c)
	}
	for _, l := range prev {
		if !slices.Contains(cur, l) {
			c := DiffMessages(l, prevMsgs[l], nil)
			c.Dropped = true
			out = append(out, c)
		}
	}
	return out
}

func releaseMessages(ctx context.Context, st *store.Store, slug string, v int, locales []string) (map[string][]catalog.Message, error) {
	out := make(map[string][]catalog.Message, len(locales))
	for _, l := range locales {
		key := store.ReleaseCatalogKey(slug, v, l, "json")
		b, err := st.Get(ctx, key)
		if err != nil {
			return nil, err
		}
		mf, err := catalog.Parse("active."+l+".json", b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		out[l] = catalog.Messages(mf)
	}
	return out, nil
}
