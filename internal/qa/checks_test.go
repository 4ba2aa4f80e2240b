package qa

import (
	"reflect"
	"strings"
	"testing"
)

// checkCase is one segment and the findings one check must give for it:
// want lists the messages of that check, in order (nil: the check passes).
// Other checks are covered by their own tables.
type checkCase struct {
	name        string
	src, tgt    string
	from, to    string // locales; from defaults to "en"
	plain       bool   // plain text instead of Markdown
	want        []string
	wantWarning bool // the findings are warnings, not errors
}

func runChecks(t *testing.T, check string, cases []checkCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			from := tc.from
			if from == "" {
				from = "en"
			}
			fs := Check(DefaultConfig(), "p-7f3a", tc.src, tc.tgt, from, tc.to, !tc.plain)
			var got []string
			for _, f := range fs {
				if f.SegmentID != "p-7f3a" {
					t.Errorf("finding without its segment ID: %+v", f)
				}
				if f.Check != check {
					continue
				}
				got = append(got, f.Message)
				if want := map[bool]Severity{true: Warning, false: Error}[tc.wantWarning]; f.Severity != want {
					t.Errorf("severity %s; want %s: %s", f.Severity, want, f.Message)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s findings:\n got %q\nwant %q\n(all: %+v)", check, got, tc.want, fs)
			}
		})
	}
}

func TestPlaceholderCheck(t *testing.T) {
	runChecks(t, CheckPlaceholders, []checkCase{
		{name: "kept", src: "Dear {{.Name}}, your badge is ready.", tgt: "Cher {{.Name}}, votre badge est prêt.", to: "fr"},
		{name: "reordered", src: "{{.City}} hosts {{.Event}} this year.", tgt: "{{.Event}} se tient cette année à {{.City}}.", to: "fr"},
		{name: "missing", src: "Dear {{.Name}}, your badge is ready.", tgt: "Уважаемый участник, ваш пропуск готов.", to: "ru",
			want: []string{"placeholder {{.Name}} is missing from the target"}},
		{name: "added", src: "Your badge is ready.", tgt: "Ваш пропуск готов {{.Date}}.", to: "ru",
			want: []string{"the target has placeholder {{.Date}}, which is not in the source; remove it"}},
		{name: "translated name", src: "Dear {{.Name}},", tgt: "Cher {{.Nom}},", to: "fr",
			want: []string{"placeholder {{.Name}} was changed to {{.Nom}} in the target; keep it exactly as in the source"}},
		{name: "count differs", src: "{{.N}} votes for, {{.N}} against.", tgt: "{{.N}} votos a favor y en contra.", to: "es",
			want: []string{"placeholder {{.N}} appears twice in the source but once in the target"}},
		{name: "printf kept", src: "%d delegates from %s arrived.", tgt: "Llegaron %d delegados de %s.", to: "es"},
		{name: "indexed verbs reordered", src: "%[1]s met %[2]s.", tgt: "%[2]s a rencontré %[1]s.", to: "fr"},
		{name: "printf changed", src: "Saved %d files.", tgt: "Enregistré %s fichiers.", to: "fr",
			want: []string{"format verb %d was changed to %s in the target; keep it exactly as in the source"}},
		{name: "printf missing", src: "Welcome, %s!", tgt: "مرحبا!", to: "ar",
			want: []string{"format verb %s is missing from the target"}},
		// "50 %" is French typography, not a verb; "%%" is a literal percent.
		{name: "percent signs are not verbs", src: "50% of votes, 100%% sure.", tgt: "50 % des voix, sûr à 100%%.", to: "fr"},
		{name: "URL escapes are not verbs", src: "See https://example.org/a%20b%2Fc.", tgt: "Voir https://example.org/a%20b%2Fc.", to: "fr"},
		// In plain text nothing is a placeholder: the text is literal.
		{name: "plain text", src: "Hello {{.Name}} %s", tgt: "Bonjour", to: "fr", plain: true},
	})
}

func TestMarkupCheck(t *testing.T) {
	runChecks(t, CheckMarkup, []checkCase{
		{name: "emphasis kept", src: "A *very* **important** vote.", tgt: "Un vote **très** *important*.", to: "fr"},
		{name: "underscores are the same emphasis", src: "An _urgent_ appeal.", tgt: "Un appel *urgent*.", to: "fr"},
		{name: "strong emphasis lost", src: "This is **important** news.", tgt: "Это важная новость.", to: "ru",
			want: []string{"strong emphasis **…** is missing from the target"}},
		{name: "emphasis level changed", src: "An *urgent* appeal.", tgt: "Un appel **urgent**.", to: "fr",
			want: []string{"emphasis *…* was changed to strong emphasis **…** in the target; keep it exactly as in the source"}},
		// The markers are there, but "**" between "。" and a letter does
		// not close: Markdown shows the asterisks.
		{name: "CJK emphasis not recognised", src: "This is **important.** Read it.", tgt: "这**很重要。**请阅读。", to: "zh-Hans",
			want: []string{"strong emphasis **…** is missing from the target; the target has * or _ that Markdown does not read as emphasis where they stand (next to punctuation, a marker needs a space or punctuation on its other side)"}},
		{name: "CJK emphasis recognised", src: "This is **important.** Read it.", tgt: "这**很重要**。请阅读。", to: "zh-Hans"},
		{name: "literal asterisk", src: "Compute 5 * 3 first.", tgt: "Calcule primero 5 × 3.", to: "es"},
		{name: "code span kept", src: "Run `pressroom dev` first.", tgt: "Lancez d'abord `pressroom dev`.", to: "fr"},
		{name: "code span translated", src: "Run `pressroom dev` first.", tgt: "Lancez d'abord `pressroom dév`.", to: "fr",
			want: []string{"code span `pressroom dev` was changed to code span `pressroom dév` in the target; keep it exactly as in the source"}},
		{name: "html attributes may be translated", src: `The <abbr title="United Nations">UN</abbr> met.`, tgt: `L'<abbr title="Organisation des Nations unies">ONU</abbr> s'est réunie.`, to: "fr"},
		{name: "html attributes changed to script", src: `See <a href="https://un.org" title="Help">UN</a>.`, tgt: `Voir <a href="javascript:alert(1)" onclick="steal()" title="Aide">ONU</a>.`, to: "fr",
			want: []string{`HTML tag <a href="https://un.org" title> was changed to HTML tag <a href="javascript:alert(1)" onclick="steal()" title> in the target; keep it exactly as in the source`}},
		{name: "html attribute added", src: `Press <b>Save</b>.`, tgt: `Appuyez sur <b style="x" onmouseover=y>Enregistrer</b>.`, to: "fr",
			want: []string{`HTML tag <b> was changed to HTML tag <b onmouseover="y" style="x"> in the target; keep it exactly as in the source`}},
		{name: "html attributes reordered and requoted", src: `<a href="/x" lang="fr">x</a>`, tgt: `<a lang='fr' href=/x>x</a>`, to: "fr"},
		{name: "html tag lost", src: "First line<br>second line.", tgt: "Première ligne, deuxième ligne.", to: "fr",
			want: []string{"HTML tag <br> is missing from the target"}},
		{name: "html tag added", src: "Press Save.", tgt: "Appuyez sur <b>Enregistrer</b>.", to: "fr",
			want: []string{"the target has HTML tag <b>, which is not in the source; remove it", "the target has HTML tag </b>, which is not in the source; remove it"}},
		{name: "link kept", src: "Read the [report](https://example.org/r).", tgt: "Lisez le [rapport](https://example.org/r).", to: "fr"},
		{name: "link destination changed", src: "Read the [report](https://example.org/r).", tgt: "Lisez le [rapport](https://example.org/fr/r).", to: "fr",
			want: []string{"link destination https://example.org/r was changed to https://example.org/fr/r in the target; keep it exactly as in the source"}},
		{name: "link lost", src: "See the [2026 report](/reports/2026).", tgt: "Voir le rapport 2026.", to: "fr",
			want: []string{"link destination /reports/2026 is missing from the target"}},
		{name: "image changed", src: "![Map](map-en.png)", tgt: "![Carte](map-fr.png)", to: "fr",
			want: []string{"image map-en.png was changed to map-fr.png in the target; keep it exactly as in the source"}},
		{name: "plain text has no markup", src: "A **bold** <b>claim</b> [x](y)", tgt: "Une affirmation audacieuse", to: "fr", plain: true},
	})
}

func TestNumberCheck(t *testing.T) {
	runChecks(t, CheckNumbers, []checkCase{
		{name: "same digits", src: "340 participants from 12 countries.", tgt: "340 participants de 12 pays.", to: "fr"},
		{name: "French grouping with narrow no-break space", src: "It cost 1,500,000 dollars.", tgt: "Cela a coûté 1\u202f500\u202f000 dollars.", to: "fr"},
		{name: "Spanish grouping with stops", src: "It cost 1,500,000 dollars.", tgt: "Costó 1.500.000 dólares.", to: "es"},
		{name: "Russian grouping with spaces", src: "About 25,000 visitors.", tgt: "Около 25 000 посетителей.", to: "ru"},
		{name: "decimal comma", src: "Growth was 3.5% in 2025.", tgt: "La croissance a été de 3,5 % en 2025.", to: "fr"},
		{name: "Arabic-Indic digits and separators", src: "On 21 March 2026, 1,250 delegates voted; 3.5% abstained.", tgt: "في ٢١ آذار/مارس ٢٠٢٦، صوّت ١٬٢٥٠ مندوبا؛ وامتنع ٣٫٥٪.", to: "ar"},
		{name: "Eastern Arabic digits", src: "Room 1402.", tgt: "اتاق ۱۴۰۲.", to: "fa"},
		{name: "year next to CJK", src: "The 2026 session opens in June.", tgt: "2026年会议将于6月开幕。", to: "zh-Hans"},
		{name: "Indian grouping", src: "1,00,000 seedlings were planted.", tgt: "100,000 seedlings were planted.", to: "en-IN"},
		{name: "digits inside URLs are not numbers", src: "See https://example.org/2026/report.", tgt: "Voir https://example.org/2026/report.", to: "fr"},
		{name: "number missing", src: "340 participants from 12 countries.", tgt: "340 participants de douze pays.", to: "fr",
			want: []string{"number 12 is missing from the target; any digits and grouping will do (1,000 = 1 000 = ١٬٠٠٠)"}},
		{name: "year changed", src: "The plan runs until 2030.", tgt: "El plan dura hasta 2031.", to: "es",
			want: []string{"number 2030 is missing from the target (it has 2031 instead); any digits and grouping will do (1,000 = 1 000 = ١٬٠٠٠)"}},
		{name: "decimal lost", src: "A loan of 3.5 million.", tgt: "Un prêt de 35 millions.", to: "fr",
			want: []string{"number 3.5 is missing from the target (it has 35 instead); any digits and grouping will do (1,000 = 1 000 = ١٬٠٠٠)"}},
		{name: "thousands misread", src: "1,500 tonnes.", tgt: "1,5 тонны.", to: "ru",
			want: []string{"number 1,500 is missing from the target (it has 1,5 instead); any digits and grouping will do (1,000 = 1 000 = ١٬٠٠٠)"}},
		{name: "checked in plain text too", src: "Side event of the 45th session", tgt: "Événement parallèle de la session", to: "fr", plain: true,
			want: []string{"number 45 is missing from the target; any digits and grouping will do (1,000 = 1 000 = ١٬٠٠٠)"}},
	})
}

func TestURLCheck(t *testing.T) {
	runChecks(t, CheckURLs, []checkCase{
		{name: "kept, sentence punctuation aside", src: "Write to press@example.org or visit https://example.org/news.", tgt: "Écrivez à press@example.org ou consultez https://example.org/news.", to: "fr"},
		{name: "in parentheses", src: "The agenda (https://example.org/agenda) is online.", tgt: "La agenda (https://example.org/agenda) está en línea.", to: "es"},
		{name: "followed by CJK text", src: "Visit https://example.org/zh for details.", tgt: "详情请访问https://example.org/zh了解。", to: "zh-Hans"},
		{name: "changed", src: "Details: https://example.org/en/", tgt: "Подробности: https://example.org/ru/", to: "ru",
			want: []string{"URL https://example.org/en/ was changed to https://example.org/ru/ in the target; keep it exactly as in the source"}},
		{name: "address missing", src: "Write to press@example.org.", tgt: "Écrivez au service de presse.", to: "fr",
			want: []string{"e-mail address press@example.org is missing from the target"}},
		{name: "added", src: "See the website.", tgt: "Consulte el sitio https://example.org.", to: "es",
			want: []string{"the target has URL https://example.org, which is not in the source; remove it"}},
		{name: "link destinations are URLs too", src: "[Site](https://example.org/a)", tgt: "[Site](https://example.org/b)", to: "fr",
			want: []string{"URL https://example.org/a was changed to https://example.org/b in the target; keep it exactly as in the source"}},
		{name: "URLs in code spans are code", src: "Run `curl https://localhost:8088/api` now.", tgt: "Lancez `curl https://localhost:8088/api` maintenant.", to: "fr"},
	})
}

func TestEmptyAndEncoding(t *testing.T) {
	for _, tgt := range []string{"", "  \n\t"} {
		fs := Check(DefaultConfig(), "title", "Annual report 2026", tgt, "en", "fr", true)
		want := []Finding{{SegmentID: "title", Check: CheckEmpty, Severity: Error, Message: "the target is empty; translate the source text"}}
		if !reflect.DeepEqual(fs, want) {
			t.Errorf("target %q: %+v", tgt, fs)
		}
	}
	fs := Check(DefaultConfig(), "title", "Annual report", "Rapport\xff annuel", "en", "fr", true)
	if len(fs) != 1 || fs[0].Check != CheckEncoding || fs[0].Severity != Error {
		t.Errorf("invalid UTF-8: %+v", fs)
	}
	if fs := Check(DefaultConfig(), "x", " ", "", "en", "fr", true); fs != nil {
		t.Errorf("blank source: %+v", fs)
	}
}

func TestUntranslatedCheck(t *testing.T) {
	const msg = "the target is identical to the source: translate it, or approve it as is only if it needs no translation (a name, a title of a work)"
	runChecks(t, CheckUntranslated, []checkCase{
		{name: "identical", src: "The conference opens on Monday.", tgt: "The conference opens on Monday.", to: "fr", want: []string{msg}, wantWarning: true},
		{name: "identical apart from outer spaces", src: "Welcome", tgt: " Welcome ", to: "ru", want: []string{msg}, wantWarning: true},
		{name: "translated", src: "The conference opens on Monday.", tgt: "La conférence s'ouvre lundi.", to: "fr"},
		{name: "a number needs no translation", src: "2026", tgt: "2026", to: "ar"},
		{name: "a URL needs no translation", src: "https://example.org/report", tgt: "https://example.org/report", to: "zh-Hans"},
		{name: "a placeholder needs no translation", src: "{{.Total}} %d", tgt: "{{.Total}} %d", to: "es"},
		{name: "same language, other region", src: "The programme starts at nine.", tgt: "The programme starts at nine.", from: "en-US", to: "en-GB"},
	})
}

func TestWhitespaceCheck(t *testing.T) {
	runChecks(t, CheckWhitespace, []checkCase{
		{name: "same", src: " Agenda item 4 ", tgt: " Пункт 4 повестки дня ", to: "ru"},
		{name: "French spaces inside are fine", src: "Really?", tgt: "Vraiment\u202f?", to: "fr"},
		{name: "trailing space added", src: "Hello world.", tgt: "Bonjour le monde. ", to: "fr", wantWarning: true,
			want: []string{`trailing whitespace differs from the source: the source has none, the target " "`}},
		{name: "leading space lost", src: "  Indented note.", tgt: "Nota con sangría.", to: "es", wantWarning: true,
			want: []string{`leading whitespace differs from the source: the source has "  ", the target none`}},
		{name: "no-break space is not a space", src: "Total: ", tgt: "Итого:\u00a0", to: "ru", wantWarning: true,
			want: []string{`trailing whitespace differs from the source: the source has " ", the target "\u00a0"`}},
	})
}

func TestPunctuationCheck(t *testing.T) {
	runChecks(t, CheckPunctuation, []checkCase{
		{name: "French spaced question mark", src: "Really?", tgt: "Vraiment ?", to: "fr"},
		{name: "French narrow space before exclamation", src: "Welcome!", tgt: "Bienvenue\u202f!", to: "fr"},
		{name: "French colon", src: "Three points:", tgt: "Trois points :", to: "fr"},
		{name: "Spanish inverted marks", src: "Where is the room?", tgt: "¿Dónde está la sala?", to: "es"},
		{name: "Spanish exclamation", src: "Welcome to Geneva!", tgt: "¡Bienvenidos a Ginebra!", to: "es"},
		{name: "Chinese full stop", src: "The session is closed.", tgt: "会议闭幕。", to: "zh-Hans"},
		{name: "Chinese question mark", src: "Why does it matter?", tgt: "为什么这很重要？", to: "zh-Hans"},
		{name: "Chinese colon", src: "Speakers:", tgt: "发言人：", to: "zh-Hans"},
		{name: "Japanese full stop", src: "The session is closed.", tgt: "会議は閉会しました。", to: "ja"},
		{name: "Arabic question mark", src: "Why does it matter?", tgt: "لماذا يهم ذلك؟", to: "ar"},
		{name: "Arabic comma", src: "Water, energy,", tgt: "المياه، والطاقة،", to: "ar"},
		{name: "Russian with closing quotes", src: `He said "yes."`, tgt: "Он сказал «да».", to: "ru"},
		{name: "closing quote after the stop", src: `He said "yes."`, tgt: `Il a dit « oui. »`, to: "fr"},
		{name: "inside emphasis", src: "**Note.**", tgt: "**Remarque.**", to: "fr"},
		{name: "Greek question mark", src: "Why?", tgt: "Γιατί;", to: "el"},
		{name: "Thai ends without a stop", src: "The session is closed.", tgt: "การประชุมปิดแล้ว", to: "th"},
		{name: "source without final punctuation", src: "Annual report", tgt: "Rapport annuel.", to: "fr"},
		{name: "stop missing", src: "The session is closed.", tgt: "Заседание закрыто", to: "ru", wantWarning: true,
			want: []string{`the source ends with "." (a full stop) but the target has no sentence-final punctuation; end it with "."`}},
		{name: "Chinese stop missing", src: "The session is closed.", tgt: "会议闭幕", to: "zh-Hans", wantWarning: true,
			want: []string{`the source ends with "." (a full stop) but the target has no sentence-final punctuation; end it with "。"`}},
		{name: "question became statement", src: "Why does it matter?", tgt: "لماذا يهم ذلك.", to: "ar", wantWarning: true,
			want: []string{`the source ends with "?" (a question mark) but the target with "." (a full stop); end it with "؟"`}},
		{name: "exclamation became question", src: "Welcome!", tgt: "¿Bienvenidos?", to: "es", wantWarning: true,
			want: []string{`the source ends with "!" (an exclamation mark) but the target with "?" (a question mark); end it with "!"`}},
		{name: "comma missing", src: "Water, energy,", tgt: "المياه والطاقة", to: "ar", wantWarning: true,
			want: []string{`the source ends with "," (a comma) but the target has no final punctuation; end it with "،"`}},
		{name: "colon became stop", src: "Speakers:", tgt: "发言人。", to: "zh-Hans", wantWarning: true,
			want: []string{`the source ends with ":" (a colon) but the target with "。" (a full stop); end it with "："`}},
	})
}

func TestLengthCheck(t *testing.T) {
	long := "The delegates agreed on three practical steps for the coming year." // 66 characters
	runChecks(t, CheckLength, []checkCase{
		{name: "French longer", src: long, tgt: "Les délégués sont convenus de trois mesures concrètes pour l'année à venir.", to: "fr"},
		{name: "Chinese much shorter", src: long, tgt: "代表们商定了来年的三项切实步骤。", to: "zh-Hans"},
		{name: "regional Chinese uses zh", src: long, tgt: "代表們商定了來年的三項切實步驟。", to: "zh-Hant-TW"},
		{name: "Russian", src: long, tgt: "Делегаты согласовали три практических шага на предстоящий год.", to: "ru"},
		{name: "Arabic", src: long, tgt: "اتفق المندوبون على ثلاث خطوات عملية للعام المقبل.", to: "ar"},
		{name: "short sources are not measured", src: "OK", tgt: "D'accord, c'est entendu", to: "fr"},
		// A Chinese source: an English translation is naturally 3-4 times
		// as long.
		{name: "from Chinese", src: "代表们商定了来年的三项切实步骤，并将于六月再次开会审查进展情况。", tgt: "The delegates agreed on three practical steps for the coming year and will meet again in June to review progress.", from: "zh-Hans", to: "en"},
		{name: "Russian too short", src: long, tgt: "Да.", to: "ru", wantWarning: true,
			want: []string{"the target is 5% of the source's length (66 → 3 characters); expected 70%–190% for ru: check that nothing was left out"}},
		{name: "Chinese too long", src: long, tgt: "代表们商定了来年的三项切实步骤。代表们商定了来年的三项切实步骤。代表们商定了来年的三项切实步骤。代表们商定了来年的三项切实步骤。代表们商定了来年的三项切实步骤。", to: "zh-Hans", wantWarning: true,
			want: []string{"the target is 121% of the source's length (66 → 80 characters); expected 15%–120% for zh-Hans: check that nothing was added or repeated"}},
		{name: "Spanish repeated", src: long, tgt: strings.Repeat("Los delegados acordaron tres medidas prácticas para el próximo año. ", 2) + "Sí.", to: "es", wantWarning: true,
			want: []string{"the target is 211% of the source's length (66 → 139 characters); expected 70%–180% for es: check that nothing was added or repeated"}},
		{name: "other languages use the default", src: long, tgt: "Ja.", to: "de", wantWarning: true,
			want: []string{"the target is 5% of the source's length (66 → 3 characters); expected 50%–220% for de: check that nothing was left out"}},
	})
	if fs := Check(Config{}, "x", long, "Да.", "en", "ru", true); len(fs) != 0 {
		t.Errorf("no ranges configured, yet: %+v", fs)
	}
}

// Pseudo-localized drafts pass: punctuation is read inside the brackets,
// and the padding is not a length problem.
func TestPseudoLocalizedTarget(t *testing.T) {
	src := "The delegates agreed on **three** steps for 2026."
	tgt := "⟦ Ţĥé ðéļéĝáţéš áĝŕééð öñ **ţĥŕéé** šţéþš ƒöŕ 2026. ······· ⟧"
	if fs := Check(DefaultConfig(), "p", src, tgt, "en", "zh-Hans", true); len(fs) != 0 {
		t.Errorf("pseudo-localized target: %+v", fs)
	}
}

// Good translations in the UN languages raise nothing at all.
func TestCleanTranslations(t *testing.T) {
	src := "On 5 June 2026, **1,200** delegates met in [Nairobi](https://example.org/nairobi) to discuss {{.Topic}}."
	for locale, tgt := range map[string]string{
		"fr":      "Le 5 juin 2026, **1\u202f200** délégués se sont réunis à [Nairobi](https://example.org/nairobi) pour débattre de {{.Topic}}.",
		"es":      "El 5 de junio de 2026, **1.200** delegados se reunieron en [Nairobi](https://example.org/nairobi) para debatir {{.Topic}}.",
		"ru":      "5 июня 2026 года **1 200** делегатов собрались в [Найроби](https://example.org/nairobi), чтобы обсудить {{.Topic}}.",
		"ar":      "في ٥ حزيران/يونيه ٢٠٢٦، اجتمع **١٬٢٠٠** مندوب في [نيروبي](https://example.org/nairobi) لمناقشة {{.Topic}}.",
		"zh-Hans": "2026年6月5日，**1,200**名代表在[内罗毕](https://example.org/nairobi)开会，讨论{{.Topic}}。",
	} {
		if fs := Check(DefaultConfig(), "p", src, tgt, "en", locale, true); len(fs) != 0 {
			t.Errorf("%s: %+v", locale, fs)
		}
	}
}

func TestFindingOrderAndSummary(t *testing.T) {
	fs := Check(DefaultConfig(), "p-1", "Send {{.Count}} forms to press@example.org by 30 June.", "Envoyez les formulaires avant le 31 juin ", "en", "fr", true)
	var got []string
	for _, f := range fs {
		got = append(got, string(f.Severity)+" "+f.Check)
	}
	want := []string{"error placeholders", "error numbers", "error urls", "warning whitespace", "warning punctuation"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings %q; want %q\n%+v", got, want, fs)
	}
	if e, w := Summarize(fs); e != 3 || w != 2 {
		t.Errorf("Summarize = %d errors, %d warnings; want 3, 2", e, w)
	}
	if e, w := Summarize(nil); e != 0 || w != 0 {
		t.Errorf("Summarize(nil) = %d, %d", e, w)
	}
}

func TestFindNumbers(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
	}{
		{"1,000; 1 000; 1.000; 1\u202f000; 1'000; ١٬٠٠٠; ۱۰۰۰", "1000 1000 1000 1000 1000 1000 1000"},
		{"3.5; 3,5; ٣٫٥; 0.125; 0,125", "3.5 3.5 3.5 0.125 0.125"},
		{"1,234.56; 1.234,56; 1 234,56; 1,00,000", "1234.56 1234.56 1234.56 100000"},
		{"12.5.2026; 1, 2, 3; 1,2,3", "12 5 2026 1 2 3 1 2 3"},
		{"in 2026 3 meetings; 1,000 250; 10 000 000", "2026 3 1000 250 10000000"},
		{"２０２６; 007; 𝟚𝟘𝟚𝟞", "2026 7 2026"},
		{"COVID-19, G20, 2024-2026", "19 20 2024 2026"},
	} {
		var got []string
		for _, n := range findNumbers(tc.in) {
			got = append(got, n.value)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("findNumbers(%q) = %q; want %q", tc.in, strings.Join(got, " "), tc.want)
		}
	}
}
