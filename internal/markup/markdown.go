// Package markup is the one model of a segment's inline content: what in
// a segment's text is markup or a placeholder rather than words. MT
// protection (internal/mt), the quality checks (internal/qa), XLIFF inline
// codes (internal/xliff) and rendering (internal/render) all ask it, so a
// span one of them keeps byte for byte is a span the others recognise too.
//
// Markdown structure (emphasis, links, code spans, raw HTML) is read by
// goldmark's inline parser, exactly as the reader page renders it
// (InlineParser). The rest — template actions, printf verbs, HTML tags,
// entities, URLs, e-mail addresses, numbers — is matched by the position
// matchers of Scanner, one rule each.
package markup

import (
	"strings"

	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/util"
)

// NewInlineParser returns goldmark's parser reading one segment as inline
// Markdown: the segmenter already decided the block structure, so the only
// block parser is the paragraph one — "# x" or "1. x" inside a segment stay
// literal, a leading "<script>" is inline raw HTML rather than an HTML
// block, and link reference definitions are not parsed. opts add to it
// (an AST transformer, say).
func NewInlineParser(opts ...parser.Option) parser.Parser {
	return parser.NewParser(append([]parser.Option{
		parser.WithBlockParsers(util.Prioritized(parser.NewParagraphParser(), 1000)),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
	}, opts...)...)
}

// InlineParser is NewInlineParser() with nothing added; safe for
// concurrent use.
var InlineParser = NewInlineParser()

// AllowedURL reports whether u is relative or uses http, https or mailto:
// the links a reader page keeps. A colon before any '/', '?' or '#' means a
// scheme (or something a browser might read as one), so anything else with
// such a colon is refused.
func AllowedURL(u []byte) bool {
	s := string(u)
	i := strings.IndexAny(s, ":/?#")
	if i < 0 || s[i] != ':' {
		return true
	}
	switch strings.ToLower(s[:i]) {
	case "http", "https", "mailto":
		return true
	}
	return false
}
