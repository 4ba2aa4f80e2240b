package tm

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

func tmxDoc(srclang, body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="` + srclang + `" datatype="plaintext" segtype="sentence" adminlang="en" creationtool="t" creationtoolversion="1" o-tmf="t"/>
<body>` + body + `</body></tmx>`
}

// 3,000 variants in one *all* tu used to give 9 million entries (4.7 GB);
// the variant cap refuses the tu with its line and number.
func TestReadTMXRefusesTooManyVariants(t *testing.T) {
	var b strings.Builder
	b.WriteString("<tu>")
	for i := range 3000 {
		fmt.Fprintf(&b, `<tuv xml:lang="en-x-v%d"><seg>s</seg></tuv>`, i)
	}
	b.WriteString("</tu>")
	entries, err := ReadTMX("all.tmx", strings.NewReader(tmxDoc("*all*", b.String())))
	if entries != nil || err == nil || !strings.Contains(err.Error(), "all.tmx:3: tu #1 has more than 32 <tuv> language variants; the limit is 32 per <tu>") {
		t.Fatalf("got %d entries, %v", len(entries), err)
	}
	// 32 variants are fine: 32×31 entries.
	b.Reset()
	b.WriteString("<tu>")
	for i := range MaxTMXVariants {
		fmt.Fprintf(&b, `<tuv xml:lang="en-x-v%d"><seg>s%d</seg></tuv>`, i, i)
	}
	b.WriteString("</tu>")
	entries, err = ReadTMX("ok.tmx", strings.NewReader(tmxDoc("*all*", b.String())))
	if err != nil || len(entries) != MaxTMXVariants*(MaxTMXVariants-1) {
		t.Fatalf("got %d entries, %v", len(entries), err)
	}
}

func TestReadTMXRefusesTooManyEntries(t *testing.T) {
	tu := `<tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="fr"><seg>b</seg></tuv><tuv xml:lang="es"><seg>c</seg></tuv></tu>`
	// *all*: 6 entries per tu. The limit is lowered to reach it cheaply;
	// the message is the one ReadTMX gives at MaxTMXEntries.
	lim := tmxLimits{size: MaxTMXSize, entries: 600}
	n := lim.entries/6 + 1
	entries, err := readTMX("many.tmx", strings.NewReader(tmxDoc("*all*", strings.Repeat(tu, n))), lim)
	if entries != nil || err == nil || !strings.Contains(err.Error(), fmt.Sprintf("tu #%d: the file holds more than 600 entries", n)) {
		t.Fatalf("got %d entries, %v", len(entries), err)
	}
	if entries, err := readTMX("ok.tmx", strings.NewReader(tmxDoc("*all*", strings.Repeat(tu, n-1))), lim); err != nil || len(entries) != 600 {
		t.Fatalf("at the limit: %d entries, %v", len(entries), err)
	}
	if defaultTMXLimits.entries != MaxTMXEntries || defaultTMXLimits.size != MaxTMXSize {
		t.Fatalf("ReadTMX applies %+v", defaultTMXLimits)
	}
}

// A file over MaxTMXSize is refused, not read as a truncated file.
func TestReadTMXRefusesLargeFile(t *testing.T) {
	tu := `<tu><tuv xml:lang="en"><seg>` + strings.Repeat("a", 4000) + `</seg></tuv></tu>`
	head := tmxDoc("en", "")
	head = head[:strings.Index(head, "</body>")]
	lim := tmxLimits{size: 1 << 20, entries: MaxTMXEntries}
	r := io.MultiReader(strings.NewReader(head), &repeatReader{s: tu, n: int(lim.size)/len(tu) + 1}, strings.NewReader("</body></tmx>"))
	entries, err := readTMX("big.tmx", r, lim)
	if entries != nil || err == nil || !strings.Contains(err.Error(), "larger than 128 MiB, the limit for one TMX import") {
		t.Fatalf("got %d entries, %v", len(entries), err)
	}
	// Exactly at the limit is read.
	l := &sizeLimit{r: strings.NewReader("abc"), n: 3}
	if b, err := io.ReadAll(l); err != nil || string(b) != "abc" {
		t.Fatalf("%q %v", b, err)
	}
}

// repeatReader yields s n times without holding them in memory.
type repeatReader struct {
	s   string
	n   int
	off int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := copy(p, r.s[r.off:])
	if r.off += k; r.off == len(r.s) {
		r.off, r.n = 0, r.n-1
	}
	return k, nil
}
