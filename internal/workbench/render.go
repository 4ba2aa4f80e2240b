package workbench

import (
	"bytes"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/locales"
)

// page is what every template gets: the localizer, the interface
// language and direction, the user, and the page's own data in Data.
type page struct {
	tr
	Lang, Dir string
	User      *auth.User
	Title     string
	Langs     []langLink
	Flash     string
	Error     string
	Data      any
}

type langLink struct {
	Code, Name, Href string
	Current          bool
}

var funcs = template.FuncMap{
	"dir":     locales.Direction,
	"autonym": locales.Autonym,
	"pct": func(n, total int) int {
		if total <= 0 {
			return 0
		}
		return min(100, n*100/total)
	},
	"date": func(lang string, t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return locales.FormatDate(lang, t)
	},
	"clock": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"path":  url.PathEscape,
	"script": func(locale string) string {
		switch {
		case strings.HasPrefix(locale, "zh"), strings.HasPrefix(locale, "ja"), strings.HasPrefix(locale, "ko"):
			return "cjk"
		case strings.HasPrefix(locale, "ru"), strings.HasPrefix(locale, "uk"), strings.HasPrefix(locale, "bg"), strings.HasPrefix(locale, "sr"):
			return "cyrl"
		case locales.Direction(locale) == "rtl":
			return "arab"
		}
		return "latn"
	},
	"inc": func(i int) int { return i + 1 },
}

// mustParsePages parses each page template with the layout.
func mustParsePages() map[string]*template.Template {
	layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html"))
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		panic(err)
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(path.Base(n), ".html")
		if base == "layout" {
			continue
		}
		pages[base] = template.Must(template.Must(layout.Clone()).ParseFS(templateFiles, n))
	}
	return pages
}

func (s *Server) newPage(r *http.Request, u *auth.User, titleID string, data any) page {
	lang := uiLocale(r)
	t := newTr(lang)
	p := page{tr: t, Lang: lang, Dir: locales.Direction(lang), User: u, Title: t.T(titleID), Data: data}
	for _, l := range uiLocales {
		p.Langs = append(p.Langs, langLink{Code: l, Name: locales.Autonym(l), Current: l == lang,
			Href: "/workbench/lang/" + l + "?next=" + url.QueryEscape(r.URL.RequestURI())})
	}
	return p
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, u *auth.User, status int, name, titleID string, data any) {
	s.renderWith(w, r, u, status, name, titleID, data, "", "")
}

// renderWith renders a page with a localized flash or error message (its
// ID and template data pairs).
func (s *Server) renderWith(w http.ResponseWriter, r *http.Request, u *auth.User, status int, name, titleID string, data any, flashID, errorID string, args ...any) {
	p := s.newPage(r, u, titleID, data)
	if flashID != "" {
		p.Flash = p.T(flashID, args...)
	}
	if errorID != "" {
		p.Error = p.T(errorID, args...)
	}
	s.write(w, status, name, p)
}

func (s *Server) write(w http.ResponseWriter, status int, name string, p page) {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout.html", p); err != nil {
		s.Log.Error("workbench template", "page", name, "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// renderError answers with a localized error, as JSON to the script.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, u *auth.User, status int, msgID string, args ...any) {
	p := s.newPage(r, u, "WbErrorTitle", nil)
	p.Error = p.T(msgID, args...)
	if wantsJSON(r) {
		writeJSON(w, status, map[string]any{"error": p.Error, "status": status})
		return
	}
	s.write(w, status, "error", p)
}

// renderProblem answers with a message that is not a catalog entry (a
// validator's reason, an object store error), after a localized lead.
func (s *Server) renderProblem(w http.ResponseWriter, r *http.Request, u *auth.User, status int, leadID string, detail string) {
	p := s.newPage(r, u, "WbErrorTitle", nil)
	p.Error = p.T(leadID) + " " + detail
	if wantsJSON(r) {
		writeJSON(w, status, map[string]any{"error": p.Error, "status": status})
		return
	}
	s.write(w, status, "error", p)
}
