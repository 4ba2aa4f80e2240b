// Package release turns an approved report into the objects of one
// immutable release: pages, Markdown and go-i18n catalogs per locale, and
// the manifest that lists them. It does no I/O; the Publish activity
// writes what it builds.
package release

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/pressroom/pressroom/internal/catalog"
	"github.com/pressroom/pressroom/internal/render"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/store"
)

// Cache-Control values: release objects never change; pointers and the
// reader site do.
const (
	CacheImmutable = "public, max-age=31536000, immutable"
	CacheMutable   = "public, max-age=60, must-revalidate"
)

// Approval records who approved a locale (or, with Locale "", the report).
type Approval struct {
	Locale string    `json:"locale,omitempty"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
}

// Input is everything one release is made of.
type Input struct {
	Source       report.Report
	SourceSHA256 string
	Translations []report.Translation // one per target, in target order
	DraftSHA256  []string             // sha256 of each translation draft, same order
	Approvals    []Approval
	PublishedAt  time.Time
	Version      int
	// Previous is the provenance of the release before this one, to
	// carry each unchanged segment's first approval; nil for the first.
	Previous Previous
}

// File is one object to write.
type File struct {
	Key  string
	Body []byte
	Meta store.Meta
}

// Manifest lists every object of a release and what went into it.
type Manifest struct {
	Slug         string            `json:"slug"`
	Version      int               `json:"version"`
	Content      string            `json:"content"` // ContentID of the inputs
	SourceLocale string            `json:"source_locale"`
	SourceSHA256 string            `json:"source_sha256"`
	Locales      []string          `json:"locales"` // source first
	Date         string            `json:"date,omitempty"`
	PublishedAt  time.Time         `json:"published_at"`
	Titles       map[string]string `json:"titles"`
	Summaries    map[string]string `json:"summaries,omitempty"`
	Approvals    []Approval        `json:"approvals"`
	// Drafts are the approved translation drafts the release was made from.
	Drafts  []Draft        `json:"drafts"`
	Objects []store.Object `json:"objects"`
}

// Draft names one approved translation draft.
type Draft struct {
	Locale string `json:"locale"`
	Key    string `json:"key"`
	SHA256 string `json:"sha256"`
}

// Claim reserves a version number for one content: the first object of a
// release, written with If-None-Match. Besides the content it records
// everything else the release's bytes depend on — the publish time, the
// approvals and the drafts — so a publish that meets its own content's
// claim, even a day later from another run, rebuilds byte-identical
// objects (see Stamp) and converges instead of conflicting.
type Claim struct {
	Slug        string     `json:"slug"`
	Version     int        `json:"version"`
	Content     string     `json:"content"`
	PublishedAt time.Time  `json:"published_at"`
	Approvals   []Approval `json:"approvals"`
	Drafts      []string   `json:"drafts"` // sha256 of each translation draft, in target order
}

// Stamped reports whether the claim records what its release's bytes
// depend on. Claims written before it did cannot be finished by another
// run: their version is skipped like any abandoned one.
func (c Claim) Stamped() bool { return !c.PublishedAt.IsZero() }

// Stamp makes in build the release the claim reserved: same version,
// publish time, approvals and drafts. The content must be the claim's.
func (in Input) Stamp(c Claim) (Input, error) {
	if c.Content != in.ContentID() || !c.Stamped() || len(c.Drafts) != len(in.Translations) {
		return in, fmt.Errorf("release: claim %s v%d is for other content", c.Slug, c.Version)
	}
	in.Version = c.Version
	in.PublishedAt = c.PublishedAt
	in.Approvals = slices.Clone(c.Approvals)
	in.DraftSHA256 = slices.Clone(c.Drafts)
	return in, nil
}

// Latest is the pointer object releases/<slug>/latest.json.
type Latest struct {
	Version  int    `json:"version"`
	Manifest string `json:"manifest"`
}

// ContentID identifies what readers get from a release: the source
// revision and the approved text of every segment in every locale. Where
// a text came from (memory, MT, a person) does not change it, so
// publishing the same texts again is a no-op.
func (in Input) ContentID() string {
	h := sha256.New()
	fmt.Fprintf(h, "source %s\n", in.SourceSHA256)
	for _, t := range in.Translations {
		fmt.Fprintf(h, "locale %q\n", t.Locale)
		for _, s := range t.Segments {
			fmt.Fprintf(h, "%q %q\n", s.ID, s.Text)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Locales lists the release's locales, source first.
func (in Input) Locales() []string {
	out := []string{in.Source.Source}
	for _, t := range in.Translations {
		out = append(out, t.Locale)
	}
	return out
}

// Localized returns the report with every segment's text in locale.
func (in Input) Localized(locale string) (report.Report, error) {
	if locale == in.Source.Source {
		return in.Source, nil
	}
	for _, t := range in.Translations {
		if t.Locale != locale {
			continue
		}
		texts := make(map[string]string, len(t.Segments))
		for _, s := range t.Segments {
			texts[s.ID] = s.Text
		}
		out := in.Source
		out.Segments = make([]report.Segment, len(in.Source.Segments))
		for i, s := range in.Source.Segments {
			text, ok := texts[s.ID]
			if !ok {
				return report.Report{}, fmt.Errorf("release: %s translation has no text for segment %s", locale, s.ID)
			}
			s.Text = text
			out.Segments[i] = s
		}
		return out, nil
	}
	return report.Report{}, fmt.Errorf("release: no translation for %s", locale)
}

// Build renders every object of the release except the manifest, and the
// manifest itself last, listing them.
func Build(in Input) ([]File, Manifest, error) {
	slug, v := in.Source.Slug, in.Version
	locales := in.Locales()
	m := Manifest{
		Slug: slug, Version: v,
		Content:      in.ContentID(),
		SourceLocale: in.Source.Source, SourceSHA256: in.SourceSHA256,
		Locales: locales, Date: in.Source.Date, PublishedAt: in.PublishedAt,
		Titles: map[string]string{}, Summaries: map[string]string{}, Approvals: in.Approvals,
	}
	for i, t := range in.Translations {
		m.Drafts = append(m.Drafts, Draft{Locale: t.Locale, Key: store.DraftKey(slug, in.SourceSHA256, t.Locale, in.DraftSHA256[i]), SHA256: in.DraftSHA256[i]})
	}
	// The claim comes first: whoever writes it owns version v. A retry of
	// the same publish meets its own claim and goes on; different content
	// finds the number taken and moves to the next one.
	claim, err := claimFile(in)
	if err != nil {
		return nil, Manifest{}, err
	}
	files := []File{claim}
	// Each locale's objects are rendered apart from the others: at once,
	// then put in locale order, so the bytes never depend on the timing.
	built := make([]localeFiles, len(locales))
	var wg sync.WaitGroup
	for i, locale := range locales {
		wg.Go(func() {
			// A panic here is not in the activity's goroutine, where the
			// SDK would catch it: it fails this build, not the worker.
			defer func() {
				if r := recover(); r != nil {
					built[i] = localeFiles{err: fmt.Errorf("release: rendering %s panicked: %v\n%s", locale, r, debug.Stack())}
				}
			}()
			built[i] = in.buildLocale(locale, locales)
		})
	}
	wg.Wait()
	for i, b := range built {
		if b.err != nil {
			return nil, Manifest{}, b.err
		}
		m.Titles[locales[i]] = b.title
		if b.summary != "" {
			m.Summaries[locales[i]] = b.summary
		}
		files = append(files, b.files...)
	}
	for _, f := range files {
		m.Objects = append(m.Objects, store.Object{
			Key: f.Key, SHA256: store.SHA256(f.Body), Size: int64(len(f.Body)),
			Type: f.Meta.ContentType, Language: f.Meta.ContentLanguage,
		})
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, Manifest{}, err
	}
	files = append(files, File{Key: store.ManifestKey(slug, v), Body: mb,
		Meta: store.Meta{ContentType: "application/json", CacheControl: CacheImmutable}})
	return files, m, nil
}

// claimFile is the claim of in's version: the first object of the
// release (Build's files[0]), which can be written before the rest is
// rendered.
func claimFile(in Input) (File, error) {
	claim, err := json.Marshal(Claim{Slug: in.Source.Slug, Version: in.Version, Content: in.ContentID(),
		PublishedAt: in.PublishedAt, Approvals: in.Approvals, Drafts: in.DraftSHA256})
	if err != nil {
		return File{}, err
	}
	return File{Key: store.ReleaseClaimKey(in.Source.Slug, in.Version), Body: claim,
		Meta: store.Meta{ContentType: "application/json", CacheControl: CacheImmutable}}, nil
}

type localeFiles struct {
	title, summary string
	files          []File
	err            error
}

// buildLocale renders one locale's objects of the release: its page, its
// Markdown, its catalogs and (for a target) its provenance.
func (in Input) buildLocale(locale string, locales []string) localeFiles {
	slug, v := in.Source.Slug, in.Version
	var out localeFiles
	fail := func(err error) localeFiles { return localeFiles{err: err} }
	add := func(key string, body []byte, ctype string) {
		out.files = append(out.files, File{Key: key, Body: body, Meta: store.Meta{ContentType: ctype, ContentLanguage: locale, CacheControl: CacheImmutable}})
	}
	loc, err := in.Localized(locale)
	if err != nil {
		return fail(err)
	}
	out.title, out.summary = loc.Title(), loc.Summary()
	page := render.Page{Report: loc, Locale: locale, Locales: locales, PublishedAt: in.PublishedAt}
	html, err := render.Report(page)
	if err != nil {
		return fail(fmt.Errorf("release: render %s page: %w", locale, err))
	}
	add(store.ReleasePageKey(slug, v, locale), html, "text/html; charset=utf-8")
	md, err := render.Markdown(page)
	if err != nil {
		return fail(fmt.Errorf("release: render %s markdown: %w", locale, err))
	}
	add(store.ReleaseMarkdownKey(slug, v, locale), md, "text/markdown; charset=utf-8")

	texts := make(map[string]string, len(loc.Segments))
	for _, s := range loc.Segments {
		texts[s.ID] = s.Text
	}
	msgs, err := catalog.Build(in.Source, locale, texts)
	if err != nil {
		return fail(fmt.Errorf("release: %s catalog: %w", locale, err))
	}
	toml, err := catalog.TOML(msgs)
	if err != nil {
		return fail(fmt.Errorf("release: %s catalog: %w", locale, err))
	}
	add(store.ReleaseCatalogKey(slug, v, locale, "toml"), toml, "application/toml; charset=utf-8")
	js, err := catalog.JSON(msgs)
	if err != nil {
		return fail(fmt.Errorf("release: %s catalog: %w", locale, err))
	}
	add(store.ReleaseCatalogKey(slug, v, locale, "json"), js, "application/json")
	if locale != in.Source.Source {
		pb, err := json.Marshal(in.provenance(locale, loc))
		if err != nil {
			return fail(err)
		}
		add(store.ReleaseProvenanceKey(slug, v, locale), pb, "application/json")
	}
	return out
}

// LatestFile is the pointer to a release.
func LatestFile(m Manifest) (File, error) {
	b, err := json.Marshal(Latest{Version: m.Version, Manifest: store.ManifestKey(m.Slug, m.Version)})
	if err != nil {
		return File{}, err
	}
	return File{Key: store.LatestKey(m.Slug), Body: b,
		Meta: store.Meta{ContentType: "application/json", CacheControl: "no-cache"}}, nil
}

// SitePages are the stable reader URLs: copies of the release's pages.
func SitePages(files []File, m Manifest) []File {
	var out []File
	for _, locale := range m.Locales {
		key := store.ReleasePageKey(m.Slug, m.Version, locale)
		for _, f := range files {
			if f.Key == key {
				out = append(out, File{Key: store.SitePageKey(locale, m.Slug), Body: f.Body,
					Meta: store.Meta{ContentType: f.Meta.ContentType, ContentLanguage: locale, CacheControl: CacheMutable}})
			}
		}
	}
	return out
}
