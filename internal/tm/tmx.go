package tm

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/pressroom/pressroom/internal/report"
)

// TMX 1.4 (https://www.gala-global.org/tmx-14b) is how translation
// memories move between tools.
//
// Reading. Each <tu> gives one entry per (source tuv, other-language tuv)
// pair; with srclang="*all*" (on the header or the tu) every language of
// the tu is a source, so a tu in en, fr and es gives all six directed
// pairs. A tu with no translation or with a blank <seg> gives no entry.
//
// A <seg>'s text is all the character data inside it, in order, including
// that inside inline elements: <bpt>, <ept>, <ph>, <it> and <ut> hold the
// original (native) code they stand for, and <hi> and <sub> hold text, so
// `Read <bpt i="1">**</bpt>this<ept i="1">**</ept>` becomes "Read
// **this**" — the inline Markdown Pressroom wrote. Tools that leave inline
// elements empty (their native code unknown, as some CAT tools export)
// contribute nothing for them: the text keeps its words, and a lookup
// will find it as a fuzzy rather than an exact match.
//
// Time is the changedate, else creationdate, of the target <tuv>, else of
// the <tu>; Approver likewise from changeid/creationid. Properties
// x-pressroom-slug and x-pressroom-segment (on the tu or the target tuv)
// give Slug and SegmentID. Notes, other properties and <ude> are ignored.
// Files may be UTF-8 or UTF-16 with a byte order mark (as Trados writes
// them), or any encoding their XML declaration names that WHATWG knows.

const (
	propSlug    = "x-pressroom-slug"
	propSegment = "x-pressroom-segment"
	tmxTime     = "20060102T150405Z"
	xmlNS       = "http://www.w3.org/XML/1998/namespace"
)

// Limits of one TMX import. With srclang="*all*" a tu of n variants gives
// n×(n-1) entries, so variants are capped per tu as well as entries per
// file: 3,000 variants in 131 KB would otherwise give 9 million entries.
const (
	MaxTMXSize        = 128 << 20 // bytes read from one file
	MaxTMXVariants    = 32        // <tuv> per <tu>
	MaxTMXEntries     = 500_000   // entries from one file
	maxTMXSizeMessage = "128 MiB"
)

// errTMXTooLarge ends reading a file over MaxTMXSize.
var errTMXTooLarge = fmt.Errorf("the file is larger than %s, the limit for one TMX import; split it into several files", maxTMXSizeMessage)

// tmxLimits are the limits ReadTMX applies; tests lower them to reach
// them cheaply.
type tmxLimits struct {
	size    int64
	entries int
}

var defaultTMXLimits = tmxLimits{size: MaxTMXSize, entries: MaxTMXEntries}

// sizeLimit fails reading past n bytes, rather than stopping quietly as
// io.LimitReader does (which would read as a truncated file).
type sizeLimit struct {
	r io.Reader
	n int64
}

func (l *sizeLimit) Read(p []byte) (int, error) {
	if l.n <= 0 {
		// One byte more tells a file of exactly n bytes from a longer one.
		var one [1]byte
		k, err := l.r.Read(one[:])
		if k > 0 {
			return 0, errTMXTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	k, err := l.r.Read(p)
	l.n -= int64(k)
	return k, err
}

// ReadTMX reads a TMX document of at most MaxTMXSize bytes. name is used
// in errors, which say the line ("memory.tmx:12: ...").
func ReadTMX(name string, r io.Reader) ([]Entry, error) {
	return readTMX(name, r, defaultTMXLimits)
}

func readTMX(name string, r io.Reader, lim tmxLimits) ([]Entry, error) {
	// A byte order mark decides UTF-16 or UTF-8; without one the bytes pass
	// through for the XML declaration to name the encoding.
	d := xml.NewDecoder(transform.NewReader(&sizeLimit{r: r, n: lim.size}, unicode.BOMOverride(transform.Nop)))
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		if strings.HasPrefix(strings.ToLower(label), "utf-16") {
			return in, nil // already decoded from UTF-16 by its byte order mark
		}
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("unsupported encoding %q", label)
		}
		return enc.NewDecoder().Reader(in), nil
	}
	tr := &tmxReader{name: name, d: d, maxEntries: lim.entries}
	for {
		tok, err := tr.token()
		if err == io.EOF {
			return nil, fmt.Errorf("%s: no <tmx> element: the file is empty or not TMX", name)
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "tmx" {
				return nil, tr.errorf("the root element is <%s>; a TMX file has <tmx version=\"1.4\">", t.Name.Local)
			}
			return tr.tmx()
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return nil, tr.errorf("text before the <tmx> element")
			}
		}
	}
}

type tmxReader struct {
	name string
	d    *xml.Decoder
	// srclang is the header's source language (canonical), or "*all*".
	srclang    string
	seenHeader bool
	tuCount    int
	maxEntries int
	entries    []Entry
}

func (tr *tmxReader) line() int {
	l, _ := tr.d.InputPos()
	return l
}

func (tr *tmxReader) errorf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", tr.name, tr.line(), fmt.Sprintf(format, args...))
}

// token returns the next token, with syntax errors made readable.
func (tr *tmxReader) token() (xml.Token, error) {
	tok, err := tr.d.Token()
	if err == nil || err == io.EOF {
		return tok, err
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return nil, fmt.Errorf("%s:%d: malformed XML: %s", tr.name, se.Line, se.Msg)
	}
	return nil, fmt.Errorf("%s:%d: %v", tr.name, tr.line(), err)
}

// children calls fn for each child element of the current element, until
// its end tag. fn must consume the child (read to its end or Skip it).
func (tr *tmxReader) children(fn func(xml.StartElement) error) error {
	for {
		tok, err := tr.token()
		if err == io.EOF {
			return tr.errorf("malformed XML: unexpected end of file")
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// skip consumes the rest of the current element.
func (tr *tmxReader) skip() error {
	if err := tr.d.Skip(); err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("%s:%d: malformed XML: %s", tr.name, se.Line, se.Msg)
		}
		return tr.errorf("%v", err)
	}
	return nil
}

// text returns all character data up to the end of the current element,
// inline elements included (see the comment at the top of this file).
func (tr *tmxReader) text() (string, error) {
	var b strings.Builder
	depth := 0
	for {
		tok, err := tr.token()
		if err == io.EOF {
			return "", tr.errorf("malformed XML: unexpected end of file")
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			depth++
		case xml.EndElement:
			if depth == 0 {
				return b.String(), nil
			}
			depth--
		}
	}
}

func (tr *tmxReader) errorfAt(line int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", tr.name, line, fmt.Sprintf(format, args...))
}

func (tr *tmxReader) tmx() ([]Entry, error) {
	err := tr.children(func(t xml.StartElement) error {
		switch t.Name.Local {
		case "header":
			return tr.header(t)
		case "body":
			if !tr.seenHeader {
				return tr.errorf("<body> comes before <header>; TMX needs <header srclang=...> first")
			}
			return tr.children(func(t xml.StartElement) error {
				if t.Name.Local == "tu" {
					return tr.tu(t)
				}
				return tr.skip()
			})
		default:
			return tr.skip()
		}
	})
	if err != nil {
		return nil, err
	}
	if !tr.seenHeader {
		return nil, tr.errorf("no <header> element; TMX needs <header srclang=...>")
	}
	return tr.entries, nil
}

func (tr *tmxReader) header(t xml.StartElement) error {
	line := tr.line()
	tr.seenHeader = true
	src, ok := attr(t, "srclang")
	if !ok || strings.TrimSpace(src) == "" {
		return tr.errorfAt(line, "<header> has no srclang attribute; TMX 1.4 requires one (a language tag such as en-US, or *all*)")
	}
	lang, err := tr.lang(line, "<header> srclang", src, true)
	if err != nil {
		return err
	}
	tr.srclang = lang
	return tr.skip()
}

// lang returns the canonical form of a language attribute, or "*all*".
func (tr *tmxReader) lang(line int, what, value string, allowAll bool) (string, error) {
	if allowAll && strings.EqualFold(strings.TrimSpace(value), "*all*") {
		return "*all*", nil
	}
	c, err := report.CanonicalLocale(value)
	if err != nil {
		return "", tr.errorfAt(line, "%s: %v", what, err)
	}
	return c, nil
}

// tuv is one language variant of a tu.
type tuv struct {
	lang     string
	seg      string
	hasSeg   bool
	time     time.Time
	approver string
	slug     string
	segment  string
}

func (tr *tmxReader) tu(t xml.StartElement) error {
	tr.tuCount++
	line := tr.line()
	where := fmt.Sprintf("tu #%d", tr.tuCount)
	if id, ok := attr(t, "tuid"); ok {
		where += fmt.Sprintf(" (tuid %q)", id)
	}
	srclang := tr.srclang
	if v, ok := attr(t, "srclang"); ok {
		var err error
		if srclang, err = tr.lang(line, where+": srclang", v, true); err != nil {
			return err
		}
	}
	own := tuv{}
	var err error
	if own.time, own.approver, err = tr.stamp(t, line, where); err != nil {
		return err
	}
	var tuvs []tuv
	err = tr.children(func(c xml.StartElement) error {
		switch c.Name.Local {
		case "prop":
			return tr.prop(c, &own)
		case "tuv":
			if len(tuvs) == MaxTMXVariants {
				return tr.errorf("%s has more than %d <tuv> language variants; the limit is %d per <tu>", where, MaxTMXVariants, MaxTMXVariants)
			}
			v, err := tr.tuv(c, where)
			tuvs = append(tuvs, v)
			return err
		default:
			return tr.skip() // note, and anything a tool adds
		}
	})
	if err != nil {
		return err
	}

	var full error
	emit := func(s, t *tuv) {
		if full != nil || strings.TrimSpace(s.seg) == "" || strings.TrimSpace(t.seg) == "" {
			return
		}
		if len(tr.entries) == tr.maxEntries {
			full = tr.errorfAt(line, "%s: the file holds more than %d entries (one per language pair of each <tu>), the limit for one import; split it into several files", where, tr.maxEntries)
			return
		}
		tr.entries = append(tr.entries, Entry{
			SourceLocale: s.lang, TargetLocale: t.lang, Source: s.seg, Target: t.seg,
			Slug:      cmp.Or(t.slug, own.slug),
			SegmentID: cmp.Or(t.segment, own.segment),
			Approver:  cmp.Or(t.approver, own.approver),
			Time:      cmp.Or(t.time, own.time),
		})
	}
	if srclang == "*all*" {
		for i := range tuvs {
			for j := range tuvs {
				if tuvs[i].lang != tuvs[j].lang {
					emit(&tuvs[i], &tuvs[j])
				}
			}
		}
		return full
	}
	src := slices.IndexFunc(tuvs, func(v tuv) bool { return v.lang == srclang })
	if src < 0 {
		var langs []string
		for _, v := range tuvs {
			langs = append(langs, v.lang)
		}
		has := "it has none"
		if len(langs) > 0 {
			has = "it has " + strings.Join(langs, ", ")
		}
		return tr.errorfAt(line, "%s has no <tuv> in the source language %s; %s", where, srclang, has)
	}
	for i := range tuvs {
		if tuvs[i].lang != srclang {
			emit(&tuvs[src], &tuvs[i])
		}
	}
	return full
}

func (tr *tmxReader) tuv(t xml.StartElement, where string) (tuv, error) {
	line := tr.line()
	raw, ok := langAttr(t)
	if !ok {
		return tuv{}, tr.errorfAt(line, "%s: <tuv> has no xml:lang attribute", where)
	}
	lang, err := tr.lang(line, where+": <tuv> xml:lang", raw, false)
	if err != nil {
		return tuv{}, err
	}
	v := tuv{lang: lang}
	if v.time, v.approver, err = tr.stamp(t, line, where); err != nil {
		return tuv{}, err
	}
	err = tr.children(func(c xml.StartElement) error {
		switch c.Name.Local {
		case "seg":
			if v.hasSeg {
				return tr.errorf("%s: <tuv xml:lang=%q> has more than one <seg>", where, raw)
			}
			v.hasSeg = true
			v.seg, err = tr.text()
			return err
		case "prop":
			return tr.prop(c, &v)
		default:
			return tr.skip()
		}
	})
	if err != nil {
		return tuv{}, err
	}
	if !v.hasSeg {
		return tuv{}, tr.errorfAt(line, "%s: <tuv xml:lang=%q> has no <seg>", where, raw)
	}
	return v, nil
}

// prop reads a <prop>, keeping the ones Pressroom writes.
func (tr *tmxReader) prop(t xml.StartElement, into *tuv) error {
	typ, _ := attr(t, "type")
	text, err := tr.text()
	if err != nil {
		return err
	}
	switch typ {
	case propSlug:
		into.slug = strings.TrimSpace(text)
	case propSegment:
		into.segment = strings.TrimSpace(text)
	}
	return nil
}

// stamp returns the time (changedate, else creationdate) and the person
// (changeid, else creationid) of a tu or tuv.
func (tr *tmxReader) stamp(t xml.StartElement, line int, where string) (time.Time, string, error) {
	var when time.Time
	for _, name := range []string{"creationdate", "changedate"} { // the later one wins
		v, ok := attr(t, name)
		if !ok || strings.TrimSpace(v) == "" {
			continue
		}
		parsed, err := parseTMXTime(strings.TrimSpace(v))
		if err != nil {
			return time.Time{}, "", tr.errorfAt(line, "%s: %s %q is not a TMX date (YYYYMMDDThhmmssZ, UTC)", where, name, v)
		}
		when = parsed
	}
	who, _ := attr(t, "changeid")
	if strings.TrimSpace(who) == "" {
		who, _ = attr(t, "creationid")
	}
	return when, strings.TrimSpace(who), nil
}

// parseTMXTime reads TMX's date format, and RFC 3339, which some tools
// write instead.
func parseTMXTime(s string) (time.Time, error) {
	if t, err := time.Parse(tmxTime, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, s)
}

// attr returns an attribute without namespace.
func attr(t xml.StartElement, local string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Space == "" && a.Name.Local == local {
			return a.Value, true
		}
	}
	return "", false
}

// langAttr returns xml:lang, or TMX 1.1's lang.
func langAttr(t xml.StartElement) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == "lang" && (a.Name.Space == xmlNS || a.Name.Space == "xml") {
			return a.Value, true
		}
	}
	return attr(t, "lang")
}

// WriteTMX writes entries of one language pair as a TMX 1.4 document:
// plain text segments (Markdown stays as written), XML-escaped, one <tu>
// per entry ordered by source text, so the same entries always give the
// same bytes. tool is written as the header's creationtoolversion (for
// example Pressroom's version). Time is written with TMX's one-second
// precision, in UTC. It refuses entries of another pair, empty texts and
// characters XML 1.0 cannot carry, before writing anything.
func WriteTMX(w io.Writer, sourceLocale, targetLocale string, es []Entry, tool string) error {
	src, err := report.CanonicalLocale(sourceLocale)
	if err != nil {
		return fmt.Errorf("tmx: source %w", err)
	}
	tgt, err := report.CanonicalLocale(targetLocale)
	if err != nil {
		return fmt.Errorf("tmx: target %w", err)
	}
	for i, e := range es {
		if s, t := canonicalOrAsIs(e.SourceLocale), canonicalOrAsIs(e.TargetLocale); s != src || t != tgt {
			return fmt.Errorf("tmx: entry %d is %s→%s, not %s→%s", i+1, s, t, src, tgt)
		}
		if strings.TrimSpace(e.Source) == "" || strings.TrimSpace(e.Target) == "" {
			return fmt.Errorf("tmx: entry %d has an empty source or target text", i+1)
		}
		for _, f := range []struct{ name, v string }{
			{"source", e.Source}, {"target", e.Target}, {"slug", e.Slug},
			{"segment ID", e.SegmentID}, {"approver", e.Approver},
		} {
			if err := xmlChars(f.v); err != nil {
				return fmt.Errorf("tmx: entry %d: %s %v", i+1, f.name, err)
			}
		}
	}
	sorted := slices.Clone(es)
	slices.SortStableFunc(sorted, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(a.Source, b.Source), cmp.Compare(a.Target, b.Target),
			a.Time.Compare(b.Time), cmp.Compare(a.Slug, b.Slug),
			cmp.Compare(a.SegmentID, b.SegmentID), cmp.Compare(a.Approver, b.Approver))
	})
	if tool == "" {
		tool = "unknown"
	}

	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString("<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n")
	b.WriteString("<tmx version=\"1.4\">\n")
	fmt.Fprintf(&b, "  <header creationtool=\"Pressroom\" creationtoolversion=\"%s\" segtype=\"sentence\""+
		" o-tmf=\"Pressroom\" adminlang=\"en\" srclang=\"%s\" datatype=\"plaintext\"/>\n", escape(tool), escape(src))
	b.WriteString("  <body>\n")
	for _, e := range sorted {
		b.WriteString("    <tu")
		if !e.Time.IsZero() {
			fmt.Fprintf(&b, " creationdate=\"%s\"", e.Time.UTC().Format(tmxTime))
		}
		if e.Approver != "" {
			fmt.Fprintf(&b, " creationid=\"%s\"", escape(e.Approver))
		}
		b.WriteString(">\n")
		if e.Slug != "" {
			fmt.Fprintf(&b, "      <prop type=\"%s\">%s</prop>\n", propSlug, escape(e.Slug))
		}
		if e.SegmentID != "" {
			fmt.Fprintf(&b, "      <prop type=\"%s\">%s</prop>\n", propSegment, escape(e.SegmentID))
		}
		fmt.Fprintf(&b, "      <tuv xml:lang=\"%s\"><seg>%s</seg></tuv>\n", escape(src), escape(e.Source))
		fmt.Fprintf(&b, "      <tuv xml:lang=\"%s\"><seg>%s</seg></tuv>\n", escape(tgt), escape(e.Target))
		b.WriteString("    </tu>\n")
	}
	b.WriteString("  </body>\n</tmx>\n")
	_, err = w.Write(b.Bytes())
	return err
}

// escape escapes text for element content and attribute values alike;
// tabs and line breaks become character references, so they survive
// attribute normalization and come back as written.
func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	return b.String()
}

// xmlChars reports a character XML 1.0 cannot represent (most C0 controls,
// surrogates, U+FFFE/U+FFFF) or invalid UTF-8.
func xmlChars(s string) error {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return fmt.Errorf("is not valid UTF-8")
		case r == 0x9 || r == 0xA || r == 0xD,
			r >= 0x20 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD,
			r >= 0x10000 && r <= utf8.MaxRune:
		default:
			return fmt.Errorf("contains %U, which XML 1.0 cannot carry", r)
		}
	}
	return nil
}
