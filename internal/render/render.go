// Package render turns approved reports into reader pages: HTML5 pages for
// site/<locale>/<slug>/, the per-locale list of reports, and report.md.
//
// Report text is data. It reaches the output only through InlineHTML (or
// html/template escaping); chrome comes from the locales catalogs. Output is
// a pure function of the input, so re-publishing identical input produces
// identical bytes (release objects are immutable and compared by content).
package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/locales"
)

// Page is one report in one locale.
type Page struct {
	Report      report.Report // segments' Text already in the page's locale (source text for the source locale); Format says markdown or text
	Locale      string        // the page's locale (BCP 47)
	Locales     []string      // every locale this report is published in, source first, for the language switcher
	PublishedAt time.Time
	BaseURL     string // optional absolute site base for hreflang hrefs; when "" use relative links like "../../fr/<slug>/"
	// Preview, when set, renders the page as a preview of unpublished
	// drafts: a visible banner, robots noindex, no canonical link.
	Preview *Preview
}

// Preview says a page shows drafts, not a release.
type Preview struct {
	Expires time.Time
	By      string
}

// IndexEntry is one report in a locale's list. Title and Summary are plain
// text (see PlainText). Date (YYYY-MM-DD) is used when PublishedAt is zero.
type IndexEntry struct {
	Slug, Title, Summary, Date string
	PublishedAt                time.Time
}

var tmpl = template.Must(template.New("page").Parse(strings.NewReplacer(
	"%CSP%", contentSecurityPolicy,
	"%STYLE%", pageStyle,
	"%SCRIPT%", sizeScript,
).Replace(templates)))

// Report renders the full HTML page for site/<locale>/<slug>/index.html.
func Report(p Page) ([]byte, error) {
	if err := checkPage(p); err != nil {
		return nil, err
	}
	l := locales.Localizer(p.Locale)
	t := newTranslator(l)
	r := p.Report
	format := r.Format

	d := reportData{
		chrome:     chromeData(t, p.Locale),
		Title:      r.Slug,
		Content:    blocks(r.Segments, format),
		BackToList: t.msg("BackToList", nil),
		ListHref:   "../",
		TextSize:   t.msg("TextSize", nil),
		TextSmall:  t.msg("TextSizeSmall", nil),
		TextMedium: t.msg("TextSizeMedium", nil),
		TextLarge:  t.msg("TextSizeLarge", nil),
	}
	if seg, ok := first(r.Segments, report.KindTitle); ok {
		d.TitleHTML = InlineHTML(seg.Text, format)
		d.Title = PlainText(seg.Text, format)
	} else {
		d.TitleHTML = template.HTML(template.HTMLEscapeString(r.Slug))
	}
	if seg, ok := first(r.Segments, report.KindSummary); ok {
		d.SummaryHTML = InlineHTML(seg.Text, format)
		d.Description = PlainText(seg.Text, format)
	}

	source := sourceLocale(p)
	for _, loc := range pageLocales(p) {
		href := reportHref(p.BaseURL, loc, r.Slug)
		d.Alternates = append(d.Alternates, alternate{Hreflang: loc, Href: href})
		ll := langLink{Code: loc, Name: locales.Autonym(loc), Href: href, Dir: locales.Direction(loc), Current: loc == p.Locale}
		d.Switcher = append(d.Switcher, ll)
		if loc == source && loc != p.Locale {
			d.Original = &original{langLink: ll}
			d.Original.Before, d.Original.After = t.around("OriginalVersion", "Language")
		}
	}
	d.Alternates = append(d.Alternates, alternate{Hreflang: "x-default", Href: reportHref(p.BaseURL, source, r.Slug)})
	// Relative without a base: site/<locale>/<slug>/ resolves it to its
	// own URL on whatever host serves the site.
	d.Canonical = reportHref(p.BaseURL, p.Locale, r.Slug)
	if p.BaseURL != "" {
		// Absolute links keep working from the release copy, which lives
		// under releases/<slug>/v<N>/<locale>/ rather than site/.
		d.ListHref = strings.TrimRight(p.BaseURL, "/") + "/" + url.PathEscape(p.Locale) + "/"
	}
	if p.Preview != nil {
		d.Canonical, d.Robots = "", "noindex, nofollow"
		// A preview lives at /preview/<token>/<locale>/<slug>/; its list
		// is the reader site's.
		d.ListHref = "/" + url.PathEscape(p.Locale) + "/"
		d.Preview = &previewBanner{Label: t.msg("PreviewLabel", nil),
			Text: t.msg("PreviewBanner", map[string]any{"Expires": p.Preview.Expires.UTC().Format("2006-01-02 15:04 MST")})}
		if p.Preview.By != "" {
			d.Preview.Text += " " + t.msg("PreviewBannerBy", map[string]any{"By": p.Preview.By})
		}
	}

	if published := publishedTime(p.PublishedAt, r.Date); !published.IsZero() {
		d.Published = &dateLine{
			Datetime: published.Format(time.DateOnly),
			Text:     locales.FormatDate(p.Locale, published),
		}
		// Only the date goes inside <time>.
		d.Published.Before, d.Published.After = t.around("PublishedOn", "Date")
	}
	d.ReadingTime = t.count("ReadingTime", readingMinutes(r.Segments, format))

	if t.err != nil {
		return nil, t.err
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "report", d); err != nil {
		return nil, fmt.Errorf("render %s/%s: %w", p.Locale, r.Slug, err)
	}
	return buf.Bytes(), nil
}

// Index renders site/<locale>/index.html: the reports published in locale,
// newest first. locales lists every locale that has an index, for the
// switcher; its first entry is the x-default.
func Index(locale string, locs []string, entries []IndexEntry) ([]byte, error) {
	return IndexPaged(IndexPage{Locale: locale, Locales: locs, Entries: entries, Total: len(entries)})
}

// IndexPage is one page of a locale's list of reports. Number 0 is the
// front page, site/<locale>/, with the newest reports and links to every
// archive page; archive page n (site/<locale>/page/<n>/) holds the reports
// first listed n-th, oldest pages first, so a page never changes when
// newer reports arrive and a long list costs one page per publish.
type IndexPage struct {
	Locale  string
	Locales []string // every locale with an index, for the switcher; first is x-default
	Entries []IndexEntry
	Total   int  // reports in the locale, for the count line
	Number  int  // 0 = front page
	Pages   int  // archive pages (front page only: linked by number)
	HasNext bool // archive page only: page Number+1 exists
}

// IndexPagePath is the site path of archive page n below site/<locale>/.
func IndexPagePath(n int) string { return fmt.Sprintf("page/%d/", n) }

// IndexPaged renders one page of a locale's list, newest first.
func IndexPaged(p IndexPage) ([]byte, error) {
	locale, locs, entries := p.Locale, p.Locales, p.Entries
	if locale == "" {
		return nil, errors.New("render: index locale is empty")
	}
	if len(locs) == 0 {
		locs = []string{locale}
	}
	if !slices.Contains(locs, locale) {
		return nil, fmt.Errorf("render: index locale %q is not in %v", locale, locs)
	}
	// Links are relative: the front page is site/<locale>/, an archive
	// page two levels below it.
	root := ""
	if p.Number > 0 {
		root = "../../"
	}
	t := newTranslator(locales.Localizer(locale))
	d := indexData{
		chrome:         chromeData(t, locale),
		ReportsHeading: t.msg("ReportsHeading", nil),
		Count:          t.count("ReportCount", p.Total),
		NoReports:      t.msg("NoReports", nil),
		Home:           root + "./",
	}
	// Each list page is its own canonical URL, relative like every link.
	d.Canonical = "./"
	for _, loc := range locs {
		href := root + "../" + url.PathEscape(loc) + "/"
		d.Alternates = append(d.Alternates, alternate{Hreflang: loc, Href: href})
		d.Switcher = append(d.Switcher, langLink{Code: loc, Name: locales.Autonym(loc), Href: href, Dir: locales.Direction(loc), Current: loc == locale})
	}
	d.Alternates = append(d.Alternates, alternate{Hreflang: "x-default", Href: root + "../" + url.PathEscape(locs[0]) + "/"})
	if p.Number == 0 {
		for n := 1; n <= p.Pages; n++ {
			d.PageLinks = append(d.PageLinks, pageLink{Href: IndexPagePath(n), Text: strconv.Itoa(n)})
		}
	} else {
		d.Page = strconv.Itoa(p.Number)
		if p.Number > 1 {
			d.Prev = &pageLink{Href: "../" + strconv.Itoa(p.Number-1) + "/", Text: strconv.Itoa(p.Number - 1)}
		}
		if p.HasNext {
			d.Next = &pageLink{Href: "../" + strconv.Itoa(p.Number+1) + "/", Text: strconv.Itoa(p.Number + 1)}
		}
	}

	type dated struct {
		IndexEntry
		at time.Time
	}
	sorted := make([]dated, 0, len(entries))
	for _, e := range entries {
		if e.Slug == "" {
			return nil, errors.New("render: index entry without slug")
		}
		sorted = append(sorted, dated{e, publishedTime(e.PublishedAt, e.Date)})
	}
	slices.SortStableFunc(sorted, func(a, b dated) int {
		if c := b.at.Compare(a.at); c != 0 {
			return c
		}
		return strings.Compare(a.Slug, b.Slug)
	})
	for _, e := range sorted {
		item := indexItem{Href: root + url.PathEscape(e.Slug) + "/", Title: e.Title, Summary: e.Summary}
		if item.Title == "" {
			item.Title = e.Slug
		}
		if !e.at.IsZero() {
			item.Datetime = e.at.Format(time.DateOnly)
			item.Date = locales.FormatDate(locale, e.at)
		}
		d.Entries = append(d.Entries, item)
	}
	if t.err != nil {
		return nil, t.err
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "index", d); err != nil {
		return nil, fmt.Errorf("render index %s: %w", locale, err)
	}
	return buf.Bytes(), nil
}

// marker stands in for a value that the page wraps in markup (the date in
// <time>, the language in a link); it is a private-use character no
// catalog contains.
const marker = "\uE000"

type chrome struct {
	Lang, Dir                                  string
	SiteName, SkipToContent, Languages, ReadIn string
	Alternates                                 []alternate
	Switcher                                   []langLink
	Canonical                                  string
	Robots                                     string
	Preview                                    *previewBanner
}

type alternate struct{ Hreflang, Href string }

// previewBanner is the notice across a preview page. Its text is English
// (lang="en") whatever the page's language: it is for editors.
type previewBanner struct{ Label, Text string }

type langLink struct {
	Code, Name, Href, Dir string
	Current               bool
}

type dateLine struct{ Before, Text, After, Datetime string }

// original is the link to the source-language page with the message text
// around it.
type original struct {
	langLink
	Before, After string
}

type reportData struct {
	chrome
	Title, Description                         string
	TitleHTML, SummaryHTML                     template.HTML
	Published                                  *dateLine
	ReadingTime                                string
	Original                                   *original
	Content                                    []block
	BackToList, ListHref                       string
	TextSize, TextSmall, TextMedium, TextLarge string
}

type indexData struct {
	chrome
	ReportsHeading, Count, NoReports string
	Entries                          []indexItem
	Home                             string
	PageLinks                        []pageLink // front page: every archive page
	Page                             string     // archive page: its number
	Prev, Next                       *pageLink  // archive page: older and newer neighbours
}

type pageLink struct{ Href, Text string }

type indexItem struct{ Href, Title, Summary, Date, Datetime string }

func chromeData(t *translator, locale string) chrome {
	return chrome{
		Lang:          locale,
		Dir:           locales.Direction(locale),
		SiteName:      t.msg("SiteName", nil),
		SkipToContent: t.msg("SkipToContent", nil),
		Languages:     t.msg("Languages", nil),
		ReadIn:        t.msg("ReadIn", nil),
	}
}

// translator collects the first localization error so a missing message
// fails the render instead of publishing a blank label.
type translator struct {
	l   *i18n.Localizer
	err error
}

func newTranslator(l *i18n.Localizer) *translator { return &translator{l: l} }

func (t *translator) msg(id string, data map[string]any) string {
	s, err := t.l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil && t.err == nil {
		t.err = fmt.Errorf("render: message %s: %w", id, err)
	}
	return s
}

func (t *translator) count(id string, n int) string {
	s, err := t.l.Localize(&i18n.LocalizeConfig{
		MessageID: id, PluralCount: n, TemplateData: map[string]any{"Count": n},
	})
	if err != nil && t.err == nil {
		t.err = fmt.Errorf("render: message %s (%d): %w", id, n, err)
	}
	return s
}

// around localizes message id with field set to marker and returns the text
// before and after it. A translation that drops the placeholder still
// shows, with the value after it.
func (t *translator) around(id, field string) (before, after string) {
	line := t.msg(id, map[string]any{field: marker})
	before, after, ok := strings.Cut(line, marker)
	if !ok {
		return line + " ", ""
	}
	return before, after
}

func checkPage(p Page) error {
	switch {
	case p.Locale == "":
		return errors.New("render: page locale is empty")
	case p.Report.Slug == "":
		return errors.New("render: report slug is empty")
	case len(p.Locales) > 0 && !slices.Contains(p.Locales, p.Locale):
		return fmt.Errorf("render: page locale %q is not in %v", p.Locale, p.Locales)
	}
	return nil
}

func pageLocales(p Page) []string {
	if len(p.Locales) == 0 {
		return []string{p.Locale}
	}
	return p.Locales
}

// sourceLocale is the x-default: the report's source when it is published,
// else the first listed locale.
func sourceLocale(p Page) string {
	locs := pageLocales(p)
	if slices.Contains(locs, p.Report.Source) {
		return p.Report.Source
	}
	return locs[0]
}

func reportHref(base, locale, slug string) string {
	rel := url.PathEscape(locale) + "/" + url.PathEscape(slug) + "/"
	if base == "" {
		return "../../" + rel
	}
	return strings.TrimRight(base, "/") + "/" + rel
}

func publishedTime(at time.Time, date string) time.Time {
	if !at.IsZero() {
		return at
	}
	if t, err := time.Parse(time.DateOnly, date); err == nil {
		return t
	}
	return time.Time{}
}

func first(segs []report.Segment, kind report.Kind) (report.Segment, bool) {
	for _, s := range segs {
		if s.Kind == kind {
			return s, true
		}
	}
	return report.Segment{}, false
}

// block is one body element: a heading, a paragraph or a whole list.
type block struct {
	Kind    string // "heading", "paragraph" or "list"
	Level   int    // h2..h6 for headings
	HTML    template.HTML
	Ordered bool
	Items   []template.HTML
}

// blocks lays out the body: headings move one level down under the page's
// h1 (capped at h6) and consecutive items of one list become one list.
func blocks(segs []report.Segment, format report.Format) []block {
	var out []block
	for i, s := range segs {
		switch s.Kind {
		case report.KindHeading:
			out = append(out, block{Kind: "heading", Level: min(max(s.Level, 1)+1, 6), HTML: InlineHTML(s.Text, format)})
		case report.KindParagraph:
			out = append(out, block{Kind: "paragraph", HTML: InlineHTML(s.Text, format)})
		case report.KindListItem:
			if i > 0 && len(out) > 0 && out[len(out)-1].Kind == "list" {
				prev := segs[i-1]
				if prev.Kind == report.KindListItem && prev.List == s.List && prev.Ordered == s.Ordered {
					last := &out[len(out)-1]
					last.Items = append(last.Items, InlineHTML(s.Text, format))
					continue
				}
			}
			out = append(out, block{Kind: "list", Ordered: s.Ordered, Items: []template.HTML{InlineHTML(s.Text, format)}})
		}
	}
	return out
}

// readingMinutes estimates reading time at about 220 words a minute, with
// CJK characters (written without spaces) at about 400 a minute.
func readingMinutes(segs []report.Segment, format report.Format) int {
	var words, cjk int
	for _, s := range segs {
		inWord := false
		for _, r := range PlainText(s.Text, format) {
			switch {
			case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana):
				cjk++
				inWord = false
			case unicode.IsSpace(r):
				inWord = false
			default:
				if !inWord {
					words++
				}
				inWord = true
			}
		}
	}
	minutes := (words*60/220 + cjk*60/400 + 59) / 60
	return max(minutes, 1)
}

const templates = `
{{- define "head" -}}
<!DOCTYPE html>
<html lang="{{.Lang}}" dir="{{.Dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="%CSP%">
{{- end}}

{{- define "head-end"}}
{{- with .Robots}}
<meta name="robots" content="{{.}}">
{{- end}}
{{- with .Canonical}}
<link rel="canonical" href="{{.}}">
{{- end}}
{{- range .Alternates}}
<link rel="alternate" hreflang="{{.Hreflang}}" href="{{.Href}}">
{{- end}}
<style>%STYLE%</style>
</head>
<body>
<a class="skip" href="#content">{{.SkipToContent}}</a>
{{- with .Preview}}
<p class="preview" role="status"><strong>{{.Label}}</strong> {{.Text}}</p>
{{- end}}
{{- end}}

{{- define "switcher"}}
<nav aria-label="{{.Languages}}"><span class="label">{{.ReadIn}}</span>
<ul>
{{- range .Switcher}}
<li><a href="{{.Href}}" hreflang="{{.Code}}" lang="{{.Code}}" dir="{{.Dir}}"{{if .Current}} aria-current="page"{{end}}>{{.Name}}</a></li>
{{- end}}
</ul>
</nav>
{{- end}}

{{- define "report" -}}
{{template "head" .}}
<title>{{.Title}} | {{.SiteName}}</title>
{{- with .Description}}
<meta name="description" content="{{.}}">
{{- end}}
{{- template "head-end" .}}
<header>
<a class="site" href="{{.ListHref}}">{{.SiteName}}</a>
{{- template "switcher" .}}
</header>
<main id="content">
<article>
<h1>{{.TitleHTML}}</h1>
<p class="meta">
{{- with .Published}}<span>{{.Before}}<time datetime="{{.Datetime}}">{{.Text}}</time>{{.After}}</span>{{end -}}
<span>{{.ReadingTime}}</span>
{{- with .Original}}<span>{{.Before}}<a href="{{.Href}}" hreflang="{{.Code}}" lang="{{.Code}}" dir="{{.Dir}}">{{.Name}}</a>{{.After}}</span>{{end -}}
</p>
<div class="size" role="group" aria-label="{{.TextSize}}" hidden><span aria-hidden="true">{{.TextSize}}</span>
<button type="button" class="s" data-size="87.5%" aria-label="{{.TextSmall}}">A</button>
<button type="button" class="m" data-size="100%" aria-label="{{.TextMedium}}">A</button>
<button type="button" class="l" data-size="125%" aria-label="{{.TextLarge}}">A</button>
</div>
{{- with .SummaryHTML}}
<p class="lead">{{.}}</p>
{{- end}}
{{- range .Content}}
{{- if eq .Kind "heading"}}
{{- if eq .Level 2}}
<h2>{{.HTML}}</h2>
{{- else if eq .Level 3}}
<h3>{{.HTML}}</h3>
{{- else if eq .Level 4}}
<h4>{{.HTML}}</h4>
{{- else if eq .Level 5}}
<h5>{{.HTML}}</h5>
{{- else}}
<h6>{{.HTML}}</h6>
{{- end}}
{{- else if eq .Kind "paragraph"}}
<p>{{.HTML}}</p>
{{- else if .Ordered}}
<ol>
{{- range .Items}}
<li>{{.}}</li>
{{- end}}
</ol>
{{- else}}
<ul>
{{- range .Items}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- end}}
{{- end}}
</article>
<p class="back"><a href="{{.ListHref}}">{{.BackToList}}</a></p>
</main>
<script>%SCRIPT%</script>
</body>
</html>
{{end}}

{{- define "index" -}}
{{template "head" .}}
<title>{{.ReportsHeading}} | {{.SiteName}}</title>
{{- template "head-end" .}}
<header>
<a class="site" href="{{.Home}}">{{.SiteName}}</a>
{{- template "switcher" .}}
</header>
<main id="content">
<hgroup>
<h1>{{.ReportsHeading}}{{with .Page}} · {{.}}{{end}}</h1>
<p class="count">{{.Count}}</p>
</hgroup>
{{- if .Entries}}
<ul class="reports">
{{- range .Entries}}
<li>
<h2><a href="{{.Href}}">{{.Title}}</a></h2>
{{- with .Summary}}
<p>{{.}}</p>
{{- end}}
{{- if .Datetime}}
<p class="meta"><time datetime="{{.Datetime}}">{{.Date}}</time></p>
{{- end}}
</li>
{{- end}}
</ul>
{{- else}}
<p>{{.NoReports}}</p>
{{- end}}
{{- if or .PageLinks .Prev .Next}}
<nav class="pages"><ul>
{{- with .Prev}}<li><a rel="prev" href="{{.Href}}">‹ {{.Text}}</a></li>{{end}}
{{- range .PageLinks}}<li><a href="{{.Href}}">{{.Text}}</a></li>{{end}}
{{- with .Next}}<li><a rel="next" href="{{.Href}}">{{.Text}} ›</a></li>{{end}}
</ul></nav>
{{- end}}
</main>
</body>
</html>
{{end}}
`
