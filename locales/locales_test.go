package locales

import (
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// parseFile loads one embedded catalog into a fresh bundle, the way a
// consumer of the files would.
func parseFile(t *testing.T, locale string) *i18n.MessageFile {
	t.Helper()
	name := "active." + locale + ".toml"
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	buf, err := files.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	mf, err := b.ParseMessageFileBytes(buf, name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if want := language.Make(locale); mf.Tag != want {
		t.Fatalf("%s: tag %v, want %v", name, mf.Tag, want)
	}
	return mf
}

func ids(mf *i18n.MessageFile) []string {
	var out []string
	for _, m := range mf.Messages {
		out = append(out, m.ID)
	}
	sort.Strings(out)
	return out
}

func TestFilesMatchSupported(t *testing.T) {
	names, err := filepath.Glob("active.*.toml")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range names {
		got = append(got, strings.TrimSuffix(strings.TrimPrefix(n, "active."), ".toml"))
	}
	want := Supported()
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Fatalf("catalog files %v, Supported() %v", got, want)
	}
	if s := Supported(); !slices.Equal(s, []string{"en", "ar", "zh-Hans", "fr", "ru", "es"}) {
		t.Fatalf("Supported() = %v, want UN order", s)
	}
}

func TestLoadMessageFileFromDisk(t *testing.T) {
	b := i18n.NewBundle(language.English)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, loc := range Supported() {
		if _, err := b.LoadMessageFile("active." + loc + ".toml"); err != nil {
			t.Errorf("%s: %v", loc, err)
		}
	}
}

func TestSameMessageIDs(t *testing.T) {
	en := ids(parseFile(t, "en"))
	for _, required := range []string{
		"SiteName", "BackToList", "TextSize", "TextSizeSmall", "TextSizeMedium", "TextSizeLarge",
		"PublishedOn", "Languages", "ReportCount", "ReadingTime", "ReportsHeading", "NoReports",
		"DateLong", "SkipToContent",
		// the workbench (internal/workbench tests that each message it names is here)
		"WbSignIn", "WbUsername", "WbPassword", "WbMyTasks", "WbTaskCount", "WbErrorCount", "WbConflict", "WbApprove",
	} {
		if !slices.Contains(en, required) {
			t.Errorf("en: missing %s", required)
		}
	}
	for m := 1; m <= 12; m++ {
		if !slices.Contains(en, "Month"+strconv.Itoa(m)) {
			t.Errorf("en: missing Month%d", m)
		}
	}
	for _, loc := range Supported()[1:] {
		got := ids(parseFile(t, loc))
		for _, id := range en {
			if !slices.Contains(got, id) {
				t.Errorf("%s: missing %s", loc, id)
			}
		}
		for _, id := range got {
			if !slices.Contains(en, id) {
				t.Errorf("%s: extra %s (not in active.en.toml)", loc, id)
			}
		}
	}
}

// TestNoEmptyMessages: an empty string would make go-i18n treat the form
// as absent and silently fall back.
func TestNoEmptyMessages(t *testing.T) {
	for _, loc := range Supported() {
		for _, m := range parseFile(t, loc).Messages {
			if m.Other == "" {
				t.Errorf("%s: %s has no other form", loc, m.ID)
			}
		}
	}
}

// pluralCounts covers integers, exact millions (French/Spanish "many") and
// decimals (Russian "other").
var pluralCounts = func() []string {
	var out []string
	for n := 0; n <= 200; n++ {
		out = append(out, strconv.Itoa(n))
	}
	return append(out, "1000", "1000000", "2000000", "0.5", "1.5", "2.5", "5.5", "101.5")
}()

// categoriesUsed finds, through go-i18n's public behaviour, which CLDR
// plural categories its rules select for locale: a probe message whose
// forms are the category names reports the form picked for each count.
func categoriesUsed(t *testing.T, locale string) map[string]bool {
	t.Helper()
	tag := language.Make(locale)
	b := i18n.NewBundle(tag)
	b.MustAddMessages(tag, &i18n.Message{
		ID: "Probe", Zero: "zero", One: "one", Two: "two", Few: "few", Many: "many", Other: "other",
	})
	l := i18n.NewLocalizer(b, locale)
	used := map[string]bool{}
	for _, c := range pluralCounts {
		s, err := l.Localize(&i18n.LocalizeConfig{MessageID: "Probe", PluralCount: c})
		if err != nil {
			t.Fatalf("%s probe %s: %v", locale, c, err)
		}
		used[s] = true
	}
	return used
}

func TestPluralCategories(t *testing.T) {
	want := map[string][]string{
		"en":      {"one", "other"},
		"ar":      {"zero", "one", "two", "few", "many", "other"},
		"zh-Hans": {"other"},
		"fr":      {"one", "many", "other"},
		"ru":      {"one", "few", "many", "other"},
		"es":      {"one", "many", "other"},
	}
	// A message is plural when its English source has a "one" form.
	pluralIDs := map[string]bool{}
	for _, m := range parseFile(t, "en").Messages {
		if m.One != "" {
			pluralIDs[m.ID] = true
		}
	}
	if !pluralIDs["ReportCount"] || !pluralIDs["ReadingTime"] {
		t.Fatalf("plural messages in en: %v", pluralIDs)
	}
	for _, loc := range Supported() {
		used := categoriesUsed(t, loc)
		var got []string
		for _, c := range []string{"zero", "one", "two", "few", "many", "other"} {
			if used[c] {
				got = append(got, c)
			}
		}
		if !slices.Equal(got, want[loc]) {
			t.Errorf("%s: go-i18n uses %v, test expects %v", loc, got, want[loc])
		}

		for _, m := range parseFile(t, loc).Messages {
			if !pluralIDs[m.ID] {
				continue
			}
			forms := map[string]string{
				"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other,
			}
			for c, text := range forms {
				if used[c] && text == "" {
					t.Errorf("%s: %s lacks plural form %q", loc, m.ID, c)
				}
				if !used[c] && text != "" {
					t.Errorf("%s: %s has plural form %q the language never uses", loc, m.ID, c)
				}
			}
		}
	}
}

// TestPluralLocalize exercises the real catalogs: every count localizes
// without error (a missing form is an error in go-i18n) and the output
// carries the number where the form is not spelled out.
func TestPluralLocalize(t *testing.T) {
	for _, loc := range Supported() {
		l := Localizer(loc)
		for _, id := range []string{"ReportCount", "ReadingTime"} {
			for _, c := range pluralCounts {
				s, err := l.Localize(&i18n.LocalizeConfig{
					MessageID:    id,
					PluralCount:  c,
					TemplateData: map[string]any{"Count": c},
				})
				if err != nil || strings.TrimSpace(s) == "" {
					t.Errorf("%s %s %s: %q, %v", loc, id, c, s, err)
				}
				if strings.Contains(s, "{{") || strings.Contains(s, "<no value>") {
					t.Errorf("%s %s %s: unexpanded template %q", loc, id, c, s)
				}
			}
		}
	}
}

func TestPluralForms(t *testing.T) {
	cases := []struct {
		loc   string
		count int
		want  string
	}{
		{"en", 1, "1 report"},
		{"en", 2, "2 reports"},
		{"ar", 0, "لا توجد تقارير"},
		{"ar", 1, "تقرير واحد"},
		{"ar", 2, "تقريران"},
		{"ar", 3, "3 تقارير"},
		{"ar", 11, "11 تقريرًا"},
		{"ar", 100, "100 تقرير"},
		{"ru", 1, "1 отчёт"},
		{"ru", 3, "3 отчёта"},
		{"ru", 5, "5 отчётов"},
		{"ru", 21, "21 отчёт"},
		{"fr", 0, "0 rapport"},
		{"fr", 2, "2 rapports"},
		{"fr", 1000000, "1000000 de rapports"},
		{"es", 1, "1 informe"},
		{"es", 0, "0 informes"},
		{"zh-Hans", 1, "1篇报告"},
	}
	for _, c := range cases {
		s, err := Localizer(c.loc).Localize(&i18n.LocalizeConfig{
			MessageID: "ReportCount", PluralCount: c.count, TemplateData: map[string]any{"Count": c.count},
		})
		if err != nil || s != c.want {
			t.Errorf("%s %d: %q, %v; want %q", c.loc, c.count, s, err, c.want)
		}
	}
}

func TestFormatDate(t *testing.T) {
	d := time.Date(2024, time.January, 23, 15, 4, 5, 0, time.UTC)
	want := map[string]string{
		"en":      "January 23, 2024",
		"ar":      "23 يناير 2024",
		"zh-Hans": "2024年1月23日",
		"fr":      "23 janvier 2024",
		"ru":      "23 января 2024 г.",
		"es":      "23 de enero de 2024",
	}
	for _, loc := range Supported() {
		if got := FormatDate(loc, d); got != want[loc] {
			t.Errorf("FormatDate(%s) = %q, want %q", loc, got, want[loc])
		}
	}
	if got := FormatDate("ru", time.Date(2024, time.August, 1, 0, 0, 0, 0, time.UTC)); got != "1 августа 2024 г." {
		t.Errorf("ru August: %q", got)
	}
	if got := FormatDate("de", d); got != want["en"] {
		t.Errorf("unsupported locale should fall back to English, got %q", got)
	}
	if got := FormatDate("zh-CN", d); got != want["zh-Hans"] {
		t.Errorf("zh-CN should match zh-Hans, got %q", got)
	}
}

func TestDirection(t *testing.T) {
	for loc, want := range map[string]string{
		"en": "ltr", "ar": "rtl", "zh-Hans": "ltr", "fr": "ltr", "ru": "ltr", "es": "ltr",
		"fa": "rtl", "he": "rtl", "ur": "rtl", "ar-EG": "rtl", "yi": "rtl", "pa-Arab": "rtl",
		"pa": "ltr", "ar-Latn": "ltr", "az": "ltr", "dv": "rtl", "": "ltr", "not a tag!": "ltr",
	} {
		if got := Direction(loc); got != want {
			t.Errorf("Direction(%q) = %q, want %q", loc, got, want)
		}
	}
}

func TestAutonym(t *testing.T) {
	for loc, want := range map[string]string{
		"en": "English", "ar": "العربية", "zh-Hans": "中文", "fr": "Français", "ru": "Русский",
		"es": "Español", "zh-Hant": "繁體中文",
	} {
		if got := Autonym(loc); got != want {
			t.Errorf("Autonym(%q) = %q, want %q", loc, got, want)
		}
	}
}

func TestBundleLanguages(t *testing.T) {
	var got []string
	for _, tag := range Bundle().LanguageTags() {
		got = append(got, tag.String())
	}
	for _, loc := range Supported() {
		if !slices.Contains(got, loc) {
			t.Errorf("bundle lacks %s (has %v)", loc, got)
		}
	}
	s, err := Localizer("ar").Localize(&i18n.LocalizeConfig{MessageID: "BackToList"})
	if err != nil || s != "العودة إلى القائمة" {
		t.Errorf("ar BackToList = %q, %v", s, err)
	}
}
