package catalog

import (
	"strings"
	"testing"

	"github.com/pressroom/pressroom/internal/report"
)

// A translator's <a href="javascript:…" onclick=…> does not reach the
// catalogs; the source catalog is not reported stale for it.
func TestBuildDropsUnsafeAttributes(t *testing.T) {
	src := report.Report{Slug: "s", Source: "en", Format: report.FormatMarkdown, Segments: []report.Segment{
		{ID: "title", Kind: report.KindTitle, Text: "T"},
		{ID: "p-1", Kind: report.KindParagraph, Text: `See <a href="https://un.org" onclick="x()">here</a>.`},
	}}
	msgs, err := Build(src, "fr", map[string]string{"title": "T", "p-1": `Voir <a href="javascript:alert(document.cookie)" onclick="x()">ici</a>.`})
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []func([]Message) ([]byte, error){TOML, JSON} {
		b, err := format(msgs)
		if err != nil {
			t.Fatal(err)
		}
		if s := string(b); strings.Contains(s, "javascript") || strings.Contains(s, "onclick") || !strings.Contains(s, "Voir <a>ici</a>.") {
			t.Errorf("catalog:\n%s", s)
		}
	}
	srcMsgs, err := Build(src, "en", map[string]string{"title": "T", "p-1": src.Segments[1].Text})
	if err != nil {
		t.Fatal(err)
	}
	if srcMsgs[1].Text != `See <a href="https://un.org">here</a>.` {
		t.Errorf("source message %q", srcMsgs[1].Text)
	}
	if stale := Stale(src, srcMsgs); len(stale) != 0 {
		t.Errorf("stale %v", stale)
	}
	// Literal text is data: nothing in it is markup, nothing is changed.
	src.Format = report.FormatText
	msgs, err = Build(src, "fr", map[string]string{"title": "T", "p-1": `<a onclick="x">`})
	if err != nil || msgs[1].Text != `<a onclick="x">` {
		t.Fatalf("%v %v", msgs, err)
	}
}
