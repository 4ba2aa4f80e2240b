// Package releasetest publishes small releases straight into a bucket for
// package tests of what reads them (rollback, unpublish, the reader site):
// the release objects, the pointer, the site pages and the list entries,
// in the order the publish activity writes them, without Temporal.
package releasetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/sitelist"
	"github.com/pressroom/pressroom/internal/store"
)

// Publish writes release v of slug with the given target locales (the
// source is "en") and makes it the one served.
func Publish(t testing.TB, st *store.Store, slug string, v int, targets []string, at time.Time) release.Manifest {
	t.Helper()
	ctx := context.Background()
	md := fmt.Sprintf("---\ntitle: Report %s v%d\nslug: %s\ndate: 2026-06-01\nsummary: About %s.\n---\n\nFirst paragraph of %s.\n", slug, v, slug, slug, slug)
	src, err := report.Parse(slug+".md", []byte(md), report.Options{Targets: targets})
	if err != nil {
		t.Fatal(err)
	}
	sb, _ := json.Marshal(src)
	in := release.Input{Source: *src, SourceSHA256: store.SHA256(sb), PublishedAt: at, Version: v}
	for _, l := range targets {
		tr := report.Translation{Slug: slug, Source: src.Source, Locale: l, SourceSHA256: in.SourceSHA256}
		for _, seg := range src.Segments {
			tr.Segments = append(tr.Segments, report.TranslatedSegment{ID: seg.ID, Text: "[" + l + "] " + seg.Text, Provenance: "mt:pseudo"})
		}
		db, _ := json.Marshal(tr)
		in.Translations = append(in.Translations, tr)
		in.DraftSHA256 = append(in.DraftSHA256, store.SHA256(db))
		in.Approvals = append(in.Approvals, release.Approval{Locale: l, By: "rev-" + l, At: at})
	}
	files, m, err := release.Build(in)
	if err != nil {
		t.Fatal(err)
	}
	ptr, err := release.LatestFile(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(append(files, ptr), release.SitePages(files, m)...) {
		if _, err := st.Put(ctx, f.Key, f.Body, f.Meta); err != nil {
			t.Fatal(err)
		}
	}
	list := sitelist.List{Store: st}
	for _, l := range m.Locales {
		e := sitelist.Entry{Slug: slug, Title: m.Titles[l], Summary: m.Summaries[l], Date: m.Date, PublishedAt: m.PublishedAt, Version: v, Locales: m.Locales}
		if err := list.Add(ctx, l, e, m.Locales); err != nil {
			t.Fatal(err)
		}
	}
	return m
}
