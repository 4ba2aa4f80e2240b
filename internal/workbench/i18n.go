package workbench

import (
	"net/http"
	"slices"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/pressroom/pressroom/locales"
)

// The interface speaks the six UN languages; the choice comes from the
// language cookie (set by the switcher), else Accept-Language.
var (
	uiLocales = locales.Supported()
	matcher   = language.NewMatcher(func() []language.Tag {
		var tags []language.Tag
		for _, l := range uiLocales {
			tags = append(tags, language.Make(l))
		}
		return tags
	}())
)

// uiLocale picks the interface language of a request.
func uiLocale(r *http.Request) string {
	if c, err := r.Cookie(langCookie); err == nil && slices.Contains(uiLocales, c.Value) {
		return c.Value
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return "en"
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return "en"
	}
	return uiLocales[i]
}

// tr localizes one message; a missing message shows its ID (tests make
// sure none is missing). Messages without data are cached for the page: a
// 1,000-segment task names the same dozen labels on every segment.
type tr struct {
	loc   *i18n.Localizer
	cache map[string]string
}

func newTr(lang string) tr {
	return tr{loc: locales.Localizer(lang), cache: map[string]string{}}
}

func (t tr) T(id string, data ...any) string {
	if len(data) == 0 && t.cache != nil {
		if s, ok := t.cache[id]; ok {
			return s
		}
		s := t.localize(id)
		t.cache[id] = s
		return s
	}
	return t.localize(id, data...)
}

func (t tr) localize(id string, data ...any) string {
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(data) == 1 {
		cfg.TemplateData = data[0]
	} else if len(data) > 1 {
		m := map[string]any{}
		for i := 0; i+1 < len(data); i += 2 {
			if k, ok := data[i].(string); ok {
				m[k] = data[i+1]
			}
		}
		cfg.TemplateData = m
	}
	s, err := t.loc.Localize(cfg)
	if err != nil {
		return id
	}
	return s
}

// N localizes a message with a count, choosing its plural form.
func (t tr) N(id string, count int, data ...any) string {
	m := map[string]any{"Count": count}
	for i := 0; i+1 < len(data); i += 2 {
		if k, ok := data[i].(string); ok {
			m[k] = data[i+1]
		}
	}
	s, err := t.loc.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: count, TemplateData: m})
	if err != nil {
		return id
	}
	return s
}
