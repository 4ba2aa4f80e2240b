package render

import (
	"bytes"
	"fmt"
	"html/template"
	"slices"

	"github.com/pressroom/pressroom/locales"
)

// Notice is a small page that says why there is nothing to show: an
// unpublished report (410), a bad or expired preview link (403/410).
type Notice struct {
	Locale  string // the page's language; "" is English
	Heading string
	Text    string
	Home    string // a link back to the site ("" for none)
	// Localized says Heading and Text are in Locale (else English).
	Localized bool
}

// GoneNotice is the page of an unpublished report in its locale (English
// where Pressroom has no catalog for it).
func GoneNotice(locale string) Notice {
	t := newTranslator(locales.Localizer(locale))
	return Notice{Locale: locale, Heading: t.msg("GoneHeading", nil), Text: t.msg("GoneText", nil),
		Home: "/" + locale + "/", Localized: slices.Contains(locales.Supported(), locale)}
}

var noticeTmpl = template.Must(template.New("notice").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}" dir="{{.Dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Heading}}</title>
<style>` + pageStyle + `</style>
</head>
<body>
<main class="notice" id="content">
<h1{{if not .Localized}} lang="en" dir="ltr"{{end}}>{{.Heading}}</h1>
<p{{if not .Localized}} lang="en" dir="ltr"{{end}}>{{.Text}}</p>
{{- with .Home}}
<p><a href="{{.}}">{{$.SiteName}}</a></p>
{{- end}}
</main>
</body>
</html>
`))

// NoticePage renders n. The page's language and direction follow the
// locale so the site's fonts apply to the link home; English text is
// marked as such.
func NoticePage(n Notice) ([]byte, error) {
	loc := n.Locale
	if loc == "" {
		loc = "en"
	}
	t := newTranslator(locales.Localizer(loc))
	d := struct {
		Notice
		Lang, Dir, SiteName string
	}{n, loc, locales.Direction(loc), t.msg("SiteName", nil)}
	if t.err != nil {
		return nil, t.err
	}
	var buf bytes.Buffer
	if err := noticeTmpl.Execute(&buf, d); err != nil {
		return nil, fmt.Errorf("render notice: %w", err)
	}
	return buf.Bytes(), nil
}
