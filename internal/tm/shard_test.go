package tm

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

func shardEntries() []Entry {
	paris := time.FixedZone("CEST", 2*3600)
	return []Entry{
		{SourceLocale: "en", TargetLocale: "ar", Source: "Read the [full report](https://example.org/r?a=1&b=2).",
			Target: "اقرأ [التقرير الكامل](https://example.org/r?a=1&b=2).", Slug: "water-forum", SegmentID: "p-11aa22bb33",
			Approver: "amal", Time: time.Date(2026, 6, 2, 10, 0, 0, 123456789, time.UTC)},
		{SourceLocale: "EN", TargetLocale: "zh-hans", Source: "Line one\nline two <b>bold</b>", Target: "第一行\n第二行 <b>粗体</b>",
			Time: time.Date(2026, 6, 2, 12, 30, 0, 0, paris)},
		{SourceLocale: "en", TargetLocale: "ar", Source: "Welcome, {{.Name}}!", Target: "مرحبًا، {{.Name}}!", Approver: "amal",
			Time: time.Date(2026, 5, 30, 8, 0, 0, 0, time.UTC)},
	}
}

func TestShardRoundTrip(t *testing.T) {
	es := shardEntries()
	b, err := EncodeShard(es)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeShard("en-ar.jsonl", b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(es) {
		t.Fatalf("decoded %d entries; want %d", len(got), len(es))
	}
	// Sorted by pair and source text; locales canonical; times UTC.
	want := []Entry{es[0], es[2], es[1]}
	want[2].SourceLocale, want[2].TargetLocale = "en", "zh-Hans"
	for i := range want {
		if !want[i].Time.Equal(got[i].Time) || got[i].Time.Location() != time.UTC {
			t.Errorf("entry %d: time %v; want %v in UTC", i, got[i].Time, want[i].Time)
		}
		want[i].Time = got[i].Time
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("entry %d:\ngot  %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// The bytes depend on the entries only: a retried publish writes the same
// object.
func TestShardDeterministic(t *testing.T) {
	es := shardEntries()
	first, err := EncodeShard(es)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 10 {
		rng.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
		again, _ := EncodeShard(es)
		if string(again) != string(first) {
			t.Fatalf("order changed the shard:\n%s\nvs\n%s", first, again)
		}
	}
	// The format itself, pinned: one JSON object per line, HTML unescaped.
	line, _ := EncodeShard(es[:0:0])
	if len(line) != 0 {
		t.Errorf("empty shard = %q", line)
	}
	one, _ := EncodeShard([]Entry{{SourceLocale: "en", TargetLocale: "fr", Source: "<b>A & B</b>", Target: "<b>A et B</b>",
		Slug: "s", SegmentID: "title", Approver: "claire", Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}})
	want := `{"source_locale":"en","target_locale":"fr","source":"<b>A & B</b>","target":"<b>A et B</b>","slug":"s","segment_id":"title","approver":"claire","time":"2026-01-02T03:04:05Z"}` + "\n"
	if string(one) != want {
		t.Errorf("shard line:\n got %s\nwant %s", one, want)
	}
}

func TestDecodeShardTolerates(t *testing.T) {
	in := "\r\n" + `{"source_locale":"en","target_locale":"es","source":"Hello.","target":"Hola.","time":"2026-02-03T04:05:06+01:00","added_later":true}` + "\r\n\n"
	got, err := DecodeShard("x.jsonl", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Target != "Hola." || !got[0].Time.Equal(time.Date(2026, 2, 3, 3, 5, 6, 0, time.UTC)) {
		t.Errorf("got %+v", got)
	}
}

func TestEncodeShardErrors(t *testing.T) {
	ok := Entry{SourceLocale: "en", TargetLocale: "fr", Source: "Yes.", Target: "Oui.", Time: t1}
	tests := []struct {
		edit func(*Entry)
		want string
	}{
		{func(e *Entry) { e.SourceLocale = "english" }, `tm shard: entry 2: source locale "english" is not a valid BCP 47 tag`},
		{func(e *Entry) { e.TargetLocale = "" }, `tm shard: entry 2: target locale "" is empty`},
		{func(e *Entry) { e.Source = " \t" }, "tm shard: entry 2: source text is empty"},
		{func(e *Entry) { e.Target = "" }, "tm shard: entry 2: target text is empty"},
		{func(e *Entry) { e.Target = "Oui\xff." }, "tm shard: entry 2: target is not valid UTF-8"},
		{func(e *Entry) { e.Approver = "\xc3" }, "tm shard: entry 2: approver is not valid UTF-8"},
	}
	for _, tc := range tests {
		bad := ok
		tc.edit(&bad)
		_, err := EncodeShard([]Entry{ok, bad})
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("got %v; want an error starting %q", err, tc.want)
		}
	}
}

func TestDecodeShardErrors(t *testing.T) {
	good := `{"source_locale":"en","target_locale":"fr","source":"Yes.","target":"Oui.","time":"2026-01-01T00:00:00Z"}`
	tests := []struct {
		line string
		want string
	}{
		{`{"source_locale":"en",`, "shard.jsonl:3: invalid JSON: unexpected end of JSON input"},
		{`["en","fr"]`, "shard.jsonl:3: each line must be a JSON object, not a JSON array"},
		{`{"source_locale":"en","target_locale":"fr","source":7,"target":"x","time":"2026-01-01T00:00:00Z"}`, "shard.jsonl:3: source must be a JSON string, not a JSON number"},
		{`{"target_locale":"fr","source":"Yes.","target":"Oui.","time":"2026-01-01T00:00:00Z"}`, "shard.jsonl:3: source_locale is missing or empty"},
		{`{"source_locale":"en","source":"Yes.","target":"Oui.","time":"2026-01-01T00:00:00Z"}`, "shard.jsonl:3: target_locale is missing or empty"},
		{`{"source_locale":"en","target_locale":"fr","target":"Oui.","time":"2026-01-01T00:00:00Z"}`, "shard.jsonl:3: source is missing or empty"},
		{`{"source_locale":"en","target_locale":"fr","source":"Yes.","time":"2026-01-01T00:00:00Z"}`, "shard.jsonl:3: target is missing or empty"},
		{`{"source_locale":"en","target_locale":"fr","source":"Yes.","target":"Oui."}`, "shard.jsonl:3: time is missing or empty"},
		{`{"source_locale":"en","target_locale":"fr","source":"Yes.","target":"Oui.","time":"yesterday"}`, `shard.jsonl:3: time "yesterday" is not an RFC 3339 time such as 2026-06-01T09:30:00Z`},
		{`{"source_locale":"en","target_locale":"f@","source":"Yes.","target":"Oui.","time":"2026-01-01T00:00:00Z"}`, `shard.jsonl:3: target locale "f@" is not a valid BCP 47 tag`},
		{`{"source_locale":"en","target_locale":"fr","source":"   ","target":"Oui.","time":"2026-01-01T00:00:00Z"}`, "shard.jsonl:3: source text is empty"},
		{"{\"source_locale\":\"en\",\"target_locale\":\"fr\",\"source\":\"Yes\xff\"}", "shard.jsonl:3: not valid UTF-8"},
	}
	for _, tc := range tests {
		_, err := DecodeShard("shard.jsonl", []byte(good+"\n\n"+tc.line+"\n"+good+"\n"))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("line %s:\n got %v\nwant an error starting %q", tc.line, err, tc.want)
		}
	}
}
