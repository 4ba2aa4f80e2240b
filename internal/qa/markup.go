package qa

import (
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	xhtml "golang.org/x/net/html"

	inline "github.com/pressroom/pressroom/internal/markup"
)

// markup is what a segment's Markdown renders as markup.
type markup struct {
	emphasis []string // "emphasis *…*", "strong emphasis **…**"
	code     []string // "code span `…`"
	html     []string // "HTML tag <a href=\"…\" title>" (see tagSignature)
	links    []string // destinations of links and images
	images   []string
}

// parseMarkup reads s as inline Markdown exactly as the renderer does
// (internal/markup's parser). Counting what it parses, rather than
// counting characters, is what tells "*" as emphasis from "*" as a literal
// asterisk ("5 * 3"), and notices emphasis that stops being emphasis in the
// target (markers next to CJK punctuation).
func parseMarkup(s string) markup {
	var m markup
	src := []byte(s)
	doc := inline.InlineParser.Parse(text.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Emphasis:
			if n.Level >= 2 {
				m.emphasis = append(m.emphasis, "strong emphasis **…**")
			} else {
				m.emphasis = append(m.emphasis, "emphasis *…*")
			}
		case *ast.CodeSpan:
			var b strings.Builder
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*ast.Text); ok {
					b.Write(t.Segment.Value(src))
				}
			}
			m.code = append(m.code, "code span `"+b.String()+"`")
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			var b strings.Builder
			for i := range n.Segments.Len() {
				seg := n.Segments.At(i)
				b.Write(seg.Value(src))
			}
			m.html = append(m.html, "HTML tag "+tagSignature(b.String()))
		case *ast.Link:
			m.links = append(m.links, string(n.Destination))
		case *ast.Image:
			m.images = append(m.images, string(n.Destination))
		}
		return ast.WalkContinue, nil
	})
	return m
}

// translatableAttrs hold words for people, which a translation changes;
// every other attribute (href, src, on*, style, class) is code and must be
// kept exactly.
var translatableAttrs = map[string]bool{"title": true, "alt": true, "aria-label": true, "placeholder": true}

// tagSignature is what of a tag a translation must keep: its name and its
// attributes in order of name, with the value of each attribute except the
// translatable ones — <a href="x" title="Help"> → <a href="x" title>. So a
// target that turns a link into <a href="javascript:…" onclick=…> fails
// the check, while one that translates its title passes.
func tagSignature(tag string) string {
	if strings.HasPrefix(tag, "<!--") {
		return "<!-- -->"
	}
	z := xhtml.NewTokenizer(strings.NewReader(tag))
	tt := z.Next()
	if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken && tt != xhtml.EndTagToken {
		return tag
	}
	tok := z.Token()
	if tt == xhtml.EndTagToken {
		return "</" + tok.Data + ">"
	}
	attrs := slices.Clone(tok.Attr)
	slices.SortStableFunc(attrs, func(a, b xhtml.Attribute) int { return strings.Compare(a.Key, b.Key) })
	var b strings.Builder
	b.WriteString("<" + tok.Data)
	for _, a := range attrs {
		b.WriteString(" " + a.Key)
		if !translatableAttrs[a.Key] {
			b.WriteString("=" + strconv.Quote(a.Val))
		}
	}
	b.WriteString(">")
	return b.String()
}

// compareMarkup reports markup the translation lost, added or changed.
func (c *checker) compareMarkup(src, tgt markup, tgtTokens tokens) {
	before := len(c.findings)
	c.compare(CheckMarkup, Error, "", src.emphasis, tgt.emphasis)
	if len(c.findings) > before && len(tgt.emphasis) < len(src.emphasis) && strings.ContainsAny(tgtTokens.plain, "*_") {
		// The markers are there but Markdown does not read them as
		// emphasis: typically "**重要。**" where a marker touches
		// punctuation on one side and a letter on the other.
		c.findings[len(c.findings)-1].Message += "; the target has * or _ that Markdown does not read as emphasis where they stand (next to punctuation, a marker needs a space or punctuation on its other side)"
	}
	c.compare(CheckMarkup, Error, "", src.code, tgt.code)
	c.compare(CheckMarkup, Error, "", src.html, tgt.html)
	c.compare(CheckMarkup, Error, "link destination ", src.links, tgt.links)
	c.compare(CheckMarkup, Error, "image ", src.images, tgt.images)
}
