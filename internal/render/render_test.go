package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/yuin/goldmark"
	"golang.org/x/net/html"
	"gopkg.in/yaml.v3"

	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/locales"
)

var published = time.Date(2024, time.January, 23, 10, 30, 0, 0, time.UTC)

func seg(id string, kind report.Kind, text string) report.Segment {
	return report.Segment{ID: id, Kind: kind, Text: text}
}

// harbourReport is a small invented report exercising every block kind and
// the escaping cases.
func harbourReport(format report.Format) report.Report {
	h1 := seg("h1", report.KindHeading, "Opening remarks")
	h1.Level = 1
	h2 := seg("h2", report.KindHeading, "Who spoke")
	h2.Level = 2
	h6 := seg("h6", report.KindHeading, "Footnotes")
	h6.Level = 6
	li := func(id, text string, list int, ordered bool) report.Segment {
		s := seg(id, report.KindListItem, text)
		s.List, s.Ordered = list, ordered
		return s
	}
	return report.Report{
		Slug:    "harbour-cleanup-day",
		Date:    "2024-01-20",
		Source:  "en",
		Targets: []string{"ar", "zh-Hans", "fr", "ru", "es"},
		Format:  format,
		Segments: []report.Segment{
			seg("t", report.KindTitle, "Harbour clean-up day"),
			seg("s", report.KindSummary, "Volunteers cleared 2 tonnes of litter."),
			h1,
			seg("p1", report.KindParagraph, "The event began at *nine* with [the plan](https://example.org/plan)."),
			seg("p2", report.KindParagraph, "<script>alert(1)</script>"),
			seg("p3", report.KindParagraph, "Hello {{.Name}}, see {{template \"x\"}}."),
			h2,
			li("l1", "The mayor", 1, false),
			li("l2", "A diver", 1, false),
			li("l3", "First step", 2, true),
			li("l4", "Second step", 2, true),
			h6,
			seg("p4", report.KindParagraph, "Bad [link](javascript:alert(2)) stays text."),
		},
	}
}

func page(locale string, format report.Format) Page {
	return Page{
		Report:      harbourReport(format),
		Locale:      locale,
		Locales:     []string{"en", "ar", "zh-Hans", "fr", "ru", "es"},
		PublishedAt: published,
	}
}

func mustRender(t *testing.T, p Page) ([]byte, *html.Node) {
	t.Helper()
	out, err := Report(p)
	if err != nil {
		t.Fatalf("Report(%s): %v", p.Locale, err)
	}
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return out, doc
}

func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func elems(n *html.Node, tag string) []*html.Node {
	return findAll(n, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == tag })
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	return slices.ContainsFunc(n.Attr, func(a html.Attribute) bool { return a.Key == key })
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for _, t := range findAll(n, func(n *html.Node) bool { return n.Type == html.TextNode }) {
		b.WriteString(t.Data)
	}
	return b.String()
}

func msg(t *testing.T, locale, id string, data ...any) string {
	t.Helper()
	m := map[string]any{}
	for i := 0; i+1 < len(data); i += 2 {
		m[data[i].(string)] = data[i+1]
	}
	s, err := locales.Localizer(locale).Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: m})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReportStructure(t *testing.T) {
	for _, format := range []report.Format{report.FormatMarkdown, report.FormatText} {
		for _, loc := range locales.Supported() {
			t.Run(string(format)+"/"+loc, func(t *testing.T) {
				out, doc := mustRender(t, page(loc, format))
				if !bytes.HasPrefix(out, []byte("<!DOCTYPE html>\n")) {
					t.Errorf("no doctype: %.40q", out)
				}
				if dt := doc.FirstChild; dt == nil || dt.Type != html.DoctypeNode || dt.Data != "html" {
					t.Errorf("first node is not <!DOCTYPE html>")
				}
				root := elems(doc, "html")[0]
				if attr(root, "lang") != loc {
					t.Errorf("lang = %q", attr(root, "lang"))
				}
				wantDir := "ltr"
				if loc == "ar" {
					wantDir = "rtl"
				}
				if attr(root, "dir") != wantDir {
					t.Errorf("dir = %q, want %q", attr(root, "dir"), wantDir)
				}
				metas := elems(doc, "meta")
				if !slices.ContainsFunc(metas, func(n *html.Node) bool { return attr(n, "charset") == "utf-8" }) {
					t.Error("no meta charset")
				}
				if !slices.ContainsFunc(metas, func(n *html.Node) bool { return attr(n, "name") == "viewport" }) {
					t.Error("no viewport meta")
				}
				if titles := elems(doc, "title"); len(titles) != 1 || !strings.HasPrefix(textOf(titles[0]), "Harbour clean-up day | ") {
					t.Errorf("title: %v", titles)
				}

				h1 := elems(doc, "h1")
				if len(h1) != 1 || textOf(h1[0]) != "Harbour clean-up day" {
					t.Fatalf("want one h1 with the title, got %d", len(h1))
				}

				// hreflang alternates: every locale plus x-default → source.
				alts := map[string]string{}
				for _, l := range elems(doc, "link") {
					if attr(l, "rel") == "alternate" {
						alts[attr(l, "hreflang")] = attr(l, "href")
					}
				}
				for _, l := range locales.Supported() {
					if want := "../../" + l + "/harbour-cleanup-day/"; alts[l] != want {
						t.Errorf("alternate %s = %q, want %q", l, alts[l], want)
					}
				}
				if alts["x-default"] != "../../en/harbour-cleanup-day/" || len(alts) != 7 {
					t.Errorf("alternates: %v", alts)
				}

				// Language switcher: autonyms with hreflang and lang.
				navs := elems(doc, "nav")
				if len(navs) != 1 || attr(navs[0], "aria-label") != msg(t, loc, "Languages") {
					t.Fatalf("nav: %d", len(navs))
				}
				links := elems(navs[0], "a")
				if len(links) != 6 {
					t.Fatalf("switcher has %d links", len(links))
				}
				for i, l := range locales.Supported() {
					a := links[i]
					if attr(a, "hreflang") != l || attr(a, "lang") != l || textOf(a) != locales.Autonym(l) {
						t.Errorf("switcher link %d: %v %q", i, a.Attr, textOf(a))
					}
					if hasAttr(a, "aria-current") != (l == loc) {
						t.Errorf("switcher %s aria-current wrong", l)
					}
				}

				back := findAll(doc, func(n *html.Node) bool {
					return n.Type == html.ElementNode && n.Data == "a" && attr(n, "href") == "../" && textOf(n) == msg(t, loc, "BackToList")
				})
				if len(back) != 1 {
					t.Errorf("back link: %d", len(back))
				}

				times := elems(doc, "time")
				if len(times) != 1 || attr(times[0], "datetime") != "2024-01-23" || textOf(times[0]) != locales.FormatDate(loc, published) {
					t.Errorf("time element wrong")
				}
				if got, want := textOf(times[0].Parent), msg(t, loc, "PublishedOn", "Date", locales.FormatDate(loc, published)); got != want {
					t.Errorf("published line %q, want %q", got, want)
				}

				buttons := elems(doc, "button")
				wantLabels := []string{msg(t, loc, "TextSizeSmall"), msg(t, loc, "TextSizeMedium"), msg(t, loc, "TextSizeLarge")}
				if len(buttons) != 3 {
					t.Fatalf("%d size buttons", len(buttons))
				}
				for i, b := range buttons {
					if textOf(b) != "A" || attr(b, "aria-label") != wantLabels[i] || attr(b, "type") != "button" {
						t.Errorf("button %d: %v", i, b.Attr)
					}
				}

				// Exactly one script: the size control. The report's
				// <script> is visible text.
				scripts := elems(doc, "script")
				if len(scripts) != 1 || textOf(scripts[0]) != sizeScript {
					t.Errorf("want only the size script, got %d", len(scripts))
				}
				paras := elems(doc, "p")
				if !slices.ContainsFunc(paras, func(n *html.Node) bool { return textOf(n) == "<script>alert(1)</script>" }) {
					t.Error("escaped <script> text not visible")
				}
				if !bytes.Contains(out, []byte("&lt;script&gt;alert(1)&lt;/script&gt;")) {
					t.Error("script not escaped in source")
				}
				if !slices.ContainsFunc(paras, func(n *html.Node) bool {
					return textOf(n) == `Hello {{.Name}}, see {{template "x"}}.`
				}) {
					t.Error("template syntax not rendered literally")
				}
				if lead := findAll(doc, func(n *html.Node) bool { return attr(n, "class") == "lead" }); len(lead) != 1 || textOf(lead[0]) != "Volunteers cleared 2 tonnes of litter." {
					t.Error("summary lead paragraph missing")
				}

				// Heading levels sit under the h1.
				for tag, want := range map[string]string{"h2": "Opening remarks", "h3": "Who spoke", "h6": "Footnotes"} {
					if hs := elems(doc, tag); len(hs) != 1 || textOf(hs[0]) != want {
						t.Errorf("%s: %d", tag, len(hs))
					}
				}
				// Lists grouped by Segment.List.
				article := elems(doc, "article")[0]
				if uls := elems(article, "ul"); len(uls) != 1 || len(elems(uls[0], "li")) != 2 {
					t.Errorf("ul grouping wrong")
				}
				if ols := elems(article, "ol"); len(ols) != 1 || len(elems(ols[0], "li")) != 2 {
					t.Errorf("ol grouping wrong")
				}

				for _, a := range elems(doc, "a") {
					if h := strings.ToLower(strings.TrimSpace(attr(a, "href"))); strings.HasPrefix(h, "javascript:") {
						t.Errorf("javascript: link survived: %v", a.Attr)
					}
				}

				if loc == "en" {
					if findAll(doc, func(n *html.Node) bool {
						return n.Type == html.TextNode && strings.Contains(n.Data, "Original")
					}) != nil {
						t.Error("source page links to itself as original")
					}
				} else if !strings.Contains(textOf(doc), msg(t, loc, "OriginalVersion", "Language", "English")) {
					t.Error("translated page lacks link to the original")
				}
			})
		}
	}
}

func TestMarkdownInline(t *testing.T) {
	_, doc := mustRender(t, page("fr", report.FormatMarkdown))
	em := elems(doc, "em")
	if len(em) != 1 || textOf(em[0]) != "nine" {
		t.Errorf("emphasis not rendered")
	}
	links := findAll(doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == "https://example.org/plan" })
	if len(links) != 1 || textOf(links[0]) != "the plan" {
		t.Errorf("link not rendered")
	}
	if !strings.Contains(textOf(doc), "Bad link stays text.") {
		t.Errorf("javascript link text lost")
	}

	// Text format: Markdown syntax is literal.
	_, doc = mustRender(t, page("fr", report.FormatText))
	if len(elems(doc, "em")) != 0 || !strings.Contains(textOf(doc), "at *nine* with [the plan](https://example.org/plan).") {
		t.Errorf("text format interpreted Markdown")
	}
}

func TestInlineHTML(t *testing.T) {
	md := report.FormatMarkdown
	cases := []struct {
		in     string
		format report.Format
		want   template.HTML
	}{
		{"a *b* `c<d>`", md, "a <em>b</em> <code>c&lt;d&gt;</code>"},
		{"<script>alert(1)</script>", md, "&lt;script&gt;alert(1)&lt;/script&gt;"},
		{"<img src=x onerror=alert(1)>", md, "&lt;img src=x onerror=alert(1)&gt;"},
		{"x <!-- hidden --> y", md, "x &lt;!-- hidden --&gt; y"},
		{"# not a heading", md, "# not a heading"},
		{"1. not a list", md, "1. not a list"},
		{"[a](javascript:alert(1))", md, "a"},
		{"[a](JavaScript:alert(1))", md, "a"},
		{"[a](javascript&#58;alert(1))", md, "a"},
		{"[a](javascript&colon;alert(1))", md, "a"},
		{"[a](vbscript:msgbox)", md, "a"},
		{"[a](data:text/html;base64,PHNjcmlwdD4=)", md, "a"},
		{"[a](file:///etc/passwd)", md, "a"},
		{"[a](tel:+41)", md, "a"},
		{"<javascript:alert(1)>", md, "javascript:alert(1)"},
		{"![pic](javascript:alert(1))", md, "pic"},
		{"[a](https://example.org/?q=1&r=2)", md, `<a href="https://example.org/?q=1&amp;r=2">a</a>`},
		{"[a](mailto:press@example.org)", md, `<a href="mailto:press@example.org">a</a>`},
		{"[a](../fr/other/)", md, `<a href="../fr/other/">a</a>`},
		{"[a](#part)", md, `<a href="#part">a</a>`},
		{"<https://example.org>", md, `<a href="https://example.org">https://example.org</a>`},
		{"first\n\nsecond", md, "first<br>\nsecond"},
		{"<b>bold?</b> & *x*", report.FormatText, "&lt;b&gt;bold?&lt;/b&gt; &amp; *x*"},
		{`"quoted" 'single'`, report.FormatText, "&#34;quoted&#34; &#39;single&#39;"},
		{"<i>x</i>", "", "&lt;i&gt;x&lt;/i&gt;"},
	}
	for _, c := range cases {
		if got := InlineHTML(c.in, c.format); got != c.want {
			t.Errorf("InlineHTML(%q, %q) = %q, want %q", c.in, c.format, got, c.want)
		}
	}
}

func TestContentSecurityPolicy(t *testing.T) {
	_, doc := mustRender(t, page("en", report.FormatMarkdown))
	var csp string
	for _, m := range elems(doc, "meta") {
		if attr(m, "http-equiv") == "Content-Security-Policy" {
			csp = attr(m, "content")
		}
	}
	hash := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	style := textOf(elems(doc, "style")[0])
	script := textOf(elems(doc, "script")[0])
	if !strings.Contains(csp, "script-src "+hash(script)) || !strings.Contains(csp, "style-src "+hash(style)) {
		t.Errorf("CSP %q does not allow the page's own style and script", csp)
	}
}

func TestBaseURL(t *testing.T) {
	p := page("ru", report.FormatText)
	p.BaseURL = "https://news.example.org/site/"
	_, doc := mustRender(t, p)
	got := map[string]string{}
	for _, l := range elems(doc, "link") {
		got[attr(l, "rel")+" "+attr(l, "hreflang")] = attr(l, "href")
	}
	if got["alternate fr"] != "https://news.example.org/site/fr/harbour-cleanup-day/" ||
		got["alternate x-default"] != "https://news.example.org/site/en/harbour-cleanup-day/" ||
		got["canonical "] != "https://news.example.org/site/ru/harbour-cleanup-day/" {
		t.Errorf("links: %v", got)
	}
	back := findAll(doc, func(n *html.Node) bool { return attr(n, "class") == "back" })
	if a := elems(back[0], "a"); len(a) != 1 || attr(a[0], "href") != "https://news.example.org/site/ru/" {
		t.Errorf("back link with BaseURL: %v", a[0].Attr)
	}
}

func TestReportErrorsAndDefaults(t *testing.T) {
	p := page("de", report.FormatText)
	if _, err := Report(p); err == nil {
		t.Error("locale outside Locales accepted")
	}
	p = page("en", report.FormatText)
	p.Report.Slug = ""
	if _, err := Report(p); err == nil {
		t.Error("empty slug accepted")
	}
	// Source not published: x-default falls back to the first locale; no
	// title: slug; no PublishedAt: the report date.
	p = page("fr", report.FormatText)
	p.Report.Source = "de"
	p.Locales = []string{"fr", "es"}
	p.Report.Segments = p.Report.Segments[1:]
	p.PublishedAt = time.Time{}
	_, doc := mustRender(t, p)
	if h1 := elems(doc, "h1"); textOf(h1[0]) != "harbour-cleanup-day" {
		t.Errorf("h1 %q", textOf(h1[0]))
	}
	if tm := elems(doc, "time"); len(tm) != 1 || attr(tm[0], "datetime") != "2024-01-20" {
		t.Error("report date not used")
	}
	for _, l := range elems(doc, "link") {
		if attr(l, "hreflang") == "x-default" && attr(l, "href") != "../../fr/harbour-cleanup-day/" {
			t.Errorf("x-default %q", attr(l, "href"))
		}
	}
}

func TestDeterministicAndConcurrent(t *testing.T) {
	want, err := Report(page("zh-Hans", report.FormatMarkdown))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for _, loc := range append(locales.Supported(), locales.Supported()...) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := Report(page(loc, report.FormatMarkdown))
			if err != nil {
				t.Error(err)
			}
			if loc == "zh-Hans" && !bytes.Equal(got, want) {
				t.Error("output differs between identical renders")
			}
		}()
	}
	wg.Wait()
}

func TestReadingTime(t *testing.T) {
	long := report.Report{Slug: "x", Source: "en", Format: report.FormatText}
	long.Segments = append(long.Segments, seg("p", report.KindParagraph, strings.Repeat("word ", 1100)))
	if m := readingMinutes(long.Segments, long.Format); m != 5 {
		t.Errorf("1100 words: %d minutes", m)
	}
	cjk := []report.Segment{seg("p", report.KindParagraph, strings.Repeat("人权", 400))}
	if m := readingMinutes(cjk, report.FormatText); m != 2 {
		t.Errorf("800 Han characters: %d minutes", m)
	}
	_, doc := mustRender(t, Page{Report: long, Locale: "ru", Locales: []string{"en", "ru"}, PublishedAt: published})
	if !strings.Contains(textOf(doc), "5 минут чтения") {
		t.Error("ru reading time not pluralized")
	}
}

func TestIndexArabicPlurals(t *testing.T) {
	want := map[int]string{
		0:   "لا توجد تقارير",
		1:   "تقرير واحد",
		2:   "تقريران",
		3:   "3 تقارير",
		11:  "11 تقريرًا",
		100: "100 تقرير",
	}
	seen := map[string]bool{}
	for n, w := range want {
		var entries []IndexEntry
		for i := range n {
			entries = append(entries, IndexEntry{
				Slug: fmt.Sprintf("r-%03d", i), Title: fmt.Sprintf("تقرير %d", i),
				PublishedAt: published.AddDate(0, 0, i),
			})
		}
		out, err := Index("ar", locales.Supported(), entries)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := html.Parse(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		if attr(elems(doc, "html")[0], "dir") != "rtl" {
			t.Error("index not rtl")
		}
		counts := findAll(doc, func(n *html.Node) bool { return attr(n, "class") == "count" })
		if len(counts) != 1 || textOf(counts[0]) != w {
			t.Errorf("%d reports: %q, want %q", n, textOf(counts[0]), w)
		}
		seen[w] = true
		if got := len(elems(elems(doc, "main")[0], "h2")); got != n {
			t.Errorf("%d reports listed, want %d", got, n)
		}
		if n == 0 && !strings.Contains(textOf(doc), msg(t, "ar", "NoReports")) {
			t.Error("empty index lacks NoReports")
		}
		if n == 3 {
			// Newest first, links relative to the index.
			h2 := elems(doc, "h2")
			if a := elems(h2[0], "a")[0]; attr(a, "href") != "r-002/" {
				t.Errorf("first entry %q", attr(a, "href"))
			}
		}
	}
	if len(seen) != 6 {
		t.Errorf("plural forms not distinct: %v", seen)
	}
}

func TestIndexStructure(t *testing.T) {
	entries := []IndexEntry{
		{Slug: "b", Title: "<b>Two</b>", Summary: "{{.X}}", Date: "2024-02-01"},
		{Slug: "a", Title: "One", PublishedAt: published},
	}
	out, err := Index("es", []string{"en", "es"}, entries)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := html.Parse(bytes.NewReader(out))
	if h1 := elems(doc, "h1"); len(h1) != 1 || textOf(h1[0]) != "Informes" {
		t.Error("index h1")
	}
	if c := findAll(doc, func(n *html.Node) bool { return attr(n, "class") == "count" }); textOf(c[0]) != "2 informes" {
		t.Errorf("count %q", textOf(c[0]))
	}
	if len(elems(doc, "b")) != 0 || !strings.Contains(textOf(doc), "<b>Two</b>") || !strings.Contains(textOf(doc), "{{.X}}") {
		t.Error("entry text not escaped")
	}
	times := elems(doc, "time")
	if len(times) != 2 || attr(times[0], "datetime") != "2024-02-01" || textOf(times[1]) != "23 de enero de 2024" {
		t.Error("index dates")
	}
	alts := map[string]string{}
	for _, l := range elems(doc, "link") {
		alts[attr(l, "hreflang")] = attr(l, "href")
	}
	if alts["en"] != "../en/" || alts["es"] != "../es/" || alts["x-default"] != "../en/" {
		t.Errorf("index alternates %v", alts)
	}
	if len(elems(doc, "script")) != 0 {
		t.Error("index has scripts")
	}
	if _, err := Index("fr", []string{"en"}, nil); err == nil {
		t.Error("locale outside list accepted")
	}
}

func splitFrontMatter(t *testing.T, out []byte, keys ...string) (FrontMatter, string) {
	t.Helper()
	s := string(out)
	if !strings.HasPrefix(s, "---\n") {
		t.Fatalf("no front matter: %.40q", s)
	}
	head, body, ok := strings.Cut(s[4:], "\n---\n")
	if !ok {
		t.Fatal("front matter not closed")
	}
	var fm FrontMatter
	if err := yaml.Unmarshal([]byte(head), &fm); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := yaml.Unmarshal([]byte(head), &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if _, ok := raw[k]; !ok {
			t.Errorf("front matter lacks %s", k)
		}
	}
	return fm, body
}

func TestMarkdownFrontMatter(t *testing.T) {
	p := page("fr", report.FormatMarkdown)
	p.Report.Segments[0].Text = `Title: with "quotes", #hash and --- dashes`
	out, err := Markdown(p)
	if err != nil {
		t.Fatal(err)
	}
	fm, body := splitFrontMatter(t, out, "title", "slug", "date", "locale", "source", "summary")
	want := FrontMatter{
		Title: `Title: with "quotes", #hash and --- dashes`, Slug: "harbour-cleanup-day", Date: "2024-01-20",
		Locale: "fr", Source: "en", Summary: "Volunteers cleared 2 tonnes of litter.",
	}
	if fm != want {
		t.Errorf("front matter %+v, want %+v", fm, want)
	}
	for _, line := range []string{
		"# Opening remarks", "## Who spoke", "###### Footnotes",
		"- The mayor\n- A diver\n", "1. First step\n2. Second step\n",
		"The event began at *nine* with [the plan](https://example.org/plan).",
	} {
		if !strings.Contains(body, line) {
			t.Errorf("body lacks %q:\n%s", line, body)
		}
	}
	if strings.Contains(body, "Harbour clean-up day") {
		t.Error("title repeated in body")
	}
}

// TestMarkdownTextRoundTrip: FormatText written to report.md must read
// back, through a CommonMark renderer, as the same literal text and the
// same block structure.
func TestMarkdownTextRoundTrip(t *testing.T) {
	literal := []string{
		"1. not a list", "2) nor this", "# not a heading", "- not a bullet", "+ nor this", "> not a quote",
		"*not emphasis* and _neither_", "<b>not bold</b>", "a & b &amp; c", "[not](a link)", "![not](an image)",
		"C# and F#", "back\\slash", "`not code`", "~~not struck~~", "a | b", "===", "---", "100. ok",
		"Hello {{.Name}}", "2024. A year", "x  ", "    indented",
	}
	r := report.Report{Slug: "lit", Source: "en", Format: report.FormatText}
	r.Segments = append(r.Segments, seg("t", report.KindTitle, "T"))
	for i, s := range literal {
		r.Segments = append(r.Segments, seg(fmt.Sprint("p", i), report.KindParagraph, s))
	}
	item := seg("i1", report.KindListItem, "*item* one")
	item.List = 1
	item2 := seg("i2", report.KindListItem, "item two")
	item2.List = 2 // a second list right after the first
	r.Segments = append(r.Segments, item, item2)

	out, err := Markdown(Page{Report: r, Locale: "en"})
	if err != nil {
		t.Fatal(err)
	}
	_, body := splitFrontMatter(t, out)
	var buf bytes.Buffer
	if err := goldmark.Convert([]byte(body), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	ps := elems(doc, "p")
	if len(ps) != len(literal) {
		t.Fatalf("%d paragraphs, want %d:\n%s", len(ps), len(literal), body)
	}
	for i, p := range ps {
		if got, want := textOf(p), strings.TrimSpace(literal[i]); got != want {
			t.Errorf("paragraph %d: %q, want %q", i, got, want)
		}
		if p.FirstChild != nil && p.FirstChild.Type != html.TextNode || p.FirstChild.NextSibling != nil {
			t.Errorf("paragraph %d has markup: %q", i, literal[i])
		}
	}
	if uls := elems(doc, "ul"); len(uls) != 2 || strings.TrimSpace(textOf(uls[0])) != "*item* one" {
		t.Errorf("lists not kept apart or item not literal:\n%s", body)
	}
	for _, tag := range []string{"h1", "h2", "blockquote", "ol", "hr", "pre", "em", "a", "img", "code"} {
		if len(elems(doc, tag)) != 0 {
			t.Errorf("literal text produced <%s>:\n%s", tag, body)
		}
	}
}

func TestPlainText(t *testing.T) {
	if got := PlainText("*Big* [news](https://x.org) & <b>", report.FormatMarkdown); got != "Big news & <b>" {
		t.Errorf("PlainText = %q", got)
	}
	if got := PlainText("*Big*", report.FormatText); got != "*Big*" {
		t.Errorf("PlainText text = %q", got)
	}
}

// An archive page links relatively from two levels down, to its
// neighbours, and the front page to every archive page.
func TestIndexPagedLinks(t *testing.T) {
	es := []IndexEntry{{Slug: "a", Title: "A", PublishedAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}}
	page, err := IndexPaged(IndexPage{Locale: "ar", Locales: []string{"en", "ar"}, Entries: es, Total: 1, Number: 2, HasNext: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`href="../../a/"`, `rel="prev" href="../1/"`, `rel="next" href="../3/"`, `hreflang="en" href="../../../en/"`, `class="site" href="../.././"`, `dir="rtl"`} {
		if !strings.Contains(string(page), want) {
			t.Errorf("archive page lacks %s", want)
		}
	}
	front, err := IndexPaged(IndexPage{Locale: "en", Locales: []string{"en"}, Entries: es, Total: 120, Pages: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`href="a/"`, `href="page/1/"`, `href="page/3/"`} {
		if !strings.Contains(string(front), want) {
			t.Errorf("front page lacks %s", want)
		}
	}
	if strings.Contains(string(front), `rel="prev"`) {
		t.Error("front page has a prev link")
	}
}
