package tm

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	t1 = time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC)
	t2 = time.Date(2026, 4, 20, 16, 40, 5, 0, time.UTC)
	t3 = time.Date(2026, 5, 11, 8, 0, 30, 0, time.UTC)
)

func enFR(source, target string, at time.Time) Entry {
	return Entry{SourceLocale: "en", TargetLocale: "fr", Source: source, Target: target,
		Slug: "harbour-report", SegmentID: "p-0a1b2c3d4e", Approver: "claire", Time: at}
}

func TestExactMatch(t *testing.T) {
	m := New()
	m.Add(enFR("The harbour reopens on *Monday*.", "Le port rouvre *lundi*.", t1))
	for _, q := range []string{
		"The harbour reopens on *Monday*.",
		"  The harbour\treopens on\n*Monday*. ", // white space differs only
	} {
		got, ok := m.Lookup("en", "fr", q, 75)
		if !ok || !got.Exact || got.Score != 100 || got.Entry.Target != "Le port rouvre *lundi*." {
			t.Errorf("Lookup(%q) = %+v, %v; want the exact match", q, got, ok)
		}
	}
	// Case and punctuation are part of the text: not exact.
	if got, ok := m.Lookup("en", "fr", "The harbour reopens on *monday*.", 75); !ok || got.Exact || got.Score != 96 {
		t.Errorf("different case: got %+v, %v; want a fuzzy match scoring 96", got, ok)
	}
	// Canonically equivalent Unicode (NFD é) is the same text.
	m.Add(Entry{SourceLocale: "fr", TargetLocale: "en", Source: "Caf\u00e9 fermé.", Target: "Café closed.", Time: t1})
	if got, ok := m.Lookup("fr", "en", "Cafe\u0301 fermé.", 75); !ok || !got.Exact {
		t.Errorf("NFD query: got %+v, %v; want exact", got, ok)
	}
	if _, ok := m.Lookup("en", "fr", "   ", 0); ok {
		t.Error("a blank query matched")
	}
}

func TestFuzzyScores(t *testing.T) {
	m := New()
	m.Add(enFR("Submit the form before Friday.", "Envoyez le formulaire avant vendredi.", t1))
	tests := []struct {
		query    string
		minScore int
		score    int // 0: no match expected
	}{
		// Friday → Monday: 3 substitutions in 30 code points: 100×27/30.
		{"Submit the form before Monday.", 75, 90},
		// One character more (a comma): 1 insertion in 31: floor(100×30/31).
		{"Submit the form, before Friday.", 75, 96},
		// 7 edits, 31 code points: floor(100×24/31) = 77, offered at 75, not at 80.
		{"Submit the forms before July 4.", 75, 77},
		{"Submit the forms before July 4.", 80, 0},
		{"Send the form before Friday.", 75, 83}, // 5 edits in 30
		{"Send the form before Friday.", 84, 0},
		// Different sentence on the same subject: far below 75.
		{"The form is due on Friday.", 75, 0},
		{"The form is due on Friday.", 40, 46}, // 16 edits in 30
	}
	for _, tc := range tests {
		got, ok := m.Lookup("en", "fr", tc.query, tc.minScore)
		if tc.score == 0 {
			if ok {
				t.Errorf("Lookup(%q, min %d) = score %d; want no match", tc.query, tc.minScore, got.Score)
			}
			continue
		}
		if !ok || got.Exact || got.Score != tc.score || got.Entry.Target != "Envoyez le formulaire avant vendredi." {
			t.Errorf("Lookup(%q, min %d) = %+v, %v; want fuzzy score %d", tc.query, tc.minScore, got, ok, tc.score)
		}
		// The naive scan agrees.
		if lin, lok := linearLookup(m, "en", "fr", tc.query, tc.minScore); lok != ok || lin != got {
			t.Errorf("linearLookup(%q) = %+v, %v; Lookup = %+v", tc.query, lin, lok, got)
		}
	}
}

func TestFuzzyCJK(t *testing.T) {
	m := New()
	m.Add(Entry{SourceLocale: "zh-Hans", TargetLocale: "en", Source: "会议将于六月在日内瓦举行。", Target: "The meeting will be held in Geneva in June.", Time: t1})
	// One character of 13 changed (六 → 七): 100×12/13 = 92.
	got, ok := m.Lookup("zh-Hans", "en", "会议将于七月在日内瓦举行。", 75)
	if !ok || got.Score != 92 {
		t.Errorf("got %+v, %v; want score 92", got, ok)
	}
}

func TestLocalePairs(t *testing.T) {
	m := New()
	m.Add(enFR("Doors open at nine.", "Ouverture des portes à neuf heures.", t1))
	m.Add(Entry{SourceLocale: "EN", TargetLocale: "es", Source: "Doors open at nine.", Target: "Las puertas abren a las nueve.", Time: t1})
	m.Add(Entry{SourceLocale: "en", TargetLocale: "ZH-hans", Source: "Doors open at nine.", Target: "九点开门。", Time: t1})
	m.Add(Entry{SourceLocale: "en-gb", TargetLocale: "fr", Source: "Doors open at nine.", Target: "Portes ouvertes à 9 h.", Time: t2})

	for _, tc := range []struct{ src, tgt, want string }{
		{"en", "fr", "Ouverture des portes à neuf heures."},
		{"en", "es", "Las puertas abren a las nueve."},
		{"EN", "ES", "Las puertas abren a las nueve."},
		{"en", "zh-Hans", "九点开门。"},
		{"en-GB", "fr", "Portes ouvertes à 9 h."}, // a pair of its own, not en→fr
		{"fr", "en", ""}, // direction matters
		{"en", "ru", ""},
		{"en", "fr-FR", ""}, // a regional tag is another pair
	} {
		got, ok := m.Lookup(tc.src, tc.tgt, "Doors open at nine.", 75)
		if tc.want == "" {
			if ok {
				t.Errorf("%s→%s: got %q; want no match", tc.src, tc.tgt, got.Entry.Target)
			}
			continue
		}
		if !ok || got.Entry.Target != tc.want {
			t.Errorf("%s→%s: got %+v, %v; want %q", tc.src, tc.tgt, got, ok, tc.want)
		}
	}
	if es := m.Entries("en", "zh-hans"); len(es) != 1 || es[0].TargetLocale != "zh-Hans" || es[0].SourceLocale != "en" {
		t.Errorf("Entries(en, zh-hans) = %+v; want one entry with canonical locales", es)
	}
	if m.Len() != 4 {
		t.Errorf("Len = %d; want 4", m.Len())
	}
}

func TestNewestWins(t *testing.T) {
	m := New()
	m.Add(enFR("Registration is free.", "L'inscription est gratuite.", t2))
	m.Add(enFR("Registration is free.", "Inscription gratuite.", t3))
	m.Add(enFR("Registration  is free.", "Ancienne traduction.", t1)) // older, added last: ignored
	got, _ := m.Lookup("en", "fr", "Registration is free.", 75)
	if got.Entry.Target != "Inscription gratuite." {
		t.Errorf("got %q; want the newest translation", got.Entry.Target)
	}
	if m.Len() != 1 {
		t.Errorf("Len = %d; want 1 (one entry per source text)", m.Len())
	}
	// At the same time, the later addition wins.
	m.Add(enFR("Registration is free.", "L'inscription ne coûte rien.", t3))
	if got, _ := m.Lookup("en", "fr", "Registration is free.", 75); got.Entry.Target != "L'inscription ne coûte rien." {
		t.Errorf("equal times: got %q; want the last added", got.Entry.Target)
	}
	// The replaced entry is still found fuzzily, with its new text.
	if got, _ := m.Lookup("en", "fr", "Registration is free!", 75); got.Entry.Target != "L'inscription ne coûte rien." || got.Score != 95 {
		t.Errorf("fuzzy after replace: got %+v", got)
	}

	// Fuzzy ties go to the newest entry: both differ from the query by one
	// character.
	m.Add(enFR("The lab opens at 8.", "Le labo ouvre à 8 h.", t1))
	m.Add(enFR("The lab opens at 6.", "Le labo ouvre à 6 h.", t2))
	m.Add(enFR("The lab opens at 9.", "Le labo ouvre à 9 h.", t1))
	got, ok := m.Lookup("en", "fr", "The lab opens at 7.", 75)
	if !ok || got.Entry.Target != "Le labo ouvre à 6 h." || got.Score != 94 {
		t.Errorf("tie: got %+v, %v; want the newest (6 h), score 94", got, ok)
	}
}

func TestIgnoredEntries(t *testing.T) {
	m := New()
	m.Add(enFR("  ", "Vide.", t1), enFR("Empty target.", " ", t1))
	if m.Len() != 0 {
		t.Errorf("Len = %d; want entries with a blank text ignored", m.Len())
	}
}

func TestEntriesOrder(t *testing.T) {
	m := New()
	m.Add(enFR("b second", "b", t1), enFR("c third", "c", t1), enFR("a first", "a", t1))
	var got []string
	for _, e := range m.Entries("en", "fr") {
		got = append(got, e.Source)
	}
	if fmt.Sprint(got) != "[a first b second c third]" {
		t.Errorf("Entries order = %v", got)
	}
	if m.Entries("en", "de") != nil {
		t.Error("Entries of an unknown pair is not nil")
	}
}

// Lookups run concurrently with each other and with Add (run with -race).
func TestConcurrentLookups(t *testing.T) {
	m := New()
	for i := range 200 {
		m.Add(enFR(fmt.Sprintf("Item %d of the agenda was adopted.", i), fmt.Sprintf("Le point %d de l'ordre du jour a été adopté.", i), t1))
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				q := fmt.Sprintf("Item %d of the agenda was adopted!", (i*7+g)%200)
				if got, ok := m.Lookup("en", "fr", q, 75); !ok || got.Score < 90 {
					t.Errorf("Lookup(%q) = %+v, %v", q, got, ok)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for i := 200; i < 300; i++ {
			m.Add(enFR(fmt.Sprintf("Item %d of the agenda was adopted.", i), "x", t2))
		}
	})
	wg.Wait()
	if m.Len() != 300 {
		t.Errorf("Len = %d; want 300", m.Len())
	}
}

// Texts longer than MaxFuzzyLength get exact matches only: a near-copy of
// a long entry is not matched fuzzily, however similar, and the linear
// baseline agrees.
func TestLongTextsExactOnly(t *testing.T) {
	m := New()
	long := strings.Repeat("The committee met again. ", MaxFuzzyLength/20)
	m.Add(enFR(long, "Le comité s'est réuni de nouveau.", t1))
	if got, ok := m.Lookup("en", "fr", long, 75); !ok || !got.Exact {
		t.Fatalf("exact long text: %+v, %v", got, ok)
	}
	near := long + "Again."
	if got, ok := m.Lookup("en", "fr", near, 75); ok {
		t.Errorf("a %d-character text was matched fuzzily: %+v", len(near), got)
	}
	if got, ok := linearLookup(m, "en", "fr", near, 75); ok {
		t.Errorf("linear baseline matched a long text fuzzily: %+v", got)
	}
	short := strings.Repeat("x", MaxFuzzyLength-1)
	m.Add(enFR(short, "y", t1))
	if _, ok := m.Lookup("en", "fr", short+"z", 75); !ok {
		t.Error("a text at the limit is still matched fuzzily")
	}
}
