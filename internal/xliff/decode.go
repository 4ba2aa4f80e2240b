package xliff

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/pressroom/pressroom/internal/report"
)

// MaxFileSize bounds what Import reads: a 2 MiB report (intake's limit)
// exports to a few MiB of XLIFF.
const MaxFileSize = 32 << 20

// MaxElements bounds the elements of one file: about 20 per segment
// (unit, segment, source, target, notes, inline codes) for the largest
// report. Each parsed element costs memory, and a file of nothing but
// "<x/>" would otherwise take about 60 times its size.
const MaxElements = 20*report.MaxSegments + 1000

// MaxAttributes bounds the attributes of one element.
const MaxAttributes = 64

// maxDepth bounds element nesting (XLIFF needs about eight levels plus
// nested inline codes); it keeps a hostile file from exhausting the stack.
const maxDepth = 100

// node is an element of the parsed document, with where it started.
type node struct {
	name     xml.Name // Space is the namespace URI, whatever prefix the file used
	attrs    []xml.Attr
	kids     []any // *node or string (character data), in document order
	line     int
	preserve bool // effective xml:space="preserve", inherited
}

// attr returns an attribute without namespace (XLIFF's own attributes).
func (n *node) attr(local string) (string, bool) {
	for _, a := range n.attrs {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

func (n *node) is(space, local string) bool { return n.name.Space == space && n.name.Local == local }

// elements returns the child elements.
func (n *node) elements() []*node {
	var out []*node
	for _, k := range n.kids {
		if e, ok := k.(*node); ok {
			out = append(out, e)
		}
	}
	return out
}

// text returns the character data directly inside n.
func (n *node) text() string {
	var b strings.Builder
	for _, k := range n.kids {
		if s, ok := k.(string); ok {
			b.WriteString(s)
		}
	}
	return b.String()
}

// tag names n for messages: <unit>, or <prefix-less local> plus its
// namespace when it is not XLIFF core.
func (n *node) tag() string {
	if n.name.Space == NS || n.name.Space == "" {
		return "<" + n.name.Local + ">"
	}
	return fmt.Sprintf("<%s> (namespace %s)", n.name.Local, n.name.Space)
}

// decode parses data into a tree, with encoding/xml resolving namespace
// prefixes: a file that binds the core namespace to "xlf:" or declares
// memoQ's or other tools' namespaces reads the same as ours.
func decode(name string, data []byte) (*node, *Error) {
	fail := func(line int, format string, args ...any) *Error {
		return &Error{File: name, Line: line, Kind: ErrMalformed, Msg: fmt.Sprintf(format, args...)}
	}
	if len(data) > MaxFileSize {
		return nil, fail(0, "file is larger than %d MiB", MaxFileSize>>20)
	}
	data, transcoded, err := toUTF8(data)
	if err != nil {
		return nil, fail(1, "%v", err)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if transcoded && strings.HasPrefix(strings.ToLower(label), "utf-16") {
			return r, nil // already UTF-8 (see toUTF8)
		}
		return nil, fmt.Errorf("encoding %q is not supported; save the file as UTF-8", label)
	}
	var root *node
	var stack []*node
	elements := 0
	for {
		// Before Token the decoder stands at the start of the next token,
		// so this is the line of the "<" of an element.
		line, _ := d.InputPos()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, fail(se.Line, "not well-formed XML: %s", se.Msg)
			}
			return nil, fail(line, "not well-formed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 && root != nil {
				return nil, fail(line, "a second root element <%s> after </%s>", t.Name.Local, root.name.Local)
			}
			if len(stack) >= maxDepth {
				return nil, fail(line, "elements nested more than %d deep", maxDepth)
			}
			if elements++; elements > MaxElements {
				return nil, fail(line, "more than %d elements; the limit is %d (about 20 per segment)", MaxElements, MaxElements)
			}
			if len(t.Attr) > MaxAttributes {
				return nil, fail(line, "<%s> has %d attributes; the limit is %d", t.Name.Local, len(t.Attr), MaxAttributes)
			}
			n := &node{name: t.Name, attrs: t.Attr, line: line}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				n.preserve = parent.preserve
				parent.kids = append(parent.kids, n)
			} else {
				root = n
			}
			for _, a := range t.Attr {
				if a.Name.Space == nsXML && a.Name.Local == "space" {
					switch a.Value {
					case "preserve":
						n.preserve = true
					case "default":
						n.preserve = false
					default:
						return nil, fail(line, `xml:space=%q on <%s>; it must be "default" or "preserve"`, a.Value, t.Name.Local)
					}
				}
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1] // the decoder has checked that tags match
		case xml.CharData:
			if len(stack) == 0 {
				if strings.Trim(string(t), " \t\r\n") != "" {
					return nil, fail(line, "not XML: text %q outside the root element", clip(strings.TrimSpace(string(t))))
				}
				continue
			}
			top := stack[len(stack)-1]
			top.kids = append(top.kids, string(t)) // string() copies: the decoder reuses its buffer
		case xml.Directive:
			// A DOCTYPE could declare entities; XLIFF 2.0 files have none.
			return nil, fail(line, "<!%s> is not allowed in an XLIFF file", firstWord(string(t)))
		}
	}
	if root == nil {
		return nil, fail(1, "no XML element: the file is empty or not XML")
	}
	return root, nil
}

// toUTF8 drops a UTF-8 byte order mark (Windows tools write one) and
// converts UTF-16 with a byte order mark to UTF-8.
func toUTF8(data []byte) ([]byte, bool, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], false, nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil {
			return nil, false, fmt.Errorf("not valid UTF-16: %v", err)
		}
		return out, true, nil
	}
	return data, false, nil
}

func firstWord(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return s
}

// isSpace reports whether s is only XML white space.
func isSpace(s string) bool { return strings.Trim(s, " \t\r\n") == "" }
