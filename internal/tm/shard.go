package tm

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pressroom/pressroom/internal/report"
)

// A shard is how the memory is stored durably: one immutable object per
// published release and language pair, JSON Lines, one entry per line:
//
//	{"source_locale":"en","target_locale":"fr","source":"…","target":"…","slug":"…","segment_id":"…","approver":"…","time":"2026-06-01T09:30:00Z"}
//
// Shards are only ever added, never rewritten; a memory is the union of
// its shards (Memory.Add keeps the newest entry per source text). One line
// per entry keeps shards streamable and easy to inspect with standard
// tools.
type shardLine struct {
	SourceLocale string    `json:"source_locale"`
	TargetLocale string    `json:"target_locale"`
	Source       string    `json:"source"`
	Target       string    `json:"target"`
	Slug         string    `json:"slug,omitempty"`
	SegmentID    string    `json:"segment_id,omitempty"`
	Approver     string    `json:"approver,omitempty"`
	Time         time.Time `json:"time"`
}

// EncodeShard writes entries as JSON Lines. The output depends only on the
// set of entries, not their order (they are sorted; locales canonical;
// times UTC), so writing the same release again gives the same bytes,
// which immutable, conditional writes rely on. It refuses entries that
// could not be read back as written: invalid locales, empty texts,
// invalid UTF-8 (JSON would silently replace it).
func EncodeShard(es []Entry) ([]byte, error) {
	lines := make([]shardLine, len(es))
	for i, e := range es {
		l, err := shardLineOf(e)
		if err != nil {
			return nil, fmt.Errorf("tm shard: entry %d: %w", i+1, err)
		}
		lines[i] = l
	}
	slices.SortFunc(lines, func(a, b shardLine) int {
		return cmp.Or(
			cmp.Compare(a.SourceLocale, b.SourceLocale), cmp.Compare(a.TargetLocale, b.TargetLocale),
			cmp.Compare(a.Source, b.Source), cmp.Compare(a.Target, b.Target),
			a.Time.Compare(b.Time), cmp.Compare(a.Slug, b.Slug),
			cmp.Compare(a.SegmentID, b.SegmentID), cmp.Compare(a.Approver, b.Approver))
	})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // Markdown and HTML in segments stay readable
	for _, l := range lines {
		if err := enc.Encode(l); err != nil { // Encode ends each line with \n
			return nil, fmt.Errorf("tm shard: %w", err)
		}
	}
	return buf.Bytes(), nil
}

func shardLineOf(e Entry) (shardLine, error) {
	src, err := report.CanonicalLocale(e.SourceLocale)
	if err != nil {
		return shardLine{}, fmt.Errorf("source %w", err)
	}
	tgt, err := report.CanonicalLocale(e.TargetLocale)
	if err != nil {
		return shardLine{}, fmt.Errorf("target %w", err)
	}
	for _, f := range []struct{ name, v string }{
		{"source", e.Source}, {"target", e.Target}, {"slug", e.Slug},
		{"segment_id", e.SegmentID}, {"approver", e.Approver},
	} {
		if !utf8.ValidString(f.v) {
			return shardLine{}, fmt.Errorf("%s is not valid UTF-8", f.name)
		}
	}
	if strings.TrimSpace(e.Source) == "" {
		return shardLine{}, errors.New("source text is empty")
	}
	if strings.TrimSpace(e.Target) == "" {
		return shardLine{}, errors.New("target text is empty")
	}
	return shardLine{
		SourceLocale: src, TargetLocale: tgt, Source: e.Source, Target: e.Target,
		Slug: e.Slug, SegmentID: e.SegmentID, Approver: e.Approver, Time: e.Time.UTC(),
	}, nil
}

// DecodeShard reads a shard written by EncodeShard. name is used in
// errors, which give the line ("releases/x/v2/tm/en-fr.jsonl:3: ...").
// Blank lines are skipped; unknown fields are ignored so a newer writer's
// additions do not make old shards unreadable.
func DecodeShard(name string, b []byte) ([]Entry, error) {
	var out []Entry
	for n := 1; len(b) > 0; n++ {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		line = bytes.TrimSpace(line) // also a \r of CRLF files
		if len(line) == 0 {
			continue
		}
		if !utf8.Valid(line) {
			return nil, fmt.Errorf("%s:%d: not valid UTF-8", name, n)
		}
		var l shardLineIn
		if err := json.Unmarshal(line, &l); err != nil {
			return nil, fmt.Errorf("%s:%d: %s", name, n, jsonProblem(err))
		}
		for _, req := range []struct {
			field   string
			missing bool
		}{
			{"source_locale", l.SourceLocale == ""}, {"target_locale", l.TargetLocale == ""},
			{"source", l.Source == ""}, {"target", l.Target == ""}, {"time", l.Time == nil},
		} {
			if req.missing {
				return nil, fmt.Errorf("%s:%d: %s is missing or empty", name, n, req.field)
			}
		}
		at, err := time.Parse(time.RFC3339Nano, *l.Time)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: time %q is not an RFC 3339 time such as 2026-06-01T09:30:00Z", name, n, *l.Time)
		}
		checked, err := shardLineOf(Entry{
			SourceLocale: l.SourceLocale, TargetLocale: l.TargetLocale, Source: l.Source, Target: l.Target,
			Slug: l.Slug, SegmentID: l.SegmentID, Approver: l.Approver, Time: at,
		})
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		out = append(out, Entry(checked))
	}
	return out, nil
}

// shardLineIn is a shard line as read: the time is parsed separately, for
// a clear message, and must be present.
type shardLineIn struct {
	SourceLocale string  `json:"source_locale"`
	TargetLocale string  `json:"target_locale"`
	Source       string  `json:"source"`
	Target       string  `json:"target"`
	Slug         string  `json:"slug"`
	SegmentID    string  `json:"segment_id"`
	Approver     string  `json:"approver"`
	Time         *string `json:"time"`
}

// jsonProblem describes a JSON decoding error in the shard's terms.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return fmt.Sprintf("each line must be a JSON object, not a JSON %s", te.Value)
		}
		return fmt.Sprintf("%s must be a JSON %s, not a JSON %s", te.Field, te.Type.Kind(), te.Value)
	}
	return "invalid JSON: " + err.Error()
}
