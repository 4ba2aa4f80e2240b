package xliff

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/pressroom/pressroom/internal/report"
)

// Import reads a task file a CAT tool gave back and returns the units that
// have a target, in the order of want.Units, with Source set to the
// current source. name is used in errors (the upload's file name).
//
// Import is all or nothing: a file that is not well-formed XLIFF 2.0, is
// for another report or language pair, has a unit that is not a segment of
// want, a unit whose source is not the current source, a duplicate unit, a
// state outside initial|translated|reviewed|final, or a target whose
// placeholders differ from its source's gives an error and no units. Every
// error says the file and line; unit errors are collected (errors.Is works
// on the result for each Err* kind).
//
// What tools do to files is accepted: any namespace prefixes, extra
// namespaces and attributes (memoQ's mq:, matches, metadata), <group>s,
// notes, pretty-printing, CRLF, a byte order mark, units split into several
// <segment>s with <ignorable>s between them (joined in order, honouring
// <target order>), <mrk> annotations. A unit with no target, or with an
// empty target in any of its segments, is skipped: it was not translated.
// A unit's State is that of its least advanced segment.
func Import(name string, data []byte, want Task) ([]Unit, error) {
	root, e := decode(name, data)
	if e != nil {
		return nil, e
	}
	c := &errs{file: name}
	file := checkDocument(c, root, want)
	if file == nil {
		return nil, c.err()
	}

	current := make(map[string]Unit, len(want.Units))
	for _, u := range want.Units {
		current[u.ID] = u
	}
	r := &reader{errs: c, want: want, current: current, seen: map[string]int{}, got: map[string]Unit{}}
	r.container(file)
	if len(r.seen) == 0 && len(c.list) == 0 {
		c.add(file.line, "", ErrMalformed, "<file> has no <unit>")
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	var out []Unit
	for _, u := range want.Units {
		if g, ok := r.got[u.ID]; ok {
			out = append(out, g)
			delete(r.got, u.ID) // a repeated ID in want yields the unit once
		}
	}
	return out, nil
}

// checkDocument checks that root is an XLIFF 2.0 document for want and
// returns its one <file>, or nil after recording why not.
func checkDocument(c *errs, root *node, want Task) *node {
	malformed := func(n *node, format string, args ...any) *node {
		c.add(n.line, "", ErrMalformed, format, args...)
		return nil
	}
	switch {
	case root.name.Local == "xliff" && strings.HasPrefix(root.name.Space, "urn:oasis:names:tc:xliff:document:1."):
		v, _ := root.attr("version")
		return malformed(root, "this is XLIFF %s; export the file from your CAT tool as XLIFF 2.0", v)
	case !root.is(NS, "xliff"):
		return malformed(root, "root element is %s, not <xliff> in namespace %s: not an XLIFF 2.0 file", root.tag(), NS)
	}
	switch v, ok := root.attr("version"); {
	case !ok:
		return malformed(root, "<xliff> has no version attribute")
	case v != "2.0" && v != "2.1": // 2.1 kept the 2.0 core namespace and elements
		return malformed(root, "<xliff version=%q>: want 2.0", v)
	}
	src, _ := root.attr("srcLang")
	trg, hasTrg := root.attr("trgLang")
	switch {
	case src == "":
		return malformed(root, "<xliff> has no srcLang")
	case !hasTrg || trg == "":
		return malformed(root, "<xliff> has no trgLang")
	}
	if !sameLocale(src, want.SourceLocale) || !sameLocale(trg, want.TargetLocale) {
		c.add(root.line, "", ErrWrongTask, "file is for %s → %s, but the task is %s → %s",
			src, trg, want.SourceLocale, want.TargetLocale)
		return nil
	}

	var files []*node
	for _, k := range root.elements() {
		switch {
		case k.is(NS, "file"):
			files = append(files, k)
		case k.name.Space == NS:
			return malformed(k, "unexpected %s in <xliff>", k.tag())
		}
	}
	if len(files) != 1 {
		return malformed(root, "file has %d <file> elements; a Pressroom task file has exactly one", len(files))
	}
	file := files[0]
	if id, _ := file.attr("id"); id != want.Slug {
		c.add(file.line, "", ErrWrongTask, "<file id=%q> is report %q, but the task is report %q", id, id, want.Slug)
		return nil
	}
	// Our own metadata, when the tool kept it, must agree too.
	for _, md := range file.elements() {
		if !md.is(NSMetadata, "metadata") {
			continue
		}
		for _, g := range md.elements() {
			if cat, _ := g.attr("category"); !g.is(NSMetadata, "metaGroup") || cat != "pressroom" {
				continue
			}
			for _, m := range g.elements() {
				typ, _ := m.attr("type")
				v := strings.TrimSpace(m.text())
				ok := true
				switch typ {
				case "slug":
					ok = v == want.Slug
				case "source":
					ok = sameLocale(v, want.SourceLocale)
				case "target":
					ok = sameLocale(v, want.TargetLocale)
				}
				if !ok {
					c.add(m.line, "", ErrWrongTask, "metadata says %s %q, but the task's is %q", typ, v,
						map[string]string{"slug": want.Slug, "source": want.SourceLocale, "target": want.TargetLocale}[typ])
					return nil
				}
			}
		}
	}
	return file
}

// sameLocale compares BCP 47 tags by their canonical form, so "en-us" and
// "en-US" agree; "fr" and "fr-FR" do not.
func sameLocale(a, b string) bool {
	if a == b {
		return true
	}
	ta, errA := language.Parse(a)
	tb, errB := language.Parse(b)
	if errA != nil || errB != nil {
		return strings.EqualFold(a, b)
	}
	return ta.String() == tb.String()
}

// reader walks the units of one file.
type reader struct {
	*errs
	want    Task
	current map[string]Unit // want's units by ID
	seen    map[string]int  // unit id → line, for duplicates
	got     map[string]Unit // translated units
}

// container reads the units of a <file> or <group>.
func (r *reader) container(n *node) {
	r.noText(n)
	for _, k := range n.elements() {
		if k.name.Space != NS {
			continue // modules and extensions: metadata, tools' own data
		}
		switch k.name.Local {
		case "unit":
			r.unit(k)
		case "group":
			r.container(k)
		case "notes", "skeleton":
		default:
			r.add(k.line, "", ErrMalformed, "unexpected %s in <%s>", k.tag(), n.name.Local)
		}
	}
}

// noText records text where XLIFF allows only elements (white space from
// pretty-printing is fine).
func (r *reader) noText(n *node) {
	for _, k := range n.kids {
		if s, ok := k.(string); ok && !isSpace(s) {
			r.add(n.line, "", ErrMalformed, "text %q directly inside <%s>", clip(strings.TrimSpace(s)), n.name.Local)
			return
		}
	}
}

// run is a stretch of reconstructed text: text from <source>/<target>
// (with the xml:space mode it was written under) or an inline code's
// original data.
type run struct {
	text     string
	code     bool
	preserve bool
}

// part is a <segment> or <ignorable>.
type part struct {
	n         *node
	ignorable bool
	state     string
	source    *node
	target    *node
	order     int // target order attribute; 0 when absent
	src, tgt  []run
}

// unitReader holds what inline codes in one unit resolve against.
type unitReader struct {
	*reader
	id       string
	data     map[string]string // originalData: data id → original text
	srcCodes map[string]string // source code key → original text, for target codes without dataRef
}

func (r *reader) unit(n *node) {
	id, _ := n.attr("id")
	if id == "" {
		r.add(n.line, "", ErrMalformed, "<unit> without an id")
		return
	}
	if prev, dup := r.seen[id]; dup {
		r.add(n.line, id, ErrMalformed, "unit appears twice (first on line %d)", prev)
		return
	}
	r.seen[id] = n.line
	want, known := r.current[id]
	if !known {
		r.add(n.line, id, ErrUnknownUnit, "not a segment of report %q; the file may be from another version of the report", r.want.Slug)
		return
	}
	u := &unitReader{reader: r, id: id, data: map[string]string{}, srcCodes: map[string]string{}}
	before := len(r.list)
	r.noText(n)

	var parts []*part
	var notes []string
	for _, k := range n.elements() {
		if k.name.Space != NS {
			continue // e.g. <mtc:matches>, <mda:metadata>, tools' extensions
		}
		switch k.name.Local {
		case "notes":
			for _, note := range k.elements() {
				if note.is(NS, "note") {
					if t := strings.TrimSpace(note.text()); t != "" {
						notes = append(notes, t)
					}
				}
			}
		case "originalData":
			u.originalData(k)
		case "segment", "ignorable":
			if p := u.part(k); p != nil {
				parts = append(parts, p)
			}
		default:
			r.add(k.line, id, ErrMalformed, "unexpected %s in <unit>", k.tag())
		}
	}
	if len(r.list) > before {
		return
	}
	state, segments := StateFinal, 0
	for _, p := range parts {
		if !p.ignorable {
			segments++
			if stateRank[p.state] < stateRank[state] {
				state = p.state
			}
		}
	}
	if segments == 0 {
		r.add(n.line, id, ErrMalformed, "<unit> has no <segment>")
		return
	}

	// Sources first: target codes without dataRef resolve against them.
	for _, p := range parts {
		p.src = u.inline(p.source, nil, false)
	}
	for _, p := range parts {
		if p.target != nil {
			p.tgt = u.inline(p.target, nil, true)
		}
	}
	if len(r.list) > before {
		return
	}

	var src []run
	for _, p := range parts {
		src = append(src, p.src...)
	}
	if got := build(src, false); got != want.Source {
		if !anyDefault(src) || build(src, true) != build(runsOf(want.Source), true) {
			r.add(n.line, id, ErrSourceChanged, "the source text in the file is %q, the report's is now %q: the report changed since this file was exported; export the task again and redo this segment",
				clip(got), clip(want.Source))
			return
		}
	}

	// A unit whose segments are not all translated is not translated.
	for _, p := range parts {
		if p.ignorable {
			continue
		}
		if p.target == nil || build(p.tgt, false) == "" && build(p.src, false) != "" {
			return
		}
	}
	tgt, ok := u.reorder(parts)
	if !ok {
		return
	}
	target := build(tgt, false)
	if err := report.CheckTranslation(id, target); err != nil {
		r.add(n.line, id, ErrMalformed, "%s", strings.TrimPrefix(err.Error(), `field "segments": `))
		return
	}
	if missing, extra := diffCodes(want.Source, target); len(missing) > 0 || len(extra) > 0 {
		var why []string
		if len(missing) > 0 {
			why = append(why, "missing "+quoteAll(missing))
		}
		if len(extra) > 0 {
			why = append(why, "not in the source "+quoteAll(extra))
		}
		r.add(n.line, id, ErrPlaceholders, "the target's placeholders do not match the source's: %s", strings.Join(why, "; "))
		return
	}
	r.got[id] = Unit{ID: id, Source: want.Source, Target: target, State: state, Note: strings.Join(notes, "\n")}
}

// part reads a <segment> or <ignorable>.
func (u *unitReader) part(n *node) *part {
	p := &part{n: n, ignorable: n.name.Local == "ignorable", state: StateInitial}
	u.noText(n)
	if !p.ignorable {
		if s, ok := n.attr("state"); ok {
			if _, valid := stateRank[s]; !valid {
				u.add(n.line, u.id, ErrMalformed, "<segment state=%q>: the state must be initial, translated, reviewed or final", s)
				return nil
			}
			p.state = s
		}
	}
	for _, k := range n.elements() {
		switch {
		case k.is(NS, "source") && p.source == nil:
			p.source = k
		case k.is(NS, "target") && p.target == nil:
			p.target = k
			if o, ok := k.attr("order"); ok {
				v, err := strconv.Atoi(o)
				if err != nil || v < 1 {
					u.add(k.line, u.id, ErrMalformed, "<target order=%q>: want a positive number", o)
					return nil
				}
				p.order = v
			}
		case k.name.Space == NS:
			u.add(k.line, u.id, ErrMalformed, "unexpected %s in <%s>", k.tag(), n.name.Local)
			return nil
		}
	}
	if p.source == nil {
		u.add(n.line, u.id, ErrMalformed, "<%s> has no <source>", n.name.Local)
		return nil
	}
	return p
}

// originalData reads <data id>…</data>: text and <cp/>, always preserved.
func (u *unitReader) originalData(n *node) {
	u.noText(n)
	for _, d := range n.elements() {
		if !d.is(NS, "data") {
			if d.name.Space == NS {
				u.add(d.line, u.id, ErrMalformed, "unexpected %s in <originalData>", d.tag())
			}
			continue
		}
		id, _ := d.attr("id")
		if _, dup := u.data[id]; dup || id == "" {
			u.add(d.line, u.id, ErrMalformed, "<data id=%q> is missing or repeated", id)
			continue
		}
		var b strings.Builder
		for _, k := range d.kids {
			switch k := k.(type) {
			case string:
				b.WriteString(k)
			case *node:
				if r, ok := u.cp(k); ok {
					b.WriteRune(r)
				}
			}
		}
		u.data[id] = b.String()
	}
}

// cp reads <cp hex="…"/>, XLIFF's way of writing characters XML cannot.
func (u *unitReader) cp(n *node) (rune, bool) {
	if !n.is(NS, "cp") {
		u.add(n.line, u.id, ErrMalformed, "unexpected %s in <data>", n.tag())
		return 0, false
	}
	h, _ := n.attr("hex")
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil || !utf8.ValidRune(rune(v)) {
		u.add(n.line, u.id, ErrMalformed, "<cp hex=%q> is not a Unicode code point", h)
		return 0, false
	}
	return rune(v), true
}

// inline reads the content of <source>, <target> or an inline element.
// Codes become their original text: from <originalData> through dataRef,
// or, for a target code a tool wrote without dataRef, from the source code
// with the same id.
func (u *unitReader) inline(n *node, out []run, target bool) []run {
	for _, k := range n.kids {
		s, isText := k.(string)
		if isText {
			out = append(out, run{text: s, preserve: n.preserve})
			continue
		}
		e := k.(*node)
		if e.name.Space != NS {
			u.add(e.line, u.id, ErrMalformed, "unexpected %s in <%s>: only XLIFF inline elements may be there", e.tag(), n.name.Local)
			continue
		}
		id, _ := e.attr("id")
		switch e.name.Local {
		case "ph", "sc", "ec":
			key := id
			if id == "" && e.name.Local == "ec" {
				key, _ = e.attr("startRef")
				key = "ec:" + key
			}
			if code, ok := u.code(e, "dataRef", key, target); ok {
				out = append(out, run{text: code, code: true})
			}
			if t := e.text(); !isSpace(t) || len(e.elements()) > 0 {
				u.add(e.line, u.id, ErrMalformed, "<%s> must be empty", e.name.Local)
			}
		case "pc":
			start, ok1 := u.code(e, "dataRefStart", id+"/start", target)
			end, ok2 := u.code(e, "dataRefEnd", id+"/end", target)
			if ok1 && ok2 {
				out = append(out, run{text: start, code: true})
				out = u.inline(e, out, target)
				out = append(out, run{text: end, code: true})
			}
		case "mrk":
			out = u.inline(e, out, target) // an annotation (comment, term): its content is text
		case "sm", "em":
			// Start and end of an annotation that spans codes: no content.
		case "cp":
			if r, ok := u.cp(e); ok {
				out = append(out, run{text: string(r), preserve: true})
			}
		default:
			u.add(e.line, u.id, ErrMalformed, "unexpected %s in <%s>", e.tag(), n.name.Local)
		}
	}
	return out
}

// code returns the original text of an inline code.
func (u *unitReader) code(e *node, refAttr, key string, target bool) (string, bool) {
	if ref, ok := e.attr(refAttr); ok {
		d, ok := u.data[ref]
		if !ok {
			u.add(e.line, u.id, ErrMalformed, "<%s %s=%q>: <originalData> has no such <data>", e.name.Local, refAttr, ref)
			return "", false
		}
		if !target {
			u.srcCodes[key] = d
		}
		return d, true
	}
	if target {
		if d, ok := u.srcCodes[key]; ok {
			return d, true
		}
	}
	// A code without original data would vanish from the text: refuse it
	// rather than lose a placeholder silently.
	id := strings.TrimSuffix(strings.TrimSuffix(key, "/start"), "/end")
	if target {
		u.add(e.line, u.id, ErrMalformed, "<%s id=%q> in the target has no %s and matches no code of the source; copy the source's tags instead", e.name.Local, id, refAttr)
	} else {
		u.add(e.line, u.id, ErrMalformed, "<%s id=%q> in the source has no %s, so its original text is unknown", e.name.Local, id, refAttr)
	}
	return "", false
}

// reorder joins the unit's targets in target order: a <target order="n">
// goes to the n-th place among the unit's segments and ignorables, others
// stay in place; an ignorable without a target contributes its source.
func (u *unitReader) reorder(parts []*part) ([]run, bool) {
	slots := make([][]run, len(parts))
	filled := make([]bool, len(parts))
	for i, p := range parts {
		pos := i
		if p.order > 0 {
			pos = p.order - 1
		}
		if pos >= len(parts) || filled[pos] {
			u.add(p.n.line, u.id, ErrMalformed, "target order %d is out of range or taken by another target", pos+1)
			return nil, false
		}
		filled[pos] = true
		if p.target != nil {
			slots[pos] = p.tgt
		} else {
			slots[pos] = p.src
		}
	}
	var out []run
	for _, s := range slots {
		out = append(out, s...)
	}
	return out, true
}

// build joins runs into text. Text under xml:space="default" (or all text,
// with normalize) has white space runs collapsed to one space and the ends
// trimmed, the way XML tools read "default"; preserved text and codes are
// taken as they are.
func build(runs []run, normalize bool) string {
	var b strings.Builder
	pending := false // a collapsed space waiting for non-space content
	for _, r := range runs {
		if r.code || r.preserve && !normalize {
			if pending {
				b.WriteByte(' ')
				pending = false
			}
			b.WriteString(r.text)
			continue
		}
		for _, c := range r.text {
			if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				pending = b.Len() > 0
				continue
			}
			if pending {
				b.WriteByte(' ')
				pending = false
			}
			b.WriteRune(c)
		}
	}
	return b.String()
}

func anyDefault(runs []run) bool {
	for _, r := range runs {
		if !r.code && !r.preserve {
			return true
		}
	}
	return false
}

// runsOf splits text the way Export does, for comparing under
// normalization.
func runsOf(s string) []run {
	var out []run
	for _, p := range split(s) {
		out = append(out, run{text: p.text, code: p.code})
	}
	return out
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// clip shortens text quoted in messages.
func clip(s string) string {
	const limit = 80
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	r := []rune(s)
	return string(r[:limit]) + "…"
}
