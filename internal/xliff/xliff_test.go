package xliff

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// task is a report's French task as the service would build it.
func task() Task {
	return Task{
		Slug: "glacier-dialogue-2026", SourceLocale: "en", TargetLocale: "fr",
		Units: []Unit{
			{ID: "title", Source: "Youth Delegates Open Regional Dialogue on Glacier Preservation"},
			{ID: "summary", Source: "Forty youth delegates from twelve countries met in Geneva. They shared practical measures."},
			{ID: "p-0a1b2c3d4e", Source: "Speakers stressed that **local knowledge** is as important as satellite data."},
			{ID: "p-1b2c3d4e5f", Source: "A follow-up meeting is planned for October 2026. Reports will be published on the [dialogue website](https://example.org/glacier-dialogue) in all six languages."},
			{ID: "p-2c3d4e5f6a", Source: `Hello {{.Name}}, you have %[1]d new <b>tasks</b> & 3 < 4 "quoted" 'single'.`},
		},
	}
}

// withTargets returns t with the given targets and states.
func withTargets(t Task, targets map[string][2]string) Task {
	t.Units = append([]Unit(nil), t.Units...)
	for i, u := range t.Units {
		if tg, ok := targets[u.ID]; ok {
			t.Units[i].Target, t.Units[i].State = tg[0], tg[1]
		}
	}
	return t
}

func mustExport(t *testing.T, tk Task) []byte {
	t.Helper()
	b, err := Export(tk)
	if err != nil {
		t.Fatalf("Export: %v", err)
	}
	return b
}

func TestRoundTrip(t *testing.T) {
	tk := task()
	tk.Units = append(tk.Units,
		Unit{ID: "p-3d4e5f6a7b", Source: "  Spaces  kept,\ttabs,\r\nCRLF, a bell \x07, U+FFFF \uFFFF, emoji 🧊 ", Target: "  Espaces  gardés,\ttabulations,\r\nCRLF, une cloche \x07, U+FFFF \uFFFF, emoji 🧊 ", State: StateFinal},
		Unit{ID: "p-4e5f6a7b8c", Source: "Twice: {{.N}} and {{.N}}, <br/>, <!-- note -->, <https://un.org>, ![map](img/map.png \"Map (2026)\")", Target: "<!-- note --> {{.N}} deux fois {{.N}}, <br/>, <https://un.org>, ![carte](img/map.png \"Map (2026)\")", State: StateTranslated, Note: "mt:pseudo\nQA: ok"},
		Unit{ID: "p-5f6a7b8c9d", Source: "Not yet translated."},
	)
	tk = withTargets(tk, map[string][2]string{
		"title":        {"青年代表开启冰川保护区域对话", StateTranslated},
		"summary":      {"اجتمع أربعون مندوبًا من الشباب من اثني عشر بلدًا في جنيف. وتبادلوا تدابير عملية.", StateReviewed},
		"p-0a1b2c3d4e": {"Les intervenants ont souligné que les **savoirs locaux** comptent autant que les données satellitaires.", StateInitial},
		"p-1b2c3d4e5f": {"Une réunion de suivi est prévue en octobre 2026. Les rapports seront publiés sur le [site du dialogue](https://example.org/glacier-dialogue) dans les six langues.", StateFinal},
		"p-2c3d4e5f6a": {`Bonjour {{.Name}}, vous avez %[1]d nouvelles <b>tâches</b> & 3 < 4 « citées » "quoted" 'single'.`, StateTranslated},
	})
	data := mustExport(t, tk)

	got, err := Import("fr.xlf", data, tk)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	var want []Unit
	for _, u := range tk.Units {
		if u.Target != "" {
			want = append(want, u)
		}
	}
	if !reflect.DeepEqual(got, want) {
		for i := range max(len(got), len(want)) {
			var g, w Unit
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if g != w {
				t.Errorf("unit %d:\n got %#v\nwant %#v", i, g, w)
			}
		}
	}

	// Placeholders travel as <ph> with their original text in
	// <originalData>, not as editable text.
	s := string(data)
	for _, frag := range []string{
		`<data id="d1">{{.Name}}</data>`,
		`<ph id="1" dataRef="d1" type="ui" subType="xlf:var" disp="{{.Name}}" equiv="{{.Name}}"/>`,
		`<data id="d3">&lt;b&gt;</data>`,
		`<data id="d1">](https://example.org/glacier-dialogue)</data>`,
		`<cp hex="0007"/>`, `<cp hex="FFFF"/>`, `&#xD;`,
	} {
		if !strings.Contains(s, frag) {
			t.Errorf("export lacks %s", frag)
		}
	}
	if strings.Contains(s, "Hello {{") {
		t.Error("a placeholder was exported as text")
	}
}

// TestExportGolden pins the exact bytes: exports are deterministic, and a
// change to the format shows up here.
func TestExportGolden(t *testing.T) {
	tk := Task{Slug: "summer-hours", SourceLocale: "en", TargetLocale: "ar", Units: []Unit{
		{ID: "title", Source: "Hello {{.Name}} & <b>you</b>", Target: "مرحبا {{.Name}} و<b>أنت</b>", State: StateTranslated, Note: "mt:pseudo"},
		{ID: "p-3f2a1b9c0d", Source: "See [the plan](https://example.org/plan)."},
	}}
	want := `<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0" version="2.0" srcLang="en" trgLang="ar">
 <file id="summer-hours">
  <mda:metadata>
   <mda:metaGroup category="pressroom">
    <mda:meta type="slug">summer-hours</mda:meta>
    <mda:meta type="source">en</mda:meta>
    <mda:meta type="target">ar</mda:meta>
   </mda:metaGroup>
  </mda:metadata>
  <unit id="title">
   <notes>
    <note category="pressroom">mt:pseudo</note>
   </notes>
   <originalData>
    <data id="d1">{{.Name}}</data>
    <data id="d2">&lt;b&gt;</data>
    <data id="d3">&lt;/b&gt;</data>
   </originalData>
   <segment state="translated">
    <source xml:space="preserve">Hello <ph id="1" dataRef="d1" type="ui" subType="xlf:var" disp="{{.Name}}" equiv="{{.Name}}"/> &amp; <ph id="2" dataRef="d2" type="fmt" disp="&lt;b&gt;" equiv="&lt;b&gt;"/>you<ph id="3" dataRef="d3" type="fmt" disp="&lt;/b&gt;" equiv="&lt;/b&gt;"/></source>
    <target xml:space="preserve">مرحبا <ph id="1" dataRef="d1" type="ui" subType="xlf:var" disp="{{.Name}}" equiv="{{.Name}}"/> و<ph id="2" dataRef="d2" type="fmt" disp="&lt;b&gt;" equiv="&lt;b&gt;"/>أنت<ph id="3" dataRef="d3" type="fmt" disp="&lt;/b&gt;" equiv="&lt;/b&gt;"/></target>
   </segment>
  </unit>
  <unit id="p-3f2a1b9c0d">
   <originalData>
    <data id="d1">](https://example.org/plan)</data>
   </originalData>
   <segment state="initial">
    <source xml:space="preserve">See [the plan<ph id="1" dataRef="d1" type="link" disp="](https://example.org/plan)" equiv="](https://example.org/plan)"/>.</source>
   </segment>
  </unit>
 </file>
</xliff>
`
	got := mustExport(t, tk)
	if string(got) != want {
		t.Errorf("export:\n%s\nwant:\n%s", got, want)
	}
	if again := mustExport(t, tk); !bytes.Equal(again, got) {
		t.Error("two exports of the same task differ")
	}
}

func TestExportRefuses(t *testing.T) {
	base := Task{Slug: "s", SourceLocale: "en", TargetLocale: "fr", Units: []Unit{{ID: "title", Source: "x"}}}
	for name, mutate := range map[string]func(*Task){
		"no units":      func(t *Task) { t.Units = nil },
		"bad slug":      func(t *Task) { t.Slug = "a b" },
		"bad locale":    func(t *Task) { t.TargetLocale = "not a tag" },
		"empty id":      func(t *Task) { t.Units[0].ID = "" },
		"duplicate id":  func(t *Task) { t.Units = append(t.Units, t.Units[0]) },
		"bad state":     func(t *Task) { t.Units[0].State = "approved" },
		"invalid UTF-8": func(t *Task) { t.Units[0].Source = "\xff" },
	} {
		tk := base
		tk.Units = append([]Unit(nil), base.Units...)
		mutate(&tk)
		if _, err := Export(tk); err == nil {
			t.Errorf("%s: Export accepted it", name)
		}
	}
}

// A target a draft got wrong is exported with its stray code under a new
// id, so the translator sees it, and Import refuses it until fixed.
func TestPlaceholderMismatch(t *testing.T) {
	tk := withTargets(task(), map[string][2]string{
		"p-2c3d4e5f6a": {`Bonjour, vous avez %[1]d nouvelles <b>tâches</b> %s & 3 < 4 "quoted" 'single'.`, StateTranslated},
		"title":        {"Titre", StateTranslated},
	})
	data := mustExport(t, tk)
	if !strings.Contains(string(data), `<ph id="5" dataRef="d5" type="ui" subType="xlf:var" disp="%s" equiv="%s"/>`) {
		t.Errorf("the stray %%s is not a new code:\n%s", data)
	}
	units, err := Import("fr.xlf", data, tk)
	if units != nil {
		t.Errorf("Import returned units with an error: %v", units)
	}
	line := lineOf(string(data), `<unit id="p-2c3d4e5f6a">`)
	want := fmt.Sprintf(`fr.xlf:%d: unit "p-2c3d4e5f6a": the target's placeholders do not match the source's: missing "{{.Name}}"; not in the source "%%s"`, line)
	if !errors.Is(err, ErrPlaceholders) || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}

	// A translator who types the placeholder as text instead of the tag
	// still gives the right text: the check is on the rebuilt text.
	ok := withTargets(task(), map[string][2]string{"title": {"Bonjour {{.X}}", StateTranslated}})
	ok.Units[0].Source = "Hello {{.X}}"
	data = mustExport(t, ok)
	edited := strings.Replace(string(data), `<target xml:space="preserve">Bonjour <ph id="1" dataRef="d1" type="ui" subType="xlf:var" disp="{{.X}}" equiv="{{.X}}"/></target>`,
		`<target xml:space="preserve">Salut {{.X}}</target>`, 1)
	if edited == string(data) {
		t.Fatal("test did not edit the target")
	}
	units, err = Import("fr.xlf", []byte(edited), ok)
	if err != nil || len(units) != 1 || units[0].Target != "Salut {{.X}}" {
		t.Errorf("typed placeholder: %v %v", units, err)
	}
}

// memoQFile is a task file as memoQ writes it back: its own prefix for the
// core namespace, memoQ's mq: attributes, a translation-candidates module,
// attributes in another order, tabs, CRLF, a byte order mark, targets
// pretty-printed where xml:space is "default", subState, character
// references, a comment annotation, an untranslated unit with an empty
// target, and not every unit of the task.
const memoQFile = "\uFEFF" + `<?xml version="1.0" encoding="utf-8"?>
<!-- memoQ XLIFF 2.0 export -->
<xlf:xliff xmlns:mq="MQXliff" xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0" trgLang="fr" srcLang="en" xmlns:xlf="urn:oasis:names:tc:xliff:document:2.0" version="2.0" mq:version="2">
	<xlf:file mq:docid="8f14e45f-ceea" id="glacier-dialogue-2026">
		<xlf:notes>
			<xlf:note category="memoq">Project: UN glaciers</xlf:note>
		</xlf:notes>
		<xlf:unit mq:status="ManuallyConfirmed" id="title">
			<mtc:matches>
				<mtc:match ref="#title" similarity="87">
					<xlf:source>Youth Delegates Open a Dialogue</xlf:source>
					<xlf:target>Les jeunes délégués ouvrent un dialogue</xlf:target>
				</mtc:match>
			</mtc:matches>
			<xlf:segment subState="mq:ManuallyConfirmed" state="translated">
				<xlf:source>Youth Delegates Open Regional Dialogue on Glacier Preservation</xlf:source>
				<xlf:target>
					Les jeunes délégués ouvrent un dialogue régional
					sur la préservation des glaciers
				</xlf:target>
			</xlf:segment>
		</xlf:unit>
		<xlf:unit id="summary" mq:status="Proofread">
			<xlf:notes>
				<xlf:note category="comment">Check the city name.</xlf:note>
			</xlf:notes>
			<xlf:segment state="reviewed" subState="mq:Proofread">
				<xlf:source xml:space="preserve">Forty youth delegates from twelve countries met in Geneva. They shared practical measures.</xlf:source>
				<xlf:target xml:space="preserve">اجتمع أربعون مندوبًا من الشباب من اثني عشر بلدًا في <xlf:mrk id="m1" type="comment" value="city">جنيف</xlf:mrk>. وتبادلوا تدابير عملية.</xlf:target>
			</xlf:segment>
		</xlf:unit>
		<xlf:unit id="p-0a1b2c3d4e">
			<xlf:segment state="initial">
				<xlf:source xml:space="preserve">Speakers stressed that **local knowledge** is as important as satellite data.</xlf:source>
				<xlf:target xml:space="preserve"></xlf:target>
			</xlf:segment>
		</xlf:unit>
		<xlf:unit id="p-2c3d4e5f6a" mq:status="Confirmed">
			<xlf:originalData>
				<xlf:data id="d1">{{.Name}}</xlf:data>
				<xlf:data id="d2">%[1]d</xlf:data>
				<xlf:data id="d3">&lt;b&gt;</xlf:data>
				<xlf:data id="d4">&lt;/b&gt;</xlf:data>
			</xlf:originalData>
			<xlf:segment state="final">
				<xlf:source xml:space="preserve">Hello <xlf:ph id="1" dataRef="d1" equiv="{{.Name}}" disp="{{.Name}}"/>, you have <xlf:ph id="2" dataRef="d2"/> new <xlf:ph id="3" dataRef="d3"/>tasks<xlf:ph id="4" dataRef="d4"/> &amp; 3 &lt; 4 &quot;quoted&quot; &#39;single&#39;.</xlf:source>
				<xlf:target xml:space="preserve">Bonjour <xlf:ph dataRef="d1" id="1"/>, vous avez <xlf:ph id="2" dataRef="d2"/> nouvelles <xlf:ph id="3" dataRef="d3"/>tâches<xlf:ph id="4" dataRef="d4"/> &amp; 3 &#x3C; 4 « citées » "quoted" 'single'.</xlf:target>
			</xlf:segment>
		</xlf:unit>
	</xlf:file>
</xlf:xliff>
`

// omegaTFile is the same task as OmegaT (through Okapi's XLIFF 2 filter)
// writes it: default namespace, Okapi's and ITS namespaces, a <group>,
// paragraphs split into sentence <segment>s with the space between them
// in an <ignorable>, a target code written without dataRef, and a unit
// with only its first sentence translated.
const omegaTFile = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:okp="okapi-framework:xliff-extensions" xmlns:its="http://www.w3.org/2005/11/its" srcLang="en" trgLang="fr">
<file original="glacier-dialogue-2026.xlf" id="glacier-dialogue-2026">
<group id="g1" okp:grp="body">
<unit id="p-1b2c3d4e5f" its:translate="yes">
<originalData>
<data id="d1">](https://example.org/glacier-dialogue)</data>
</originalData>
<segment id="s1" state="final">
<source>A follow-up meeting is planned for October 2026.</source>
<target>Une réunion de suivi est prévue en octobre 2026.</target>
</segment>
<ignorable>
<source xml:space="preserve"> </source>
</ignorable>
<segment id="s2" state="reviewed" subState="okp:approved">
<source>Reports will be published on the [dialogue website<ph id="1" dataRef="d1"/> in all six languages.</source>
<target>Les rapports seront publiés sur le [site du dialogue<ph id="1"/> dans les six langues.</target>
</segment>
</unit>
<unit id="p-0a1b2c3d4e">
<segment state="translated"><source>Speakers stressed that **local knowledge** is as important as satellite data.</source><target>Les intervenants ont souligné que les **savoirs locaux** comptent autant que les données satellitaires.</target></segment>
</unit>
<unit id="summary">
<segment id="s1" state="translated">
<source>Forty youth delegates from twelve countries met in Geneva.</source>
<target>Quarante jeunes délégués de douze pays se sont réunis à Genève.</target>
</segment>
<ignorable><source xml:space="preserve"> </source></ignorable>
<segment id="s2">
<source>They shared practical measures.</source>
</segment>
</unit>
</group>
</file>
</xliff>
`

func TestImportMemoQ(t *testing.T) {
	data := []byte(strings.ReplaceAll(memoQFile, "\n", "\r\n"))
	got, err := Import("glacier-fr.mqxliff", data, task())
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	src := map[string]string{}
	for _, u := range task().Units {
		src[u.ID] = u.Source
	}
	want := []Unit{
		{ID: "title", Source: src["title"], State: StateTranslated,
			Target: "Les jeunes délégués ouvrent un dialogue régional sur la préservation des glaciers"},
		{ID: "summary", Source: src["summary"], State: StateReviewed, Note: "Check the city name.",
			Target: "اجتمع أربعون مندوبًا من الشباب من اثني عشر بلدًا في جنيف. وتبادلوا تدابير عملية."},
		{ID: "p-2c3d4e5f6a", Source: src["p-2c3d4e5f6a"], State: StateFinal,
			Target: `Bonjour {{.Name}}, vous avez %[1]d nouvelles <b>tâches</b> & 3 < 4 « citées » "quoted" 'single'.`},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
}

func TestImportOmegaT(t *testing.T) {
	got, err := Import("glacier-fr.xlf", []byte(omegaTFile), task())
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	src := map[string]string{}
	for _, u := range task().Units {
		src[u.ID] = u.Source
	}
	// "summary" has an untranslated second sentence: skipped. Units come
	// back in task order; a split unit is as far along as its least
	// advanced segment.
	want := []Unit{
		{ID: "p-0a1b2c3d4e", Source: src["p-0a1b2c3d4e"], State: StateTranslated,
			Target: "Les intervenants ont souligné que les **savoirs locaux** comptent autant que les données satellitaires."},
		{ID: "p-1b2c3d4e5f", Source: src["p-1b2c3d4e5f"], State: StateReviewed,
			Target: "Une réunion de suivi est prévue en octobre 2026. Les rapports seront publiés sur le [site du dialogue](https://example.org/glacier-dialogue) dans les six langues."},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
}

// A target order lets a tool put sentence translations in another order.
func TestImportTargetOrder(t *testing.T) {
	tk := Task{Slug: "s", SourceLocale: "en", TargetLocale: "de", Units: []Unit{{ID: "p-1", Source: "One. Two."}}}
	doc := `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="de"><file id="s"><unit id="p-1">
<segment state="translated"><source>One.</source><target order="3">Eins.</target></segment>
<ignorable><source xml:space="preserve"> </source></ignorable>
<segment state="translated"><source>Two.</source><target order="1">Zwei.</target></segment>
</unit></file></xliff>`
	got, err := Import("s.xlf", []byte(doc), tk)
	if err != nil || len(got) != 1 || got[0].Target != "Zwei. Eins." {
		t.Errorf("got %v, %v", got, err)
	}
}

func TestImportUTF16(t *testing.T) {
	tk := withTargets(task(), map[string][2]string{"title": {"Titre « 冰川 »", StateTranslated}})
	data := mustExport(t, tk)
	s := strings.Replace(string(data), `encoding="UTF-8"`, `encoding="UTF-16"`, 1)
	u16 := utf16.Encode([]rune(s))
	b := []byte{0xFF, 0xFE}
	for _, c := range u16 {
		b = append(b, byte(c), byte(c>>8))
	}
	got, err := Import("t.xlf", b, tk)
	if err != nil || len(got) != 1 || got[0].Target != "Titre « 冰川 »" {
		t.Errorf("got %v, %v", got, err)
	}
}

// A unit without a target is exported as initial, whatever its state says.
func TestExportNoTargetIsInitial(t *testing.T) {
	tk := Task{Slug: "s", SourceLocale: "en", TargetLocale: "fr", Units: []Unit{{ID: "title", Source: "x", State: StateFinal}}}
	data := string(mustExport(t, tk))
	if !strings.Contains(data, `<segment state="initial">`) || strings.Contains(data, "<target") {
		t.Errorf("export:\n%s", data)
	}
}

// A code a tool invented in the target, with no original data, is refused
// rather than silently dropped.
func TestImportInventedCode(t *testing.T) {
	tk := withTargets(task(), map[string][2]string{"title": {"Titre", StateTranslated}})
	doc := strings.Replace(string(mustExport(t, tk)), ">Titre<", `>Titre<ph id="7"/><`, 1)
	_, err := Import("t.xlf", []byte(doc), tk)
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), `unit "title": <ph id="7"> in the target has no dataRef and matches no code of the source`) {
		t.Errorf("got %v", err)
	}
}

// lineOf returns the 1-based line of the first occurrence of sub.
func lineOf(doc, sub string) int {
	i := strings.Index(doc, sub)
	if i < 0 {
		panic("lineOf: not found: " + sub)
	}
	return strings.Count(doc[:i], "\n") + 1
}

func TestImportErrors(t *testing.T) {
	tk := withTargets(task(), map[string][2]string{
		"title":        {"Titre", StateTranslated},
		"summary":      {"Résumé. Mesures.", StateReviewed},
		"p-2c3d4e5f6a": {`Bonjour {{.Name}}, %[1]d <b>tâches</b> & 3 < 4 "quoted" 'single'.`, StateFinal},
	})
	base := string(mustExport(t, tk))
	replace := func(old, new string) string {
		if !strings.Contains(base, old) {
			t.Fatalf("fixture lacks %q", old)
		}
		return strings.Replace(base, old, new, 1)
	}
	otherTask := func(f func(*Task)) Task {
		c := tk
		c.Units = append([]Unit(nil), tk.Units...)
		f(&c)
		return c
	}
	titleLine := lineOf(base, `<unit id="title">`)
	summaryLine := lineOf(base, `<unit id="summary">`)

	tests := []struct {
		name string
		doc  string
		want Task
		kind error
		msg  string // the whole message, file and line included
	}{
		{"not XML", "Dear translator, here is the file.", tk, ErrMalformed,
			`t.xlf:1: not XML: text "Dear translator, here is the file." outside the root element`},
		{"empty", "", tk, ErrMalformed, "t.xlf:1: no XML element: the file is empty or not XML"},
		{"not well-formed", replace("</segment>\n  </unit>\n  <unit id=\"summary\">", "</segmnt>\n  </unit>\n  <unit id=\"summary\">"), tk, ErrMalformed,
			fmt.Sprintf("t.xlf:%d: not well-formed XML: element <segment> closed by </segmnt>", summaryLine-2)},
		{"undefined entity", replace(">Titre<", ">Titre&nbsp;<"), tk, ErrMalformed,
			fmt.Sprintf("t.xlf:%d: not well-formed XML: invalid character entity &nbsp;", lineOf(base, ">Titre<"))},
		{"XLIFF 1.2", `<?xml version="1.0"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x" source-language="en" target-language="fr" datatype="plaintext"><body/></file></xliff>`,
			tk, ErrMalformed, "t.xlf:2: this is XLIFF 1.2; export the file from your CAT tool as XLIFF 2.0"},
		{"wrong namespace", replace(`xmlns="urn:oasis:names:tc:xliff:document:2.0"`, `xmlns="urn:example:xliff"`), tk, ErrMalformed,
			"t.xlf:2: root element is <xliff> (namespace urn:example:xliff), not <xliff> in namespace urn:oasis:names:tc:xliff:document:2.0: not an XLIFF 2.0 file"},
		{"wrong version", replace(`version="2.0" srcLang`, `version="3.0" srcLang`), tk, ErrMalformed,
			`t.xlf:2: <xliff version="3.0">: want 2.0`},
		{"doctype", replace(`<?xml version="1.0" encoding="UTF-8"?>`, `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE xliff [<!ENTITY x "y">]>`), tk, ErrMalformed,
			"t.xlf:1: <!DOCTYPE> is not allowed in an XLIFF file"},
		{"other target locale", base, otherTask(func(c *Task) { c.TargetLocale = "es" }), ErrWrongTask,
			"t.xlf:2: file is for en → fr, but the task is en → es"},
		{"other source locale", base, otherTask(func(c *Task) { c.SourceLocale = "de" }), ErrWrongTask,
			"t.xlf:2: file is for en → fr, but the task is de → fr"},
		{"other report", base, otherTask(func(c *Task) { c.Slug = "summer-hours" }), ErrWrongTask,
			`t.xlf:3: <file id="glacier-dialogue-2026"> is report "glacier-dialogue-2026", but the task is report "summer-hours"`},
		{"metadata of another report", replace(`<mda:meta type="slug">glacier-dialogue-2026</mda:meta>`, `<mda:meta type="slug">summer-hours</mda:meta>`), tk, ErrWrongTask,
			`t.xlf:6: metadata says slug "summer-hours", but the task's is "glacier-dialogue-2026"`},
		{"two files", replace(" </file>\n", " </file>\n <file id=\"glacier-dialogue-2026\"><unit id=\"x\"><segment><source/></segment></unit></file>\n"), tk, ErrMalformed,
			"t.xlf:2: file has 2 <file> elements; a Pressroom task file has exactly one"},
		{"unknown unit", replace(`<unit id="title">`, `<unit id="p-ffffffffff">`), tk, ErrUnknownUnit,
			fmt.Sprintf(`t.xlf:%d: unit "p-ffffffffff": not a segment of report "glacier-dialogue-2026"; the file may be from another version of the report`, titleLine)},
		{"duplicate unit", replace(`<unit id="summary">`, `<unit id="title">`), tk, ErrMalformed,
			fmt.Sprintf(`t.xlf:%d: unit "title": unit appears twice (first on line %d)`, summaryLine, titleLine)},
		{"source changed", base, otherTask(func(c *Task) { c.Units[0].Source = "Youth Delegates Close the Dialogue" }), ErrSourceChanged,
			fmt.Sprintf(`t.xlf:%d: unit "title": the source text in the file is "Youth Delegates Open Regional Dialogue on Glacier Preservation", the report's is now "Youth Delegates Close the Dialogue": the report changed since this file was exported; export the task again and redo this segment`, titleLine)},
		{"bad state", replace(`<segment state="reviewed">`, `<segment state="approved">`), tk, ErrMalformed,
			fmt.Sprintf(`t.xlf:%d: unit "summary": <segment state="approved">: the state must be initial, translated, reviewed or final`, lineOf(base, `<segment state="reviewed">`))},
		{"dangling dataRef", replace(`>Bonjour <ph id="1" dataRef="d1"`, `>Bonjour <ph id="1" dataRef="d9"`), tk, ErrMalformed,
			fmt.Sprintf(`t.xlf:%d: unit "p-2c3d4e5f6a": <ph dataRef="d9">: <originalData> has no such <data>`, lineOf(base, `>Bonjour `))},
		{"foreign element in target", replace(`>Titre<`, `>Titre<b xmlns="http://www.w3.org/1999/xhtml">!</b><`), tk, ErrMalformed,
			fmt.Sprintf(`t.xlf:%d: unit "title": unexpected <b> (namespace http://www.w3.org/1999/xhtml) in <target>: only XLIFF inline elements may be there`, lineOf(base, ">Titre<"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			units, err := Import("t.xlf", []byte(tt.doc), tt.want)
			if units != nil {
				t.Errorf("units returned with an error: %v", units)
			}
			if err == nil {
				t.Fatal("no error")
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("error %v is not %v", err, tt.kind)
			}
			if err.Error() != tt.msg {
				t.Errorf("got  %s\nwant %s", err, tt.msg)
			}
			var e *Error
			if !errors.As(err, &e) || e.File != "t.xlf" || e.Line == 0 {
				t.Errorf("error has no file and line: %#v", e)
			}
		})
	}
}

// Every unit problem is reported at once, and one bad unit rejects the
// whole file.
func TestImportAllOrNothing(t *testing.T) {
	tk := withTargets(task(), map[string][2]string{"title": {"Titre", StateTranslated}, "summary": {"Résumé.", StateTranslated}})
	base := string(mustExport(t, tk))
	doc := strings.Replace(base, `<unit id="summary">`, `<unit id="p-unknown">`, 1)
	doc = strings.Replace(doc, `<segment state="translated">`, `<segment state="done">`, 1)
	units, err := Import("t.xlf", []byte(doc), tk)
	if units != nil {
		t.Errorf("units returned: %v", units)
	}
	var list Errors
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("want two errors, got %v", err)
	}
	if !errors.Is(err, ErrUnknownUnit) || !errors.Is(err, ErrMalformed) {
		t.Errorf("errors.Is does not see both kinds: %v", err)
	}
}

func TestImportSkipsMissingTarget(t *testing.T) {
	tk := withTargets(task(), map[string][2]string{"title": {"Titre", StateTranslated}, "summary": {"Résumé.", StateTranslated}})
	base := string(mustExport(t, tk))
	doc := strings.Replace(base, `    <target xml:space="preserve">Titre</target>`+"\n", "", 1)
	units, err := Import("t.xlf", []byte(doc), tk)
	if err != nil {
		t.Fatal(err)
	}
	if len(units) != 1 || units[0].ID != "summary" {
		t.Errorf("got %v", units)
	}
}

func TestSplit(t *testing.T) {
	for _, tt := range []struct {
		in    string
		codes []string
	}{
		{"plain text", nil},
		{"Hi {{.Name}} and {{ printf \"%d\" .N }}!", []string{"{{.Name}}", `{{ printf "%d" .N }}`}},
		{"{{ unclosed", nil},
		{"%s, %d, %[1]d, %5.2f, %-8v, %%", []string{"%s", "%d", "%[1]d", "%5.2f", "%-8v"}},
		{"100% done, 50 % off", nil},
		{"<b>bold</b> <a href=\"x?a=1&b=2\" class='c'>x</a> <br/> <!-- c -->", []string{"<b>", "</b>", `<a href="x?a=1&b=2" class='c'>`, "</a>", "<br/>", "<!-- c -->"}},
		// One tag, as CommonMark and goldmark read it (internal/markup).
		{"<a title=\"1>0\">x</a>", []string{"<a title=\"1>0\">", "</a>"}},
		{"3 < 4 > 2, a <- b", nil},
		{"<https://un.org> <info@un.org>", []string{"<https://un.org>", "<info@un.org>"}},
		{"[x](https://a.org/b_(c)) [y](<a b> \"t (1)\") [z](u 'v')", []string{"](https://a.org/b_(c))", `](<a b> "t (1)")`, "](u 'v')"}},
		{"[unclosed](https://a.org", nil},
		{"https://example.org/a%20b?x=%s and %s", []string{"%s"}},
		{"https://example.org/{{.Lang}}/page", []string{"{{.Lang}}"}},
		{"**bold** *em* _u_ `code`", nil},
	} {
		var got []string
		var joined strings.Builder
		for _, p := range split(tt.in) {
			joined.WriteString(p.text)
			if p.code {
				got = append(got, p.text)
			}
		}
		if !reflect.DeepEqual(got, tt.codes) {
			t.Errorf("split(%q) codes = %q, want %q", tt.in, got, tt.codes)
		}
		if joined.String() != tt.in {
			t.Errorf("split(%q) loses text: %q", tt.in, joined.String())
		}
	}
}

// Long hostile inputs stay fast (the scans are bounded).
func TestSplitLinear(t *testing.T) {
	for _, s := range []string{"{{", "](", "<a ", "<a href=\"", "<!--", "%[", "www.", "](x \""} {
		start := time.Now()
		split(strings.Repeat(s, 200000))
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("split of %q repeated took %v", s, d)
		}
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"Hi {{.N}} %s <b>x</b> [a](b)", "](<", "{{}}", "%[1]*.[2]*[3]f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b strings.Builder
		for _, p := range split(s) {
			if p.text == "" {
				t.Fatalf("empty piece in %q", s)
			}
			b.WriteString(p.text)
		}
		if b.String() != s {
			t.Fatalf("split(%q) joins to %q", s, b.String())
		}
	})
}

// FuzzRoundTrip: whatever the text, export → import gives it back exactly,
// or refuses a placeholder mismatch.
func FuzzRoundTrip(f *testing.F) {
	f.Add("Hello {{.Name}} & <b>x</b>", "Bonjour {{.Name}} & <b>x</b>")
	f.Add("a\r\nb\x01 ]](x) %s", "%s a\r\nb\x01 ]](x)")
	f.Add("x", "  ")
	f.Add("{{.A}}", "")
	f.Fuzz(func(t *testing.T, source, target string) {
		if !utf8.ValidString(source) || !utf8.ValidString(target) {
			return
		}
		state := StateTranslated
		if target == "" {
			state = StateInitial
		}
		tk := Task{Slug: "s", SourceLocale: "en", TargetLocale: "fr", Units: []Unit{{ID: "u", Source: source, Target: target, State: state}}}
		data, err := Export(tk)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Import("f.xlf", data, tk)
		missing, extra := diffCodes(source, target)
		switch {
		case target != "" && (len(missing) > 0 || len(extra) > 0):
			if !errors.Is(err, ErrPlaceholders) {
				t.Fatalf("mismatch not refused: %v %v", got, err)
			}
		case err != nil:
			t.Fatalf("Import: %v\n%s", err, data)
		case target == "" && len(got) != 0:
			t.Fatalf("untranslated unit returned: %v", got)
		case target != "" && (len(got) != 1 || got[0].Target != target || got[0].Source != source):
			t.Fatalf("round trip: got %#v, want %q", got, target)
		}
	})
}

// FuzzImport: no file makes Import panic, and whatever it accepts is a
// unit of the task with its current source.
func FuzzImport(f *testing.F) {
	f.Add([]byte(memoQFile))
	f.Add([]byte(omegaTFile))
	tk := withTargets(task(), map[string][2]string{"p-2c3d4e5f6a": {`{{.Name}} %[1]d <b>x</b> & 3 < 4 "quoted" 'single'`, StateFinal}})
	exported, err := Export(tk)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(exported)
	source := map[string]string{}
	for _, u := range tk.Units {
		source[u.ID] = u.Source
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		units, err := Import("f.xlf", data, tk)
		if err != nil && units != nil {
			t.Fatal("units with an error")
		}
		for _, u := range units {
			if source[u.ID] != u.Source || u.Target == "" {
				t.Fatalf("unit %#v", u)
			}
			if _, ok := stateRank[u.State]; !ok {
				t.Fatalf("state %q", u.State)
			}
		}
	})
}
