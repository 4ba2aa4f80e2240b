package tm

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/unicode"
)

func tmxEntries() []Entry {
	return []Entry{
		{SourceLocale: "en", TargetLocale: "fr", Source: "Read the *summary* & the [annex](https://example.org/a?x=1&y=2).",
			Target: "Lisez le *résumé* et l'[annexe](https://example.org/a?x=1&y=2).", Slug: "budget-2026",
			SegmentID: "p-0123456789", Approver: "claire", Time: time.Date(2026, 6, 1, 9, 30, 0, 0, time.UTC)},
		{SourceLocale: "en", TargetLocale: "fr", Source: `Use <kbd>Ctrl</kbd> + "S" to save 'drafts'.`,
			Target: "Utilisez <kbd>Ctrl</kbd> + « S » pour enregistrer les brouillons.", Slug: "budget-2026",
			SegmentID: "p-abcdef0123", Approver: "O'Brien & Co <ops>", Time: time.Date(2026, 6, 2, 10, 0, 5, 0, time.UTC)},
		// White space at the ends, a tab, line breaks, CR, an emoji: kept
		// exactly (TMX segments are not trimmed).
		{SourceLocale: "en", TargetLocale: "fr", Source: "  Line one\r\nline\ttwo 🎉 ", Target: " Ligne un\r\nligne\tdeux 🎉  ",
			Time: time.Date(2026, 6, 3, 0, 0, 0, 0, time.UTC)},
		// No approver, time, slug or segment.
		{SourceLocale: "en", TargetLocale: "fr", Source: "Thank you.", Target: "Merci."},
	}
}

func TestTMXRoundTrip(t *testing.T) {
	es := tmxEntries()
	var buf bytes.Buffer
	if err := WriteTMX(&buf, "EN", "fr", es, "0.4.0"); err != nil {
		t.Fatal(err)
	}
	doc := buf.String()
	for _, want := range []string{
		`<?xml version="1.0" encoding="UTF-8"?>`,
		`<tmx version="1.4">`,
		`<header creationtool="Pressroom" creationtoolversion="0.4.0" segtype="sentence" o-tmf="Pressroom" adminlang="en" srclang="en" datatype="plaintext"/>`,
		`<tu creationdate="20260601T093000Z" creationid="claire">`,
		`<prop type="x-pressroom-slug">budget-2026</prop>`,
		`<prop type="x-pressroom-segment">p-0123456789</prop>`,
		`<tuv xml:lang="fr"><seg>Lisez le *résumé* et l&#39;[annexe](https://example.org/a?x=1&amp;y=2).</seg></tuv>`,
		`creationid="O&#39;Brien &amp; Co &lt;ops&gt;"`,
		`<seg>  Line one&#xD;&#xA;line&#x9;two 🎉 </seg>`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("TMX lacks %s\n%s", want, doc)
		}
	}
	got, err := ReadTMX("export.tmx", &buf)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{es[2], es[0], es[3], es[1]} // ordered by source text
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\ngot  %+v\nwant %+v", got, want)
	}

	// Deterministic: the order of the input does not matter.
	var again bytes.Buffer
	rand.New(rand.NewPCG(5, 6)).Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
	if err := WriteTMX(&again, "en", "fr", es, "0.4.0"); err != nil {
		t.Fatal(err)
	}
	if again.String() != doc {
		t.Error("a different input order gave a different TMX document")
	}
}

// What Pressroom exports, a memory loads: the TMX round trip through a
// Memory, with a second-precision time kept.
func TestTMXIntoMemory(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTMX(&buf, "en", "fr", tmxEntries(), ""); err != nil {
		t.Fatal(err)
	}
	es, err := ReadTMX("x.tmx", &buf)
	if err != nil {
		t.Fatal(err)
	}
	m := New()
	m.Add(es...)
	got, ok := m.Lookup("en", "fr", "Thank you!", 75)
	if !ok || got.Entry.Target != "Merci." || got.Score != 90 {
		t.Errorf("got %+v, %v", got, ok)
	}
	if !reflect.DeepEqual(m.Entries("en", "fr"), es) {
		t.Errorf("Entries differ from what was read")
	}
}

// A TMX 1.4 file shaped like a CAT tool's export (Trados Studio style):
// header properties, tool-specific attributes and properties, notes,
// inline codes in segments, region subtags in capitals, three languages.
const catToolTMX = `<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="SDL Language Platform" creationtoolversion="8.1" o-tmf="SDL TM8 Format" datatype="xml"
          segtype="sentence" adminlang="en-US" srclang="EN-US" creationdate="20260301T120000Z" creationid="STUDIO\pm">
    <prop type="x-Recognizers">RecognizeAll</prop>
    <prop type="x-TMName">UN-conference</prop>
  </header>
  <body>
    <tu creationdate="20260302T081500Z" creationid="STUDIO\marc" changedate="20260303T170000Z" changeid="STUDIO\claire" usagecount="4">
      <prop type="x-Context">0, 0</prop>
      <prop type="x-pressroom-slug">geneva-talks</prop>
      <prop type="x-pressroom-segment">p-5e5e5e5e5e</prop>
      <note>Checked against the terminology database.</note>
      <tuv xml:lang="EN-US">
        <prop type="x-Origin">TM</prop>
        <seg>Press <bpt i="1" x="1" type="bold">**</bpt>Enter<ept i="1">**</ept> to confirm <ph x="2" type="x-placeholder">{{.Count}}</ph> items.</seg>
      </tuv>
      <tuv xml:lang="fr-FR" changedate="20260304T090000Z" changeid="claire">
        <seg>Appuyez sur <bpt i="1" x="1" type="bold">**</bpt>Entrée<ept i="1">**</ept> pour confirmer <ph x="2" type="x-placeholder">{{.Count}}</ph> éléments.</seg>
      </tuv>
      <tuv xml:lang="es-ES">
        <note>Tuteo, not usted.</note>
        <seg>Pulsa <bpt i="1" x="1">**</bpt>Intro<ept i="1">**</ept> para confirmar <ph x="2">{{.Count}}</ph> elementos.</seg>
      </tuv>
    </tu>
    <tu tuid="17">
      <tuv xml:lang="en-us"><seg>See <it pos="begin" x="3">&lt;i&gt;</it>Annex<ph x="4"/> <hi type="term">B</hi>.</seg></tuv>
      <tuv xml:lang="fr-fr"><seg>Voir l'<it pos="begin" x="3">&lt;i&gt;</it>annexe<ph x="4"/> <hi type="term">B</hi>.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en-US"><seg>Untranslated yet.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en-US"><seg>Blank translation.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>  </seg></tuv>
    </tu>
  </body>
</tmx>
`

func TestReadTMXFromCATTool(t *testing.T) {
	got, err := ReadTMX("un-conference.tmx", strings.NewReader(catToolTMX))
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{SourceLocale: "en-US", TargetLocale: "fr-FR",
			Source: "Press **Enter** to confirm {{.Count}} items.",
			Target: "Appuyez sur **Entrée** pour confirmer {{.Count}} éléments.",
			Slug:   "geneva-talks", SegmentID: "p-5e5e5e5e5e", Approver: "claire", // the tuv's changeid
			Time: time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)},
		{SourceLocale: "en-US", TargetLocale: "es-ES",
			Source: "Press **Enter** to confirm {{.Count}} items.",
			Target: "Pulsa **Intro** para confirmar {{.Count}} elementos.",
			Slug:   "geneva-talks", SegmentID: "p-5e5e5e5e5e", Approver: `STUDIO\claire`, // the tu's changeid
			Time: time.Date(2026, 3, 3, 17, 0, 0, 0, time.UTC)},
		// <it> keeps its native code; the empty <ph/> contributes nothing;
		// <hi> keeps its text.
		{SourceLocale: "en-US", TargetLocale: "fr-FR", Source: "See <i>Annex B.", Target: "Voir l'<i>annexe B."},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%+v\nwant\n%+v", got, want)
	}
}

// OmegaT still writes TMX 1.1 with lang instead of xml:lang, and a
// translator may keep a memory that works in every direction (*all*).
func TestReadTMXAllLanguagesAndLegacyLang(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.1">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext" creationtoolversion="6.0.1" segtype="sentence" srclang="*all*"/>
  <body>
<!-- Default translations -->
    <tu>
      <tuv lang="en" creationid="nadia" creationdate="20260105T101010Z"><seg>Peace</seg></tuv>
      <tuv lang="ar" creationid="amal"><seg>السلام</seg></tuv>
      <tuv lang="zh-Hans"><seg>和平</seg></tuv>
    </tu>
  </body>
</tmx>`
	got, err := ReadTMX("omegat.tmx", strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	var pairs []string
	for _, e := range got {
		pairs = append(pairs, e.SourceLocale+">"+e.TargetLocale+":"+e.Target+":"+e.Approver)
	}
	want := "[en>ar:السلام:amal en>zh-Hans:和平: ar>en:Peace:nadia ar>zh-Hans:和平: zh-Hans>en:Peace:nadia zh-Hans>ar:السلام:amal]"
	if got := "[" + strings.Join(pairs, " ") + "]"; got != want {
		t.Errorf("pairs = %s\nwant    %s", got, want)
	}
}

// Trados and Windows tools often write UTF-16 with a byte order mark;
// older files declare a legacy encoding.
func TestReadTMXEncodings(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-16"?>
<tmx version="1.4"><header srclang="en" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/>
<body><tu><tuv xml:lang="en"><seg>Café</seg></tuv><tuv xml:lang="ru"><seg>Кафе</seg></tuv></tu></body></tmx>`
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(doc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadTMX("utf16.tmx", strings.NewReader(utf16))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Source != "Café" || got[0].Target != "Кафе" {
		t.Errorf("UTF-16: got %+v", got)
	}

	latin1 := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<tmx version=\"1.4\"><header srclang=\"fr\"/><body><tu>" +
		"<tuv xml:lang=\"fr\"><seg>Caf\xe9 cr\xe8me</seg></tuv><tuv xml:lang=\"en\"><seg>Coffee with cream</seg></tuv></tu></body></tmx>"
	got, err = ReadTMX("latin1.tmx", strings.NewReader(latin1))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Source != "Café crème" {
		t.Errorf("ISO-8859-1: got %+v", got)
	}

	bom8 := "\xef\xbb\xbf<tmx version=\"1.4\"><header srclang=\"en\"/><body><tu><tuv xml:lang=\"en\"><seg>Hi</seg></tuv><tuv xml:lang=\"es\"><seg>Hola</seg></tuv></tu></body></tmx>"
	if got, err = ReadTMX("bom.tmx", strings.NewReader(bom8)); err != nil || len(got) != 1 {
		t.Errorf("UTF-8 with BOM: %+v, %v", got, err)
	}
}

func TestReadTMXErrors(t *testing.T) {
	const head = "<tmx version=\"1.4\">\n<header srclang=\"en\"/>\n<body>\n"
	tests := []struct {
		name, doc, want string
	}{
		{"empty", "", "memory.tmx: no <tmx> element: the file is empty or not TMX"},
		{"not XML", "hello", "memory.tmx:1: text before the <tmx> element"},
		{"other root", `<?xml version="1.0"?>` + "\n<xliff version=\"1.2\"/>", `memory.tmx:2: the root element is <xliff>; a TMX file has <tmx version="1.4">`},
		{"mismatched tags", head + "<tu><tuv xml:lang=\"en\"><seg>Hi</tuv></tu>", "memory.tmx:4: malformed XML: element <seg> closed by </tuv>"},
		{"truncated", head + "<tu>\n<tuv xml:lang=\"en\">", "memory.tmx:5: malformed XML: unexpected EOF"},
		{"undefined entity", head + "<tu><tuv xml:lang=\"en\"><seg>a&nbsp;b</seg></tuv></tu></body></tmx>", "memory.tmx:4: malformed XML: invalid character entity &nbsp;"},
		{"no header", "<tmx version=\"1.4\"></tmx>", "memory.tmx:1: no <header> element; TMX needs <header srclang=...>"},
		{"body first", "<tmx version=\"1.4\"><body/><header srclang=\"en\"/></tmx>", "memory.tmx:1: <body> comes before <header>; TMX needs <header srclang=...> first"},
		{"no srclang", "<tmx version=\"1.4\">\n<header creationtool=\"x\"/>\n</tmx>", "memory.tmx:2: <header> has no srclang attribute; TMX 1.4 requires one (a language tag such as en-US, or *all*)"},
		{"bad srclang", "<tmx version=\"1.4\">\n<header srclang=\"english\"/>\n</tmx>", `memory.tmx:2: <header> srclang: locale "english" is not a valid BCP 47 tag: language: tag is not well-formed`},
		{"no source tuv", head + "<tu><tuv xml:lang=\"en\"><seg>Hi</seg></tuv><tuv xml:lang=\"fr\"><seg>Salut</seg></tuv></tu>\n<tu>\n<tuv xml:lang=\"fr\"><seg>Oui</seg></tuv>\n<tuv xml:lang=\"es\"><seg>Sí</seg></tuv>\n</tu>",
			"memory.tmx:5: tu #2 has no <tuv> in the source language en; it has fr, es"},
		{"no tuv at all", head + "<tu tuid=\"a-7\"></tu>", `memory.tmx:4: tu #1 (tuid "a-7") has no <tuv> in the source language en; it has none`},
		{"tu srclang", head + "<tu srclang=\"de\"><tuv xml:lang=\"en\"><seg>Hi</seg></tuv></tu>", "memory.tmx:4: tu #1 has no <tuv> in the source language de; it has en"},
		{"tuv without lang", head + "<tu>\n<tuv><seg>Hi</seg></tuv></tu>", "memory.tmx:5: tu #1: <tuv> has no xml:lang attribute"},
		{"bad tuv lang", head + "<tu>\n<tuv xml:lang=\"fr_FR!\"><seg>Hi</seg></tuv></tu>", `memory.tmx:5: tu #1: <tuv> xml:lang: locale "fr_FR!" is not a valid BCP 47 tag`},
		{"tuv without seg", head + "<tu>\n<tuv xml:lang=\"en\">\n<note>n</note>\n</tuv></tu>", `memory.tmx:5: tu #1: <tuv xml:lang="en"> has no <seg>`},
		{"two segs", head + "<tu><tuv xml:lang=\"en\"><seg>a</seg>\n<seg>b</seg></tuv></tu>", `memory.tmx:5: tu #1: <tuv xml:lang="en"> has more than one <seg>`},
		{"bad date", head + "<tu>\n<tuv xml:lang=\"en\" changedate=\"2026-13-45\"><seg>a</seg></tuv></tu>", `memory.tmx:5: tu #1: changedate "2026-13-45" is not a TMX date (YYYYMMDDThhmmssZ, UTC)`},
		{"unknown encoding", "<?xml version=\"1.0\" encoding=\"klingon\"?><tmx/>", `memory.tmx:1: xml: opening charset "klingon": unsupported encoding "klingon"`},
	}
	for _, tc := range tests {
		_, err := ReadTMX("memory.tmx", strings.NewReader(tc.doc))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s:\n got %v\nwant %s", tc.name, err, tc.want)
		}
	}
}

func TestWriteTMXErrors(t *testing.T) {
	ok := Entry{SourceLocale: "en", TargetLocale: "fr", Source: "Yes.", Target: "Oui."}
	tests := []struct {
		src, tgt string
		edit     func(*Entry)
		want     string
	}{
		{"en", "fr", func(e *Entry) { e.TargetLocale = "es" }, "tmx: entry 2 is en→es, not en→fr"},
		{"en", "fr", func(e *Entry) { e.Target = " " }, "tmx: entry 2 has an empty source or target text"},
		{"en", "fr", func(e *Entry) { e.Source = "Bell\x07" }, "tmx: entry 2: source contains U+0007, which XML 1.0 cannot carry"},
		{"en", "fr", func(e *Entry) { e.Slug = "\ufffe" }, "tmx: entry 2: slug contains U+FFFE, which XML 1.0 cannot carry"},
		{"en", "fr", func(e *Entry) { e.Target = "Oui\xff" }, "tmx: entry 2: target is not valid UTF-8"},
		{"en", "xx-!", func(*Entry) {}, `tmx: target locale "xx-!" is not a valid BCP 47 tag`},
		{"", "fr", func(*Entry) {}, `tmx: source locale "" is empty`},
	}
	for _, tc := range tests {
		bad := ok
		tc.edit(&bad)
		var buf bytes.Buffer
		err := WriteTMX(&buf, tc.src, tc.tgt, []Entry{ok, bad}, "1")
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("got %v; want %s", err, tc.want)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes before failing", tc.want, buf.Len())
		}
	}
}
