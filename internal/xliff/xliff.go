// Package xliff exports a translation task as XLIFF 2.0 for CAT tools
// (OmegaT, memoQ, Trados, Okapi) and imports the file they give back.
//
// # The file
//
// One <xliff version="2.0" srcLang trgLang> with one <file id="<slug>">;
// one <unit id="<segment ID>"> per segment, in task order, each with one
// <segment state="…"> holding <source> and, when there is a draft,
// <target>. The task's identity is the file id (the report slug) plus
// srcLang and trgLang; Import checks all three. The file also carries the
// three values as Metadata-module entries (<mda:metaGroup
// category="pressroom"> with <mda:meta type="slug|source|target">) so a
// person can see what the file is for; Import checks them when present but
// does not need them, because a tool may drop a module it does not know.
// Unit.Note is written as the unit's <note category="pressroom">.
//
// # Inline codes
//
// {{…}} template actions, printf verbs (%s, %[1]d), HTML tags and
// comments, autolinks and Markdown link destinations ("](url)") become
// <ph> elements; the exact original text is in the unit's <originalData>,
// referenced by dataRef (the XLIFF 2.0 way), and also in disp and equiv so
// tools can show it. Markdown emphasis, the "[" of a link and code spans
// stay text (see split). Import rebuilds the exact text from originalData
// and refuses a target whose placeholders differ from its source's.
//
// # Whitespace
//
// <source> and <target> are written with xml:space="preserve". Where a tool
// writes content under xml:space="default" (the XLIFF default), Import
// treats whitespace as insignificant: each run becomes one space and the
// ends are trimmed, so pretty-printed content reads as the tool meant it.
package xliff

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// XML namespaces.
const (
	// NS is the XLIFF 2.x core namespace (XLIFF 2.1 kept it).
	NS = "urn:oasis:names:tc:xliff:document:2.0"
	// NSMetadata is the XLIFF 2.0 Metadata module.
	NSMetadata = "urn:oasis:names:tc:xliff:metadata:2.0"
	nsXML      = "http://www.w3.org/XML/1998/namespace"
)

// Segment states, in order of progress (XLIFF 2.0 §4.3.1.38).
const (
	StateInitial    = "initial"
	StateTranslated = "translated"
	StateReviewed   = "reviewed"
	StateFinal      = "final"
)

// stateRank orders the states; a unit split into several segments is only
// as far along as its least advanced segment.
var stateRank = map[string]int{StateInitial: 0, StateTranslated: 1, StateReviewed: 2, StateFinal: 3}

// Unit is one segment in a task file.
type Unit struct {
	ID     string `json:"id"`
	Source string `json:"source"`
	// Target is empty when there is no draft yet; Export then writes no
	// <target>.
	Target string `json:"target,omitempty"`
	// State is initial, translated, reviewed or final; Export writes ""
	// (and any state of a unit without Target) as initial.
	State string `json:"state"`
	// Note is free text for the translator (provenance, QA findings). On
	// import it is the unit's notes, one per line.
	Note string `json:"note,omitempty"`
}

// Task is one report in one target locale.
type Task struct {
	Slug         string `json:"slug"`
	SourceLocale string `json:"source_locale"`
	TargetLocale string `json:"target_locale"`
	Units        []Unit `json:"units"`
}

// Export writes t as an XLIFF 2.0 document. The bytes depend only on t, so
// exporting the same task twice gives the same file (and the same ETag).
func Export(t Task) ([]byte, error) {
	if err := checkTask(t); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	fmt.Fprintf(&b, `<xliff xmlns="%s" xmlns:mda="%s" version="2.0" srcLang="%s" trgLang="%s">`+"\n",
		NS, NSMetadata, attr(t.SourceLocale), attr(t.TargetLocale))
	fmt.Fprintf(&b, ` <file id="%s">`+"\n", attr(t.Slug))
	b.WriteString("  <mda:metadata>\n   <mda:metaGroup category=\"pressroom\">\n")
	for _, m := range [][2]string{{"slug", t.Slug}, {"source", t.SourceLocale}, {"target", t.TargetLocale}} {
		fmt.Fprintf(&b, "    <mda:meta type=\"%s\">%s</mda:meta>\n", m[0], noteText(m[1]))
	}
	b.WriteString("   </mda:metaGroup>\n  </mda:metadata>\n")
	for _, u := range t.Units {
		writeUnit(&b, u)
	}
	b.WriteString(" </file>\n</xliff>\n")
	return b.Bytes(), nil
}

// checkTask refuses what would make an invalid or ambiguous file.
func checkTask(t Task) error {
	if !isNMToken(t.Slug) {
		return fmt.Errorf("xliff: slug %q is not usable as a file id", t.Slug)
	}
	for _, l := range []string{t.SourceLocale, t.TargetLocale} {
		if _, err := language.Parse(l); err != nil || strings.ContainsAny(l, `"<>&`) {
			return fmt.Errorf("xliff: locale %q is not a valid BCP 47 tag", l)
		}
	}
	if len(t.Units) == 0 {
		return fmt.Errorf("xliff: task %s has no segments; XLIFF requires at least one unit", t.Slug)
	}
	seen := make(map[string]bool, len(t.Units))
	for _, u := range t.Units {
		switch {
		case !isNMToken(u.ID):
			return fmt.Errorf("xliff: segment ID %q is not usable as a unit id", u.ID)
		case seen[u.ID]:
			return fmt.Errorf("xliff: segment ID %q appears twice", u.ID)
		case !utf8.ValidString(u.Source) || !utf8.ValidString(u.Target) || !utf8.ValidString(u.Note):
			return fmt.Errorf("xliff: segment %q: text is not valid UTF-8", u.ID)
		}
		if _, ok := stateRank[u.State]; !ok && u.State != "" {
			return fmt.Errorf("xliff: segment %q: state %q is not initial, translated, reviewed or final", u.ID, u.State)
		}
		seen[u.ID] = true
	}
	return nil
}

// writeUnit writes one <unit>. Source codes get ids 1..n in order; a
// target code reuses the id of the first unused source code with the same
// text, which is how XLIFF says "this is that code". A code only the
// target has (a draft that invented or mangled one) gets a new id, so the
// translator sees it and Import refuses it until it is fixed.
func writeUnit(b *bytes.Buffer, u Unit) {
	var (
		dataIDs  = map[string]string{} // code text → data id; equal codes share one <data>
		dataText []string
		n        int
		free     = map[string][]int{} // code text → source ids not yet used by the target
	)
	dataRef := func(code string) string {
		if d, ok := dataIDs[code]; ok {
			return d
		}
		d := "d" + strconv.Itoa(len(dataText)+1)
		dataIDs[code] = d
		dataText = append(dataText, code)
		return d
	}
	var src, tgt strings.Builder
	for _, p := range split(u.Source) {
		if !p.code {
			content(&src, p.text)
			continue
		}
		n++
		free[p.text] = append(free[p.text], n)
		ph(&src, n, dataRef(p.text), p)
	}
	for _, p := range split(u.Target) {
		if !p.code {
			content(&tgt, p.text)
			continue
		}
		var id int
		if ids := free[p.text]; len(ids) > 0 {
			id, free[p.text] = ids[0], ids[1:]
		} else {
			n++
			id = n
		}
		ph(&tgt, id, dataRef(p.text), p)
	}

	fmt.Fprintf(b, "  <unit id=\"%s\">\n", attr(u.ID))
	if u.Note != "" {
		fmt.Fprintf(b, "   <notes>\n    <note category=\"pressroom\">%s</note>\n   </notes>\n", noteText(u.Note))
	}
	if len(dataText) > 0 {
		b.WriteString("   <originalData>\n")
		for i, d := range dataText {
			var c strings.Builder
			content(&c, d)
			fmt.Fprintf(b, "    <data id=\"d%d\">%s</data>\n", i+1, c.String())
		}
		b.WriteString("   </originalData>\n")
	}
	state := u.State
	if state == "" || u.Target == "" {
		// Nothing translated yet, whatever the caller said: XLIFF tools
		// flag a state past initial without a target.
		state = StateInitial
	}
	fmt.Fprintf(b, "   <segment state=\"%s\">\n", state)
	fmt.Fprintf(b, "    <source xml:space=\"preserve\">%s</source>\n", src.String())
	if u.Target != "" {
		fmt.Fprintf(b, "    <target xml:space=\"preserve\">%s</target>\n", tgt.String())
	}
	b.WriteString("   </segment>\n  </unit>\n")
}

// ph writes one placeholder. type/subType are hints for CAT tools: a
// variable (XLIFF reserves subType xlf:var for type ui), formatting, or a
// link.
func ph(b *strings.Builder, id int, ref string, p piece) {
	typ := ""
	switch p.kind {
	case codeVar:
		typ = ` type="ui" subType="xlf:var"`
	case codeTag:
		typ = ` type="fmt"`
	case codeLink:
		typ = ` type="link"`
	}
	fmt.Fprintf(b, `<ph id="%d" dataRef="%s"%s disp="%s" equiv="%s"/>`, id, ref, typ, attr(p.text), attr(p.text))
}

// escapeMode says where escaped text goes.
type escapeMode int

const (
	inContent escapeMode = iota // <source>, <target>, <data>: forbidden characters as <cp hex="…"/>
	inNote                      // notes, metadata (no <cp> there): forbidden characters as U+FFFD; notes are for people
	inAttr                      // a double-quoted attribute value: as inNote, and ", tab, newline as references
)

// escapeXML writes s escaped for mode. A CR is written as a reference
// because XML parsers turn a literal CR into LF, and in attributes tabs and
// newlines too, because parsers normalize literal ones to spaces;
// characters XML 1.0 cannot carry at all (most C0 controls, U+FFFE,
// U+FFFF) become XLIFF's <cp hex="…"/> in content and U+FFFD elsewhere.
func escapeXML(b *strings.Builder, s string, mode escapeMode) {
	attribute := mode == inAttr
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\r':
			b.WriteString("&#xD;")
		case attribute && r == '"':
			b.WriteString("&quot;")
		case attribute && r == '\t':
			b.WriteString("&#x9;")
		case attribute && r == '\n':
			b.WriteString("&#xA;")
		case !xmlChar(r) && mode == inContent:
			fmt.Fprintf(b, `<cp hex="%04X"/>`, r)
		case !xmlChar(r):
			b.WriteRune(unicode.ReplacementChar)
		default:
			b.WriteRune(r)
		}
	}
}

// content escapes text for <source>, <target> and <data>.
func content(b *strings.Builder, s string) { escapeXML(b, s, inContent) }

// noteText escapes text for notes and metadata.
func noteText(s string) string {
	var b strings.Builder
	escapeXML(&b, s, inNote)
	return b.String()
}

// attr escapes an attribute value.
func attr(s string) string {
	var b strings.Builder
	escapeXML(&b, s, inAttr)
	return b.String()
}

// xmlChar reports whether XML 1.0 allows r in a document.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// isNMToken reports whether s can be an XLIFF id (xs:NMTOKEN), staying
// within ASCII-safe name characters plus letters and digits.
func isNMToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc) || strings.ContainsRune(".-_:", r)) {
			return false
		}
	}
	return true
}
