package render

import (
	"html"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	xhtml "golang.org/x/net/html"

	"github.com/pressroom/pressroom/internal/markup"
)

// inlineTags are the HTML elements a segment may carry into report.md and
// the catalogs: phrasing markup that runs nothing. Any other tag
// (<script>, <iframe>, <svg>, <form>, <style>, ...) is dropped; its text
// stays.
var inlineTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "br": true, "cite": true,
	"code": true, "del": true, "dfn": true, "em": true, "i": true, "img": true, "ins": true,
	"kbd": true, "mark": true, "q": true, "s": true, "samp": true, "small": true, "span": true,
	"strong": true, "sub": true, "sup": true, "time": true, "u": true, "var": true, "wbr": true,
}

// inlineAttrs are the attributes kept, per element ("*": any element).
// Event handlers (on*), style, srcdoc and the like are dropped.
var inlineAttrs = map[string][]string{
	"*":    {"title", "lang", "dir"},
	"a":    {"href", "hreflang"},
	"img":  {"src", "alt", "width", "height"},
	"q":    {"cite"},
	"del":  {"cite", "datetime"},
	"ins":  {"cite", "datetime"},
	"time": {"datetime"},
}

// urlAttrs hold URLs, which must pass markup.AllowedURL.
var urlAttrs = map[string]bool{"href": true, "src": true, "cite": true}

// SafeInlineMarkdown returns a FormatMarkdown segment made safe for
// whoever renders report.md or a catalog message as Markdown: raw HTML
// tags outside inlineTags are dropped, attributes outside inlineAttrs or
// with a URL other than http, https, mailto or relative (javascript:,
// data:) are removed — <a href="javascript:…" onclick=…> becomes <a> —
// and a Markdown link or image to such a URL is escaped into literal text
// (as the reader page shows it). Everything else is kept as written.
func SafeInlineMarkdown(s string) string {
	if !strings.ContainsAny(s, "<[") {
		return s
	}
	src := []byte(s)
	// The parser without urlPolicy, which would unwrap the links to find.
	doc := markup.InlineParser.Parse(text.NewReader(src))
	var edits []edit
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.RawHTML:
			if n.Segments.Len() > 0 {
				from, to := n.Segments.At(0).Start, n.Segments.At(n.Segments.Len()-1).Stop
				if safe := safeTag(s[from:to]); safe != s[from:to] {
					edits = append(edits, edit{from, to, safe})
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			if !markup.AllowedURL(util.URLEscape(n.Destination, true)) {
				edits = append(edits, escapeOpener(n, src, "[")...)
			}
		case *ast.Image:
			if !markup.AllowedURL(util.URLEscape(n.Destination, true)) {
				edits = append(edits, escapeOpener(n, src, "![")...)
			}
		}
		return ast.WalkContinue, nil
	})
	if len(edits) == 0 {
		return s
	}
	slices.SortFunc(edits, func(a, b edit) int { return a.from - b.from })
	var out strings.Builder
	at := 0
	for _, e := range edits {
		if e.from < at {
			continue
		}
		out.WriteString(s[at:e.from])
		out.WriteString(e.with)
		at = e.to
	}
	out.WriteString(s[at:])
	return out.String()
}

// edit replaces src[from:to] with with.
type edit struct {
	from, to int
	with     string
}

// escapeOpener escapes the "[" that opens a link (or "![" an image) so
// Markdown reads it as text. The opener stands just before the first
// text of the label; a link without one shows nothing to click.
func escapeOpener(n ast.Node, src []byte, opener string) []edit {
	var first *ast.Text
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			first = t
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if first == nil {
		return nil
	}
	at := first.Segment.Start - len(opener)
	if at < 0 || string(src[at:first.Segment.Start]) != opener {
		return nil
	}
	// "\![" would escape the "!" only, leaving a link: escape the "[".
	return []edit{{at, at + len(opener), strings.TrimSuffix(opener, "[") + `\[`}}
}

// safeTag rewrites one raw HTML tag as SafeInlineMarkdown says. Comments
// stay; processing instructions, declarations and CDATA are dropped.
func safeTag(tag string) string {
	if strings.HasPrefix(tag, "<!--") {
		return tag
	}
	z := xhtml.NewTokenizer(strings.NewReader(tag))
	switch z.Next() {
	case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
	default:
		return ""
	}
	tok := z.Token()
	name := tok.Data
	if !inlineTags[name] {
		return ""
	}
	if tok.Type == xhtml.EndTagToken {
		return "</" + name + ">"
	}
	if !slices.ContainsFunc(tok.Attr, func(a xhtml.Attribute) bool { return !safeAttr(name, a.Key, a.Val) }) {
		return tag // safe as written: keep its bytes
	}
	var b strings.Builder
	b.WriteString("<" + name)
	for _, a := range tok.Attr {
		if !safeAttr(name, a.Key, a.Val) {
			continue
		}
		b.WriteString(" " + a.Key + `="` + html.EscapeString(a.Val) + `"`)
	}
	if tok.Type == xhtml.SelfClosingTagToken {
		b.WriteString(" /")
	}
	b.WriteString(">")
	return b.String()
}

func safeAttr(tag, key, val string) bool {
	if !slices.Contains(inlineAttrs["*"], key) && !slices.Contains(inlineAttrs[tag], key) {
		return false
	}
	if urlAttrs[key] {
		return markup.AllowedURL([]byte(strings.TrimSpace(val))) && !strings.ContainsAny(val, "\x00\t\n\r")
	}
	return true
}
