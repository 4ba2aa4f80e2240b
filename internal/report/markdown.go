package report

import (
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// ParseMarkdown reads a Markdown report with optional YAML front matter.
// Segment text is the inline Markdown source of each block (emphasis,
// links and code spans stay as written), with soft line breaks as single
// spaces. Hard line breaks become spaces too: a segment is one line.
// Blocks a translator or the renderer cannot handle per segment (code,
// raw HTML, tables, link reference definitions) are refused.
func ParseMarkdown(name string, data []byte, opts Options) (*Report, error) {
	in, ok := prepare(name, data)
	if !ok || !in.prescan() {
		return nil, in.errs.sorted()
	}
	w := &mdWalker{in: in, src: in.body, lineStarts: []int{0}}
	for i, c := range w.src {
		if c == '\n' {
			w.lineStarts = append(w.lineStarts, i+1)
		}
	}
	if !w.checkBlocks() {
		return nil, in.errs.sorted()
	}
	// The table extension is on only so tables are recognized and refused
	// instead of passing as paragraphs of pipes.
	md := goldmark.New(goldmark.WithExtensions(extension.Table))
	doc := md.Parser().Parse(text.NewReader(w.src))

	var title titleInfo
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && n == doc.FirstChild() && h.Level == 1 && !in.fm.title.given() {
			title = titleInfo{text: w.inline(h), plain: plainText(h, w.src), line: w.line(h), found: true}
			continue
		}
		w.block(n)
	}
	return in.finish(FormatMarkdown, title, w.segs, w.segLines, opts)
}

// blockParser finds the block structure only: its cost is linear in the
// input once nesting is bounded, so leaf blocks can be measured before the
// inline parser, whose cost is not, reads them.
var blockParser = parser.NewParser(parser.WithBlockParsers(parser.DefaultBlockParsers()...))

// checkBlocks refuses leaf blocks (paragraphs, headings) over the segment
// limits before inline parsing; it returns false when any is.
func (w *mdWalker) checkBlocks() bool {
	doc := blockParser.Parse(text.NewReader(w.src))
	ok := true
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Type() != ast.TypeBlock || n.Lines().Len() == 0 {
			return ast.WalkContinue, nil
		}
		if msg := checkSegmentText(w.inline(n), MaxSegmentChars, true); msg != "" {
			if strings.HasPrefix(msg, "is ") {
				msg += " — split it into shorter paragraphs"
			}
			w.refuse(n, strings.ToLower(n.Kind().String())+" "+msg)
			ok = false
		}
		return ast.WalkSkipChildren, nil
	})
	return ok
}

type mdWalker struct {
	in         *intake
	src        []byte
	lineStarts []int // byte offsets of body lines
	lists      int
	segs       []Segment
	segLines   []int // file line of each segment
	at         int   // file line of the block being emitted
}

// line returns the file line of a node, counting front matter lines.
func (w *mdWalker) line(n ast.Node) int {
	p := n.Pos()
	if p < 0 && n.Lines().Len() > 0 {
		p = n.Lines().At(0).Start
	}
	if p < 0 {
		return 0
	}
	return w.in.bodyLine + sort.SearchInts(w.lineStarts, p+1) - 1
}

func (w *mdWalker) refuse(n ast.Node, msg string) {
	w.in.add(w.in.at(w.line(n)).errorf("", "", "%s", msg))
}

func (w *mdWalker) emit(s Segment) {
	if !blank(s.Text) {
		w.segs = append(w.segs, s)
		w.segLines = append(w.segLines, w.at)
	}
}

func (w *mdWalker) block(n ast.Node) {
	w.at = w.line(n)
	switch n := n.(type) {
	case *ast.Heading:
		w.emit(Segment{Kind: KindHeading, Level: n.Level, Text: w.inline(n)})
	case *ast.Paragraph, *ast.TextBlock:
		w.emit(Segment{Kind: KindParagraph, Text: w.inline(n)})
	case *ast.List:
		w.lists++
		num := w.lists
		for item := n.FirstChild(); item != nil; item = item.NextSibling() {
			w.listItem(item, num, n.IsOrdered())
		}
	case *ast.Blockquote:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			w.block(c)
		}
	case *ast.ThematicBreak:
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		w.refuse(n, "code blocks are not supported in reports")
	case *ast.HTMLBlock:
		w.refuse(n, "raw HTML blocks are not supported in reports")
	case *east.Table:
		w.refuse(n, "tables are not supported in reports")
	case *ast.LinkReferenceDefinition:
		// Segments are translated and rendered one by one, so a link
		// reference would lose its definition.
		w.refuse(n, "link reference definitions are not supported in reports; write links inline as [text](url)")
	default:
		w.refuse(n, n.Kind().String()+" blocks are not supported in reports")
	}
}

// listItem emits the item's own text, then its nested blocks (sub-lists,
// quotes) in document order.
func (w *mdWalker) listItem(item ast.Node, list int, ordered bool) {
	var parts []string
	for c := item.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
			if t := w.inline(c); t != "" {
				parts = append(parts, t)
			}
		}
	}
	w.emit(Segment{Kind: KindListItem, List: list, Ordered: ordered, Text: strings.Join(parts, " ")})
	for c := item.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.(type) {
		case *ast.Paragraph, *ast.TextBlock, *ast.Heading:
		default:
			w.block(c)
		}
	}
}

// inline returns a block's inline Markdown source as one line.
func (w *mdWalker) inline(n ast.Node) string {
	lines := n.Lines()
	parts := make([]string, 0, lines.Len())
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		line := strings.Trim(string(seg.Value(w.src)), " \t\n")
		if i < lines.Len()-1 && hardBreak(line) {
			line = strings.TrimRight(line[:len(line)-1], " \t")
		}
		if line != "" {
			parts = append(parts, line)
		}
	}
	return strings.Join(parts, " ")
}

// hardBreak reports a line ending in an unescaped backslash, which
// CommonMark reads as a hard line break.
func hardBreak(line string) bool {
	n := len(line) - len(strings.TrimRight(line, `\`))
	return n%2 == 1
}

// plainText is the text of a node without markup, for deriving slugs.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			b.Write(c.Label(src))
		case *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// markdownPlain is plainText for a Markdown string such as a front matter
// title.
func markdownPlain(s string) string {
	src := []byte(s)
	return plainText(goldmark.New().Parser().Parse(text.NewReader(src)), src)
}
