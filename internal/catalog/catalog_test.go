package catalog

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/pressroom/pressroom/internal/report"
)

// nasty are texts a translator or MT engine could plausibly produce that
// go-i18n would mangle if it treated them as templates or if the encoder
// escaped them badly.
var nasty = []struct{ id, text string }{
	{"plain", "Delegates met in the Assembly Hall."},
	{"braces", "The form field {{ is literal, and so is }} here."},
	{"field", "Dear {{.Name}}, your badge is ready."},
	{"call", "Result: {{ call .Fn }} (do not run)"},
	{"template", `{{template "x"}} and {{define "x"}}boom{{end}}`},
	{"unclosed", "Opening only {{ with no end"},
	{"closing", "Closing only }} here"},
	{"printf", "%s delegates from %d states (%[1]s, 100%%)"},
	{"backslash", `C:\reports\2024\ and a \n that is not a newline`},
	{"quotes", `She said "consensus" and 'agreement' — «quoted»`},
	{"newlines", "line one\nline two\r\n\ttabbed"},
	{"arabic", "عقد الاجتماع في {{.City}} يوم ٢٣ يناير"},
	{"cjk", "会议于{{.Date}}在日内瓦举行。"},
	{"delims-taken", "Uses [[pr: and :pr]] as well as {{x}}"},
	{"delims-taken-2", "[[pr: :pr]] [[pr1: :pr1]] {{.Y}}"},
	{"html", `<a href="https://example.org/?a=1&b=2">link</a> & <b>`},
	{"control", "bell\a, nul-free, del\x7f, unit sep\x1f"},
	{"separators", "line\u2028para\u2029end"},
	{"toml-ish", "[table]\nkey = \"value\"\n'''triple'''"},
	{"json-ish", `{"other": "x", "id": "y"}`},
	{"with.dot", "An ID with a dot must not be split into nested keys."},
	{"with-dash", "An ID with a dash works too."},
	{"sec.2-para.3", "Nested-looking ID {{.Z}}."},
}

func nastyReport() (report.Report, map[string]string) {
	src := report.Report{Slug: "nasty", Source: "en", Format: report.FormatMarkdown}
	texts := map[string]string{}
	for _, n := range nasty {
		src.Segments = append(src.Segments, report.Segment{ID: n.id, Kind: report.KindParagraph, Text: "source of " + n.id})
		texts[n.id] = n.text
	}
	return src, texts
}

func localize(t *testing.T, path string, data []byte, locale string, cfg func(id string) *i18n.LocalizeConfig) map[string]string {
	t.Helper()
	// A consumer with default settings: toml registered, json built in.
	bundle := i18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	dir := t.TempDir()
	file := filepath.Join(dir, path)
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := bundle.LoadMessageFile(file); err != nil {
		t.Fatalf("LoadMessageFile: %v\n%s", err, data)
	}
	loc := i18n.NewLocalizer(bundle, locale)
	got := map[string]string{}
	for _, n := range nasty {
		s, tag, err := loc.LocalizeWithTag(cfg(n.id))
		if err != nil {
			t.Fatalf("Localize(%q): %v", n.id, err)
		}
		if want := language.Make(locale); tag != want {
			t.Errorf("Localize(%q) served from %v, want %v", n.id, tag, want)
		}
		got[n.id] = s
	}
	return got
}

func TestRoundTripThroughGoI18n(t *testing.T) {
	src, texts := nastyReport()
	msgs, err := Build(src, "fr", texts)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name string
		enc  func([]Message) ([]byte, error)
	}{{"toml", TOML}, {"json", JSON}} {
		data, err := f.enc(msgs)
		if err != nil {
			t.Fatal(err)
		}
		configs := map[string]func(id string) *i18n.LocalizeConfig{
			"plain": func(id string) *i18n.LocalizeConfig { return &i18n.LocalizeConfig{MessageID: id} },
			// Data and funcs must not bring the text to life either.
			"data+funcs": func(id string) *i18n.LocalizeConfig {
				return &i18n.LocalizeConfig{
					MessageID:    id,
					TemplateData: map[string]any{"Name": "X", "City": "Y", "Date": "Z", "Fn": func() string { return "ran" }},
					Funcs:        map[string]any{"call": func(any) string { return "ran" }},
				}
			},
			"plural": func(id string) *i18n.LocalizeConfig { return &i18n.LocalizeConfig{MessageID: id, PluralCount: 2} },
		}
		for cname, cfg := range configs {
			got := localize(t, "active.fr."+f.name, data, "fr", cfg)
			for _, n := range nasty {
				if got[n.id] != n.text {
					t.Errorf("%s/%s: %q came back as %q", f.name, cname, n.text, got[n.id])
				}
			}
		}
	}
}

// TestWithoutDelimsGoI18nWouldExecute proves the round-trip test can fail:
// the same text without per-message delimiters is executed by go-i18n.
func TestWithoutDelimsGoI18nWouldExecute(t *testing.T) {
	data := []byte(`[field]
other = "Dear {{.Name}}, your badge is ready."
`)
	bundle := i18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	bundle.MustParseMessageFileBytes(data, "active.fr.toml")
	s, err := i18n.NewLocalizer(bundle, "fr").Localize(&i18n.LocalizeConfig{MessageID: "field"})
	if err != nil {
		t.Fatal(err)
	}
	if s == "Dear {{.Name}}, your badge is ready." {
		t.Fatal("go-i18n no longer executes message text; the delimiter workaround may be obsolete")
	}
}

func TestDelimsOnlyWhereNeeded(t *testing.T) {
	src, texts := nastyReport()
	msgs, err := Build(src, "fr", texts)
	if err != nil {
		t.Fatal(err)
	}
	data, err := JSON(msgs)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]map[string]string
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	for _, n := range nasty {
		m := raw[n.id]
		has := strings.Contains(n.text, "{{")
		if (m["leftDelim"] != "") != has || (m["rightDelim"] != "") != has {
			t.Errorf("%s: delims %q %q for text %q", n.id, m["leftDelim"], m["rightDelim"], n.text)
		}
		if has && (strings.Contains(n.text, m["leftDelim"]) || strings.Contains(n.text, m["rightDelim"])) {
			t.Errorf("%s: delimiter occurs in text", n.id)
		}
		if m["other"] != n.text {
			t.Errorf("%s: file holds %q, want the text itself", n.id, m["other"])
		}
	}
	if l, r := delims("[[pr: :pr]] [[pr1: :pr1]] {{.Y}}"); l != "[[pr2:" || r != ":pr2]]" {
		t.Errorf("delims skipped to %q %q", l, r)
	}
}

func TestDeterministicBytes(t *testing.T) {
	src, texts := nastyReport()
	for _, enc := range []func([]Message) ([]byte, error){TOML, JSON} {
		var first []byte
		for i := 0; i < 20; i++ {
			// A fresh map each time: iteration order must not leak into output.
			cp := map[string]string{}
			for k, v := range texts {
				cp[k] = v
			}
			msgs, err := Build(src, "fr", cp)
			if err != nil {
				t.Fatal(err)
			}
			data, err := enc(msgs)
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = data
			} else if !bytes.Equal(first, data) {
				t.Fatal("output bytes differ between identical builds")
			}
		}
	}
}

func TestGoldenTOMLAndJSON(t *testing.T) {
	src := report.Report{Source: "en", Segments: []report.Segment{
		{ID: "s-2", Kind: report.KindTitle, Text: "Hello"},
		{ID: "p.1", Kind: report.KindParagraph, Text: "Dear {{.Name}}"},
	}}
	msgs, err := Build(src, "es", map[string]string{"s-2": "Hola", "p.1": "Estimado {{.Name}}"})
	if err != nil {
		t.Fatal(err)
	}
	h1, h2 := SourceHash("title", "Hello"), SourceHash("paragraph", "Dear {{.Name}}")
	gotT, err := TOML(msgs)
	if err != nil {
		t.Fatal(err)
	}
	wantT := `["p.1"]
description = "paragraph"
hash = "` + h2 + `"
leftDelim = "[[pr:"
other = "Estimado {{.Name}}"
rightDelim = ":pr]]"

[s-2]
description = "title"
hash = "` + h1 + `"
other = "Hola"
`
	if string(gotT) != wantT {
		t.Errorf("TOML:\n%s\nwant:\n%s", gotT, wantT)
	}
	gotJ, err := JSON(msgs)
	if err != nil {
		t.Fatal(err)
	}
	wantJ := `{
  "p.1": {
    "description": "paragraph",
    "hash": "` + h2 + `",
    "leftDelim": "[[pr:",
    "other": "Estimado {{.Name}}",
    "rightDelim": ":pr]]"
  },
  "s-2": {
    "description": "title",
    "hash": "` + h1 + `",
    "other": "Hola"
  }
}
`
	if string(gotJ) != wantJ {
		t.Errorf("JSON:\n%s\nwant:\n%s", gotJ, wantJ)
	}
}

func TestHashTargetsOnly(t *testing.T) {
	src := report.Report{Source: "en", Segments: []report.Segment{
		{ID: "t", Kind: report.KindTitle, Text: "Side event on water rights"},
		{ID: "p", Kind: report.KindParagraph, Text: "Speakers from {{.N}} countries"},
	}}
	srcTexts := map[string]string{"t": src.Segments[0].Text, "p": src.Segments[1].Text}
	en, err := Build(src, "en", srcTexts)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range en {
		if m.Hash != "" {
			t.Errorf("source message %s has hash %q", m.ID, m.Hash)
		}
	}
	ar, err := Build(src, "ar", map[string]string{"t": "فعالية جانبية", "p": "متحدثون من {{.N}} دولة"})
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range ar {
		seg := src.Segments[i]
		// goi18n merge: sha1 over the source description then the source "other" text.
		sum := sha1.Sum([]byte(string(seg.Kind) + seg.Text))
		want := "sha1-" + hex.EncodeToString(sum[:])
		if m.Hash != want {
			t.Errorf("%s: hash %q, want %q", m.ID, m.Hash, want)
		}
		if m.Description != string(seg.Kind) {
			t.Errorf("%s: description %q", m.ID, m.Description)
		}
	}
	// The hash survives a trip through a parsed file.
	data, err := TOML(ar)
	if err != nil {
		t.Fatal(err)
	}
	mf, err := Parse("active.ar.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	back := Messages(mf)
	if !reflect.DeepEqual(back, []Message{ar[1], ar[0]}) { // Messages sorts by ID
		t.Errorf("parsed %+v, want %+v", back, ar)
	}
	// A "source locale" spelled differently is still the source.
	en2, err := Build(src, "EN", srcTexts)
	if err != nil {
		t.Fatal(err)
	}
	if en2[0].Hash != "" {
		t.Error("EN treated as a target of en")
	}
}

func TestStale(t *testing.T) {
	old := report.Report{Source: "en", Segments: []report.Segment{
		{ID: "a", Kind: report.KindTitle, Text: "Budget review"},
		{ID: "b", Kind: report.KindParagraph, Text: "The committee met twice."},
		{ID: "c", Kind: report.KindParagraph, Text: "It adjourned at noon."},
		{ID: "d", Kind: report.KindListItem, Text: "Item"},
	}}
	fr, err := Build(old, "fr", map[string]string{"a": "Examen du budget", "b": "Le comité s'est réuni deux fois.", "c": "Séance levée à midi.", "d": "Point"})
	if err != nil {
		t.Fatal(err)
	}
	enOld := map[string]string{}
	for _, s := range old.Segments {
		enOld[s.ID] = s.Text
	}
	en, err := Build(old, "en", enOld)
	if err != nil {
		t.Fatal(err)
	}
	if s := Stale(old, fr); len(s) != 0 {
		t.Fatalf("fresh catalog reported stale: %v", s)
	}

	// New revision: b edited, c removed, d changed kind, e inserted.
	cur := report.Report{Source: "en", Segments: []report.Segment{
		{ID: "a", Kind: report.KindTitle, Text: "Budget review"},
		{ID: "e", Kind: report.KindParagraph, Text: "A new paragraph."},
		{ID: "b", Kind: report.KindParagraph, Text: "The committee met three times."},
		{ID: "d", Kind: report.KindHeading, Text: "Item"},
	}}
	want := []string{"b", "c", "d"}
	if got := Stale(cur, fr); !reflect.DeepEqual(got, want) {
		t.Errorf("Stale(fr) = %v, want %v", got, want)
	}
	// Through a published file (message order there is arbitrary).
	data, err := JSON(fr)
	if err != nil {
		t.Fatal(err)
	}
	mf, err := Parse("releases/x/v1/catalogs/active.fr.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if got := Stale(cur, Messages(mf)); !reflect.DeepEqual(got, want) {
		t.Errorf("Stale(parsed fr) = %v, want %v", got, want)
	}
	// Source catalogs carry no hash: their text is compared instead.
	if got, want := Stale(cur, en), []string{"b", "c"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Stale(en) = %v, want %v", got, want)
	}
	if got, want := Missing(cur, fr), []string{"e"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Missing = %v, want %v", got, want)
	}
}

func TestLocalesLoadUnderTheirTag(t *testing.T) {
	src := report.Report{Source: "en", Segments: []report.Segment{{ID: "t", Kind: report.KindTitle, Text: "Opening of the session"}}}
	for locale, text := range map[string]string{"zh-Hans": "会议开幕 {{.X}}", "ar": "افتتاح الدورة"} {
		msgs, err := Build(src, locale, map[string]string{"t": text})
		if err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{"toml", "json"} {
			var data []byte
			if format == "toml" {
				data, err = TOML(msgs)
			} else {
				data, err = JSON(msgs)
			}
			if err != nil {
				t.Fatal(err)
			}
			path := "active." + locale + "." + format
			mf, err := Parse(path, data)
			if err != nil {
				t.Fatal(err)
			}
			if want := language.MustParse(locale); mf.Tag != want {
				t.Errorf("%s: tag %v, want %v", path, mf.Tag, want)
			}
			bundle := i18n.NewBundle(language.English)
			bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
			if _, err := bundle.ParseMessageFileBytes(data, path); err != nil {
				t.Fatal(err)
			}
			got, tag, err := i18n.NewLocalizer(bundle, locale).LocalizeWithTag(&i18n.LocalizeConfig{MessageID: "t"})
			if err != nil || got != text || tag != language.MustParse(locale) {
				t.Errorf("%s: got %q from %v (%v), want %q", path, got, tag, err, text)
			}
		}
	}
}

func TestBuildErrors(t *testing.T) {
	src := report.Report{Source: "en", Segments: []report.Segment{
		{ID: "intro", Kind: report.KindParagraph, Text: "x"},
		{ID: "body-7", Kind: report.KindParagraph, Text: "y"},
	}}
	cases := []struct {
		name   string
		src    report.Report
		locale string
		texts  map[string]string
		want   string
	}{
		{"missing", src, "fr", map[string]string{"intro": "x"}, `"body-7"`},
		{"empty", src, "fr", map[string]string{"intro": "x", "body-7": ""}, `"body-7"`},
		{"invalid utf8", src, "fr", map[string]string{"intro": "x", "body-7": "bad \xff"}, `"body-7"`},
		{"bad locale", src, "not a tag", map[string]string{"intro": "x", "body-7": "y"}, "not a tag"},
		{"duplicate", report.Report{Source: "en", Segments: []report.Segment{{ID: "a", Text: "1"}, {ID: "a", Text: "2"}}}, "fr", map[string]string{"a": "z"}, `"a"`},
		{"reserved", report.Report{Source: "en", Segments: []report.Segment{{ID: "translation", Text: "1"}}}, "fr", map[string]string{"translation": "z"}, `"translation"`},
	}
	for _, c := range cases {
		_, err := Build(c.src, c.locale, c.texts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want mention of %s", c.name, err, c.want)
		}
	}
	if _, err := TOML([]Message{{ID: "a", Text: "1"}, {ID: "a", Text: "2"}}); err == nil {
		t.Error("TOML accepted duplicate IDs")
	}
}
