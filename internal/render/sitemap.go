package render

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pressroom/pressroom/locales"
)

// SiteEntry is one report in a locale's sitemap or feed.
type SiteEntry struct {
	Slug, Title, Summary string
	PublishedAt          time.Time
	Date                 string   // YYYY-MM-DD, used when PublishedAt is zero
	Locales              []string // the report's locales, source first (hreflang alternates; x-default is the first)
}

// ReportURL is a report's absolute URL on the reader site at base.
func ReportURL(base, locale, slug string) string {
	return strings.TrimRight(base, "/") + "/" + url.PathEscape(locale) + "/" + url.PathEscape(slug) + "/"
}

// LocaleURL is a locale's front page at base.
func LocaleURL(base, locale string) string {
	return strings.TrimRight(base, "/") + "/" + url.PathEscape(locale) + "/"
}

// SitemapPath is the site path of part n of a locale's sitemap.
func SitemapPath(locale string, n int) string {
	return "/" + url.PathEscape(locale) + "/sitemap/" + strconv.Itoa(n) + ".xml"
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapRef `xml:"sitemap"`
}

type sitemapRef struct {
	Loc string `xml:"loc"`
}

type urlset struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	XHTML   string       `xml:"xmlns:xhtml,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc        string      `xml:"loc"`
	LastMod    string      `xml:"lastmod,omitempty"`
	Alternates []xhtmlLink `xml:"xhtml:link"`
}

type xhtmlLink struct {
	Rel      string `xml:"rel,attr"`
	Hreflang string `xml:"hreflang,attr"`
	Href     string `xml:"href,attr"`
}

// SitemapIndex is /<locale>/sitemap.xml: one part per archive page of the
// locale's list, so no request reads more than one page of it.
func SitemapIndex(base, locale string, parts int) ([]byte, error) {
	idx := sitemapIndex{}
	for n := 1; n <= max(parts, 1); n++ {
		idx.Sitemaps = append(idx.Sitemaps, sitemapRef{Loc: strings.TrimRight(base, "/") + SitemapPath(locale, n)})
	}
	return marshalXML(idx)
}

// Sitemap is part n of a locale's sitemap: its reports' URLs, each with
// its alternates in every locale and x-default; part 1 also lists the
// locale's front page with the other front pages (siteLocales).
func Sitemap(base, locale string, n int, siteLocales []string, entries []SiteEntry) ([]byte, error) {
	set := urlset{XHTML: "http://www.w3.org/1999/xhtml"}
	if n == 1 {
		u := sitemapURL{Loc: LocaleURL(base, locale)}
		for _, l := range withSelf(siteLocales, locale) {
			u.Alternates = append(u.Alternates, xhtmlLink{"alternate", l, LocaleURL(base, l)})
		}
		set.URLs = append(set.URLs, u)
	}
	for _, e := range entries {
		u := sitemapURL{Loc: ReportURL(base, locale, e.Slug)}
		if at := publishedTime(e.PublishedAt, e.Date); !at.IsZero() {
			u.LastMod = at.UTC().Format(time.RFC3339)
		}
		locs := withSelf(e.Locales, locale)
		for _, l := range locs {
			u.Alternates = append(u.Alternates, xhtmlLink{"alternate", l, ReportURL(base, l, e.Slug)})
		}
		u.Alternates = append(u.Alternates, xhtmlLink{"alternate", "x-default", ReportURL(base, locs[0], e.Slug)})
		set.URLs = append(set.URLs, u)
	}
	return marshalXML(set)
}

func withSelf(locs []string, self string) []string {
	for _, l := range locs {
		if l == self {
			return locs
		}
	}
	return append(append([]string(nil), locs...), self)
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomAuthor  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel      string `xml:"rel,attr,omitempty"`
	Type     string `xml:"type,attr,omitempty"`
	Hreflang string `xml:"hreflang,attr,omitempty"`
	Href     string `xml:"href,attr"`
}

type atomEntry struct {
	ID      string     `xml:"id"`
	Title   string     `xml:"title"`
	Updated string     `xml:"updated"`
	Summary string     `xml:"summary,omitempty"`
	Links   []atomLink `xml:"link"`
}

// Feed is /<locale>/feed.xml: an Atom feed of the locale's newest
// reports. Titles and summaries are plain text.
func Feed(base, locale string, entries []SiteEntry) ([]byte, error) {
	t := newTranslator(locales.Localizer(locale))
	site, heading := t.msg("SiteName", nil), t.msg("ReportsHeading", nil)
	if t.err != nil {
		return nil, t.err
	}
	f := atomFeed{Lang: locale, ID: LocaleURL(base, locale), Title: site + " · " + heading, Author: atomAuthor{Name: site},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: LocaleURL(base, locale) + "feed.xml"},
			{Rel: "alternate", Type: "text/html", Hreflang: locale, Href: LocaleURL(base, locale)},
		}}
	var newest time.Time
	for _, e := range entries {
		at := publishedTime(e.PublishedAt, e.Date)
		if at.After(newest) {
			newest = at
		}
		title := e.Title
		if title == "" {
			title = e.Slug
		}
		f.Entries = append(f.Entries, atomEntry{ID: ReportURL(base, locale, e.Slug), Title: title, Updated: atomTime(at), Summary: e.Summary,
			Links: []atomLink{{Rel: "alternate", Type: "text/html", Hreflang: locale, Href: ReportURL(base, locale, e.Slug)}}})
	}
	f.Updated = atomTime(newest)
	return marshalXML(f)
}

// atomTime is an RFC 3339 time; an unknown one is the Unix epoch, since
// Atom requires one.
func atomTime(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(time.RFC3339)
}

func marshalXML(v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
