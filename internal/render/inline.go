package render

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/pressroom/pressroom/internal/markup"
	"github.com/pressroom/pressroom/internal/report"
)

// inlineMarkdown parses a segment as inline Markdown only, with
// internal/markup's parser (so a leading "<script>" is inline raw HTML,
// escaped below, rather than an HTML block), and applies the URL policy.
var inlineMarkdown = goldmark.New(
	goldmark.WithParser(markup.NewInlineParser(
		parser.WithASTTransformers(util.Prioritized(urlPolicy{}, 100)),
	)),
	goldmark.WithRenderer(renderer.NewRenderer(renderer.WithNodeRenderers(
		util.Prioritized(html.NewRenderer(), 1000),
		// Lower number wins: these override the default html renderer.
		util.Prioritized(segmentRenderer{}, 100),
	))),
)

// InlineHTML renders one segment's text as safe HTML: FormatMarkdown as
// inline Markdown with raw HTML shown as text and only http, https, mailto
// and relative links kept; anything else (FormatText or unknown) as
// escaped literal text.
func InlineHTML(text string, format report.Format) template.HTML {
	if format != report.FormatMarkdown {
		return template.HTML(template.HTMLEscapeString(text))
	}
	var buf bytes.Buffer
	if err := inlineMarkdown.Convert([]byte(text), &buf); err != nil {
		// Rendering into a buffer cannot fail in practice; fall back to
		// the safe literal form rather than losing the text.
		return template.HTML(template.HTMLEscapeString(text))
	}
	return template.HTML(strings.TrimSpace(buf.String()))
}

// PlainText returns a segment's text without markup, for places that take
// text only (<title>, meta description, index entries).
func PlainText(text string, format report.Format) string {
	if format != report.FormatMarkdown {
		return text
	}
	return htmlText(InlineHTML(text, format))
}

func htmlText(h template.HTML) string {
	nodes, err := xhtml.ParseFragment(strings.NewReader(string(h)), &xhtml.Node{
		Type: xhtml.ElementNode, Data: "div", DataAtom: atom.Div,
	})
	if err != nil {
		return string(h)
	}
	var b strings.Builder
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		switch {
		case n.Type == xhtml.TextNode:
			b.WriteString(n.Data)
		case n.Type == xhtml.ElementNode && n.Data == "img":
			for _, a := range n.Attr {
				if a.Key == "alt" {
					b.WriteString(a.Val)
				}
			}
		case n.Type == xhtml.ElementNode && n.Data == "br":
			b.WriteString(" ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// segmentRenderer overrides how raw HTML and paragraphs are written.
type segmentRenderer struct{}

func (segmentRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
	reg.Register(ast.KindParagraph, renderParagraph)
}

// renderRawHTML shows raw HTML as the text the author typed: dropping it
// would silently change the text, executing it would run translator input.
func renderRawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		segs := node.(*ast.RawHTML).Segments
		for i := range segs.Len() {
			s := segs.At(i)
			_, _ = w.Write(util.EscapeHTML(s.Value(source)))
		}
	}
	return ast.WalkSkipChildren, nil
}

// renderHTMLBlock is defensive: the inline parser has no HTML block parser.
func renderHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.HTMLBlock)
	if entering {
		lines := n.Lines()
		for i := range lines.Len() {
			s := lines.At(i)
			_, _ = w.Write(util.EscapeHTML(s.Value(source)))
		}
	} else if n.HasClosure() {
		_, _ = w.Write(util.EscapeHTML(n.ClosureLine.Value(source)))
	}
	return ast.WalkContinue, nil
}

// renderParagraph drops the <p> wrapper: a segment is placed inside the
// page's own <p>, <li> or <hN>. Blank lines inside one segment become <br>
// so the result stays valid phrasing content.
func renderParagraph(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering && node.PreviousSibling() != nil {
		_, _ = w.WriteString("<br>\n")
	}
	return ast.WalkContinue, nil
}

// urlPolicy keeps links and images only when their URL is http, https,
// mailto or relative; otherwise the link becomes its text and the image its
// alt text. It checks the URL exactly as the html renderer will write it
// (entities and escapes resolved), so encodings cannot smuggle a scheme.
type urlPolicy struct{}

func (urlPolicy) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	source := reader.Source()
	var unwrap []ast.Node
	var autolinks []*ast.AutoLink
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if !markup.AllowedURL(util.URLEscape(n.Destination, true)) {
				unwrap = append(unwrap, n)
			}
		case *ast.Image:
			if !markup.AllowedURL(util.URLEscape(n.Destination, true)) {
				unwrap = append(unwrap, n)
			}
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL && !markup.AllowedURL(util.URLEscape(n.URL(source), false)) {
				autolinks = append(autolinks, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unwrap {
		parent := n.Parent()
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
	for _, n := range autolinks {
		s := ast.NewString(n.Label(source))
		s.SetRaw(true) // written escaped, without entity processing
		parent := n.Parent()
		parent.ReplaceChild(parent, n, s)
	}
}
