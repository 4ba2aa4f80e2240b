// Package tm is Pressroom's translation memory: approved segment
// translations, looked up by source text for new reports. Exact matches
// (the same source text) are reused as they are; fuzzy matches are offered
// with a similarity score. The memory is stored as immutable JSON Lines
// shards (EncodeShard, DecodeShard) and exchanged with other tools as
// TMX 1.4 (ReadTMX, WriteTMX). The package does no I/O of its own.
//
// # Similarity score
//
// Score compares the two source texts after normalization (NFC, runs of
// white space collapsed to one space, trimmed):
//
//	score = floor(100 × (1 − d / max(len(a), len(b))))
//
// where d is the Levenshtein distance (insertions, deletions and
// substitutions of one character each) and lengths count Unicode code
// points. Characters rather than words, because it works the same for
// languages written without spaces (Chinese, Japanese) and because it is
// the scale translators know from CAT tools: one word changed in a
// twelve-word sentence scores about 90, a changed number about 97, a
// different sentence on the same subject well under 60. Case and
// punctuation count. Only identical normalized texts score 100; they are
// exact matches.
package tm

import (
	"cmp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/pressroom/pressroom/internal/report"
)

// Entry is one approved translation of one segment.
type Entry struct {
	SourceLocale string // BCP 47
	TargetLocale string // BCP 47
	// Source and Target are the segment texts (inline Markdown or plain text).
	Source string
	Target string
	// Slug and SegmentID say which report and segment the translation was
	// approved in; Approver who approved it and Time when.
	Slug      string
	SegmentID string
	Approver  string
	Time      time.Time
}

// Match is the result of a lookup.
type Match struct {
	Entry Entry
	// Score is the similarity of the source texts, 0-100 (see the package
	// documentation); 100 exactly when Exact.
	Score int
	// Exact is true when the entry's source text is the looked-up text,
	// after normalization (NFC, runs of white space as one space, trimmed).
	Exact bool
}

// Memory is an in-memory translation memory with an index for fuzzy
// lookups. Lookups may run concurrently with each other and with Add.
//
// A memory holds one entry per language pair and normalized source text:
// adding an entry for a source text already present keeps the newer of
// the two (by Time; at equal times the one added last), so loading shards
// in any order gives the same memory.
type Memory struct {
	mu    sync.RWMutex
	pairs map[pairKey]*pairIndex
	seq   uint64
	// noIndex keeps entries without the fuzzy index (benchmarks measure the
	// linear baseline's own footprint with it).
	noIndex bool
	// sortAll orders every candidate before verifying, as lookups did
	// before byBound (the benchmarks' baseline).
	sortAll bool
	pool    sync.Pool // *scratch, reused by concurrent lookups
}

type pairKey struct{ source, target string }

// New returns an empty memory.
func New() *Memory {
	return &Memory{pairs: map[pairKey]*pairIndex{}}
}

// Add adds entries. Entries with an empty source or target text are
// ignored: they cannot be matched or reused. Locales are stored in
// canonical form; a tag that does not parse is kept as written (trimmed),
// so it still only matches itself. ReadTMX and DecodeShard refuse such
// tags before they get here.
func (m *Memory) Add(es ...Entry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	canon := map[string]string{} // a batch has few distinct tags
	canonical := func(tag string) string {
		c, ok := canon[tag]
		if !ok {
			c = canonicalOrAsIs(tag)
			canon[tag] = c
		}
		return c
	}
	for _, e := range es {
		key := normalize(e.Source)
		if key == "" || strings.TrimSpace(e.Target) == "" {
			continue
		}
		e.SourceLocale = canonical(e.SourceLocale)
		e.TargetLocale = canonical(e.TargetLocale)
		pk := pairKey{e.SourceLocale, e.TargetLocale}
		p := m.pairs[pk]
		if p == nil {
			p = newPairIndex(!m.noIndex)
			m.pairs[pk] = p
		}
		m.seq++
		p.add(e, key, m.seq)
	}
	for _, p := range m.pairs {
		p.settle()
	}
}

// Len returns the number of entries, over all language pairs.
func (m *Memory) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	n := 0
	for _, p := range m.pairs {
		n += len(p.slots)
	}
	return n
}

// MaxFuzzyLength is the longest text, in code points after normalizing,
// that is matched fuzzily. Edit distance is quadratic in the length: a
// pasted page of 80,000 characters took seconds per candidate. Longer
// segments get exact matches only.
const MaxFuzzyLength = 2000

func fuzzyLength(key string) bool { return utf8.RuneCountInString(key) <= MaxFuzzyLength }

// Lookup finds the best translation memory match for text from
// sourceLocale to targetLocale: the exact match if there is one, otherwise
// the fuzzy match with the highest score of at least minScore (at equal
// scores the newest entry). Locales are compared in canonical form
// ("EN-us" is "en-US"; "fr" and "fr-FR" are different pairs).
func (m *Memory) Lookup(sourceLocale, targetLocale, text string, minScore int) (Match, bool) {
	key := normalize(text)
	if key == "" {
		return Match{}, false
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	p := m.pair(sourceLocale, targetLocale)
	if p == nil {
		return Match{}, false
	}
	if i, ok := p.exact[key]; ok {
		return Match{Entry: p.slots[i].entry, Score: 100, Exact: true}, true
	}
	if minScore >= 100 || !fuzzyLength(key) {
		return Match{}, false // only an exact match scores 100; very long texts get only exact matches
	}
	s := m.getScratch()
	defer m.pool.Put(s)
	s.sortAll = m.sortAll
	best, score := p.fuzzy(key, max(minScore, 0), s)
	if best < 0 {
		return Match{}, false
	}
	return Match{Entry: p.slots[best].entry, Score: score}, true
}

// Entries returns the entries of one language pair, ordered by source
// text, for export.
func (m *Memory) Entries(sourceLocale, targetLocale string) []Entry {
	m.mu.RLock()
	defer m.mu.RUnlock()
	p := m.pair(sourceLocale, targetLocale)
	if p == nil {
		return nil
	}
	idx := make([]int, len(p.slots))
	for i := range idx {
		idx[i] = i
	}
	// Normalized source texts are unique within a pair, so the order is total.
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(p.slots[a].key, p.slots[b].key) })
	out := make([]Entry, len(idx))
	for i, j := range idx {
		out[i] = p.slots[j].entry
	}
	return out
}

// pair returns a language pair's index, or nil. Callers hold m.mu. Tags
// usually arrive canonical; a key found as given is then used without
// parsing the tags again (a canonical tag is its own canonical form, and
// an unparseable one is stored as given).
func (m *Memory) pair(sourceLocale, targetLocale string) *pairIndex {
	if p := m.pairs[pairKey{sourceLocale, targetLocale}]; p != nil {
		return p
	}
	return m.pairs[pairKey{canonicalOrAsIs(sourceLocale), canonicalOrAsIs(targetLocale)}]
}

func (m *Memory) getScratch() *scratch {
	if s, ok := m.pool.Get().(*scratch); ok {
		return s
	}
	return &scratch{}
}

// newer reports whether a should replace b: the later Time, or at equal
// times the later addition.
func newer(a, b *slot) bool {
	if c := a.entry.Time.Compare(b.entry.Time); c != 0 {
		return c > 0
	}
	return a.seq > b.seq
}

// normalize returns the form of a source text that matching compares:
// valid UTF-8, NFC (so a precomposed "é" and "e" + combining accent are the
// same text), white space runs collapsed to one space, trimmed. It returns
// s itself when nothing changes, so stored keys usually share the entry's
// memory.
func normalize(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = norm.NFC.String(s)
	clean := true
	prevSpace := true // a leading space is not clean
	for _, r := range s {
		sp := unicode.IsSpace(r)
		if sp && (prevSpace || r != ' ') {
			clean = false
			break
		}
		prevSpace = sp
	}
	if clean && !prevSpace {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// canonicalOrAsIs returns the canonical form of a BCP 47 tag, or the tag
// trimmed if it does not parse.
func canonicalOrAsIs(tag string) string {
	if c, err := report.CanonicalLocale(tag); err == nil {
		return c
	}
	return strings.TrimSpace(tag)
}
