// Package locales holds Pressroom's own strings (published page chrome and
// UI text) as go-i18n TOML catalogs embedded in the binary, plus the
// locale helpers the renderer and web UI share.
//
// Report text never goes through these catalogs: it is data, and only the
// templates in the embedded files are ever executed.
package locales

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

//go:embed *.toml
var files embed.FS

// supported is the reference locale set in UN order.
var supported = []string{"en", "ar", "zh-Hans", "fr", "ru", "es"}

var (
	bundleOnce sync.Once
	bundle     *i18n.Bundle
)

// Files returns the embedded message files (active.<locale>.toml).
func Files() fs.FS { return files }

// Bundle returns the bundle with every embedded catalog loaded; English is
// the default language. It is built once and must not be modified.
func Bundle() *i18n.Bundle {
	bundleOnce.Do(func() {
		b, err := newBundle()
		if err != nil {
			// The files are embedded and covered by tests: a failure here
			// is a build defect, not a runtime condition.
			panic(err)
		}
		bundle = b
	})
	return bundle
}

func newBundle() (*i18n.Bundle, error) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(files, "*.toml")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		buf, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if _, err := b.ParseMessageFileBytes(buf, path.Base(name)); err != nil {
			return nil, fmt.Errorf("locales: %s: %w", name, err)
		}
	}
	return b, nil
}

// Supported returns the locales Pressroom ships catalogs for, in UN order.
func Supported() []string {
	return append([]string(nil), supported...)
}

// Localizer returns a localizer for locale; unknown locales fall back to
// the closest supported one, then English.
func Localizer(locale string) *i18n.Localizer {
	return i18n.NewLocalizer(Bundle(), locale)
}

var rtlBases = map[string]bool{
	"ar": true, "fa": true, "he": true, "ur": true, "ps": true,
	"sd": true, "ug": true, "ckb": true, "yi": true, "dv": true,
}

var rtlScripts = map[string]bool{
	"Arab": true, "Hebr": true, "Thaa": true, "Syrc": true,
	"Nkoo": true, "Adlm": true, "Rohg": true, "Mand": true, "Samr": true,
}

// Direction returns "rtl" or "ltr" for the html dir attribute.
func Direction(locale string) string {
	tag, err := language.Parse(locale)
	if err != nil {
		return "ltr"
	}
	script, conf := tag.Script()
	// An explicit script wins over the language's usual one (ar-Latn is ltr,
	// pa-Arab is rtl).
	if conf == language.Exact {
		return dirOf(rtlScripts[script.String()])
	}
	base, _ := tag.Base()
	return dirOf(rtlBases[base.String()] || rtlScripts[script.String()])
}

func dirOf(rtl bool) string {
	if rtl {
		return "rtl"
	}
	return "ltr"
}

// Autonym returns the name of the language in that language, capitalized as
// in a language menu ("Français", "中文"). The script is left out when it is
// the language's usual one, so zh-Hans is "中文" but zh-Hant is "繁體中文".
func Autonym(locale string) string {
	tag, err := language.Parse(locale)
	if err != nil {
		return locale
	}
	if script, conf := tag.Script(); conf == language.Exact {
		base, _ := tag.Base()
		if usual, _ := language.Make(base.String()).Script(); usual == script {
			region, rconf := tag.Region()
			if rconf == language.Exact {
				tag, _ = language.Compose(base, region)
			} else {
				tag, _ = language.Compose(base)
			}
		}
	}
	name := display.Self.Name(tag)
	if name == "" {
		name = display.English.Tags().Name(tag)
	}
	if name == "" {
		return locale
	}
	r, size := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[size:]
}

// FormatDate formats t as a full date in locale, using the Month<N> and
// DateLong messages ("23 января 2024 г.", "2024年1月23日").
func FormatDate(locale string, t time.Time) string {
	l := Localizer(locale)
	month, err := l.Localize(&i18n.LocalizeConfig{MessageID: fmt.Sprintf("Month%d", int(t.Month()))})
	if err != nil {
		return t.Format(time.DateOnly)
	}
	s, err := l.Localize(&i18n.LocalizeConfig{
		MessageID:    "DateLong",
		TemplateData: map[string]any{"Day": t.Day(), "Month": month, "Year": t.Year()},
	})
	if err != nil {
		return t.Format(time.DateOnly)
	}
	return s
}
