package report

import (
	"errors"
	"strings"
	"testing"
)

func TestParseEdits(t *testing.T) {
	got, err := ParseEdits("fixes.json", []byte(`{"p-3f2a1b9c0d": "Texte corrigé.", "title": "Titre"}`))
	if err != nil || len(got) != 2 || got["title"] != "Titre" {
		t.Fatalf("%v %v", got, err)
	}
	for _, c := range []struct{ name, data, want string }{
		{"syntax", "{\n\"p-1\": \"a\",\n}", "fixes.json:3: edits must be a JSON object"},
		{"type", "{\"p-1\": 3}", "fixes.json:1: edits must be a JSON object"},
		{"empty", "{}", "names no segments"},
		{"bad id", `{"../p": "x"}`, `segment ID "../p" is not valid`},
		{"long", `{"p-1": "` + strings.Repeat("x", MaxTranslationChars+1) + `"}`, "fixes.json: translation of segment p-1 is 20001 characters long; the limit is 20000"},
		{"links", `{"p-1": "` + strings.Repeat("[", MaxLinkOpeners+1) + `"}`, "segment p-1 has 101 '['"},
		{"size", `{"p-1": "` + strings.Repeat("x", MaxEditsSize) + `"}`, "the limit is 8388608 bytes (8 MiB)"},
	} {
		_, err := ParseEdits("fixes.json", []byte(c.data))
		var e *Error
		if err == nil || !errors.As(err, &e) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func FuzzParseEdits(f *testing.F) {
	for _, s := range []string{`{"p-1":"a"}`, `{"title":"T","summary":"S"}`, `{}`, `[]`, `{"p-1":1}`, "{\"p\":\"\\u00e9\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		edits, err := ParseEdits("f.json", data)
		if err != nil {
			var e *Error
			if edits != nil || !errors.As(err, &e) || e.Msg == "" {
				t.Fatalf("edits %v with error %T %v", edits, err, err)
			}
			return
		}
		if len(edits) == 0 || len(edits) > MaxSegments {
			t.Fatalf("%d edits accepted", len(edits))
		}
		for id, text := range edits {
			if ValidSegmentID(id) != nil || CheckTranslation(id, text) != nil {
				t.Fatalf("accepted %q: %q", id, text)
			}
		}
	})
}
