package tm

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Pseudo-English sentences for tests and benchmarks: words drawn from the
// vocabulary of reports and press releases, so trigram statistics look
// like real text (common trigrams such as " th" occur in almost every
// sentence, rare ones in few).
var corpusWords = strings.Fields(`
the the the of of of and and and to to in in a a for on with by at from
is was will be has have are were said says after before during about
new annual regional national international public general special
committee council assembly delegation secretariat office mission agency
programme project report meeting session conference workshop briefing
statement resolution declaration agreement budget review study survey
minister director president chair secretary spokesperson coordinator
government country region city village community population family
water energy climate health education food trade transport housing
women children youth refugees workers farmers teachers journalists
development security peace rights law justice cooperation partnership
funding support assistance response recovery reform progress
adopted approved announced launched presented discussed welcomed
opened closed held published signed extended reviewed confirmed
Geneva Vienna Nairobi Bangkok Santiago Beirut Addis Ababa New York
January February March April May June July August September October
Monday Tuesday Wednesday Thursday Friday morning afternoon evening week
year month day first second third last next two three four five ten
percent million billion per cent more than less over under between
high low major key urgent final initial joint further full
`)

type corpus struct {
	rng                *rand.Rand
	minWords, maxWords int
	words              []string
}

func newCorpus(seed uint64) *corpus {
	return &corpus{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), minWords: 6, maxWords: 20, words: corpusWords}
}

func (c *corpus) word() string { return c.words[c.rng.IntN(len(c.words))] }

// sentence returns minWords to maxWords words, capitalized, sometimes
// with a number or a comma, ending with a period.
func (c *corpus) sentence() string {
	n := c.minWords + c.rng.IntN(c.maxWords-c.minWords+1)
	words := make([]string, n)
	for i := range words {
		words[i] = c.word()
		switch r := c.rng.IntN(40); {
		case r == 0:
			words[i] = fmt.Sprint(1 + c.rng.IntN(2030))
		case r == 1 && i < n-1:
			words[i] += ","
		}
	}
	words[0] = strings.ToUpper(words[0][:1]) + words[0][1:]
	return strings.Join(words, " ") + "."
}

// nearDuplicate changes one word of s.
func (c *corpus) nearDuplicate(s string) string {
	words := strings.Fields(strings.TrimSuffix(s, "."))
	i := c.rng.IntN(len(words))
	for old := words[i]; words[i] == old; {
		words[i] = c.word()
	}
	return strings.Join(words, " ") + "."
}

func (c *corpus) entries(n int) []Entry {
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	es := make([]Entry, n)
	for i := range es {
		s := c.sentence()
		es[i] = Entry{
			SourceLocale: "en", TargetLocale: "fr", Source: s, Target: "FR " + s,
			Slug: fmt.Sprintf("report-%d", i/50), SegmentID: fmt.Sprintf("p-%010x", i),
			Approver: "claire", Time: base.Add(time.Duration(c.rng.IntN(500)) * time.Hour),
		}
	}
	return es
}

// queries returns n query texts against es: 10% copies of stored sources
// (exact matches), 30% near-duplicates (fuzzy matches), the rest new
// sentences (mostly no match).
func (c *corpus) queries(es []Entry, n int) []string {
	qs := make([]string, n)
	for i := range qs {
		switch r := c.rng.IntN(10); {
		case r == 0:
			qs[i] = es[c.rng.IntN(len(es))].Source
		case r <= 3:
			qs[i] = c.nearDuplicate(es[c.rng.IntN(len(es))].Source)
		default:
			qs[i] = c.sentence()
		}
	}
	return qs
}
