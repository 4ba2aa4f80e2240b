package render

import (
	"strings"
	"testing"

	"github.com/pressroom/pressroom/internal/report"
)

func TestSafeInlineMarkdown(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`Voir <a href="javascript:alert(1)" onclick="steal()">ici</a>.`, `Voir <a>ici</a>.`},
		{`<a href="https://un.org" title="ONU" onmouseover=x>ONU</a>`, `<a href="https://un.org" title="ONU">ONU</a>`},
		{`<a href=" JaVaScRiPt:alert(1)">x</a>`, `<a>x</a>`},
		{`<a href="java&#x09;script:alert(1)">x</a>`, `<a>x</a>`},
		{`<img src="data:image/svg+xml,<svg onload=alert(1)>" alt="m" onerror="x">`, `<img alt="m">`},
		{`<b style="background:url(x)">gras</b>`, `<b>gras</b>`},
		{`a <script>alert(1)</script> b <iframe srcdoc="x"></iframe>`, `a alert(1) b `},
		{`<svg><a xlink:href="javascript:x">y</a></svg>`, `<a>y</a>`},
		{`kept: <b>bold</b>, <a href="/fr/x" lang="fr">rel</a>, <br/>, <!-- note -->`, `kept: <b>bold</b>, <a href="/fr/x" lang="fr">rel</a>, <br/>, <!-- note -->`},
		{`[x](javascript:alert(1)) and ![i](data:text/html,x) but [ok](https://un.org)`, `\[x](javascript:alert(1)) and !\[i](data:text/html,x) but [ok](https://un.org)`},
		{"no tags **here** and `<b onclick=x>` in code", "no tags **here** and `<b onclick=x>` in code"},
		{`3 < 4 and a <= b`, `3 < 4 and a <= b`},
	} {
		if got := SafeInlineMarkdown(c.in); got != c.want {
			t.Errorf("SafeInlineMarkdown(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

// report.md keeps no unsafe attribute a translator typed.
func TestMarkdownDropsUnsafeAttributes(t *testing.T) {
	p := page("fr", report.FormatMarkdown)
	p.Report.Segments = append(p.Report.Segments, seg("p-evil", report.KindParagraph, `Lire <a href="javascript:alert(document.cookie)" onclick="x()">la suite</a>.`))
	p.Report.Segments[0].Text = `Titre <b onmouseover="x()">gras</b>`
	out, err := Markdown(p)
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	if strings.Contains(strings.ReplaceAll(s, `\[link](javascript:`, ""), "javascript:") {
		t.Errorf("report.md holds a javascript: URL that is not escaped text:\n%s", s)
	}
	for _, bad := range []string{"onclick", "onmouseover", "<script"} {
		if strings.Contains(s, bad) {
			t.Errorf("report.md holds %q:\n%s", bad, s)
		}
	}
	if !strings.Contains(s, "Lire <a>la suite</a>.") || !strings.Contains(s, "<b>gras</b>") {
		t.Errorf("report.md lost the text:\n%s", s)
	}
}
