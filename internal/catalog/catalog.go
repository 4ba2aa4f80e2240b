// Package catalog writes and reads go-i18n message files for reports: one
// message per segment, keyed by the segment's stable ID, carrying go-i18n's
// "hash" of the source text so stale translations are detectable by the
// usual go-i18n tooling (goi18n merge) as well as by Stale.
//
// Text is data, never a template. go-i18n v2.7.0 runs a message through
// text/template whenever it contains the left delimiter (default "{{"); see
// i18n/template.TextParser.Parse. A message's own leftDelim/rightDelim keys
// take precedence over the parser's, and when the chosen left delimiter does
// not occur in the text the parser takes its identity fast path and returns
// the text unchanged. So every message whose text contains "{{" is written
// with a delimiter pair that occurs nowhere in that text: any consumer that
// loads the file with default settings gets the literal text back, while the
// "other" value in the file stays exactly the approved text (unlike escaping
// "{{" as {{"{{"}}, which would corrupt the text for every other reader and
// for hash comparisons). Note that `goi18n merge` v2.7.0 drops
// leftDelim/rightDelim when it rewrites a file, so catalogs are always
// published from Build, never round-tripped through goi18n.
package catalog

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/pressroom/pressroom/internal/render"
	"github.com/pressroom/pressroom/internal/report"
)

// Message is one segment's text in one locale.
type Message struct {
	ID string
	// Description is the segment kind (context for translators; also an
	// input of the hash, as in goi18n merge).
	Description string
	// Hash is go-i18n's hash of the source message this text translates;
	// empty in the source locale's own catalog.
	Hash string
	Text string
}

// SourceHash is the hash goi18n merge records for a source message with this
// description and text: "sha1-" + hex(sha1(description + text)). See hash()
// in go-i18n v2.7.0 goi18n/merge_command.go.
func SourceHash(description, text string) string {
	h := sha1.New()
	h.Write([]byte(description))
	h.Write([]byte(text))
	return "sha1-" + hex.EncodeToString(h.Sum(nil))
}

// Build returns one message per segment of src, in segment order. texts maps
// segment ID to its text in locale; for the source locale pass the source
// texts. Hash is set only for target locales.
func Build(src report.Report, locale string, texts map[string]string) ([]Message, error) {
	tag, err := language.Parse(locale)
	if err != nil {
		return nil, fmt.Errorf("catalog: locale %q: %w", locale, err)
	}
	isSource := sameLocale(tag, locale, src.Source)
	msgs := make([]Message, 0, len(src.Segments))
	seen := make(map[string]bool, len(src.Segments))
	for _, seg := range src.Segments {
		if seen[seg.ID] {
			return nil, fmt.Errorf("catalog: duplicate segment ID %q", seg.ID)
		}
		seen[seg.ID] = true
		text, ok := texts[seg.ID]
		if !ok {
			return nil, fmt.Errorf("catalog: no %s text for segment %q", locale, seg.ID)
		}
		m := Message{ID: seg.ID, Description: string(seg.Kind), Text: messageText(src.Format, text)}
		if !isSource {
			m.Hash = SourceHash(m.Description, seg.Text)
		}
		if err := check(m); err != nil {
			return nil, fmt.Errorf("catalog: %s: %w", locale, err)
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

func sameLocale(tag language.Tag, locale, source string) bool {
	if st, err := language.Parse(source); err == nil {
		return st == tag
	}
	return strings.EqualFold(locale, source)
}

// check refuses messages go-i18n would drop or misread.
func check(m Message) error {
	switch {
	case m.ID == "":
		return fmt.Errorf("message with empty ID")
	case m.ID == "translation":
		// go-i18n treats a top-level "translation" key as a v1 message body.
		return fmt.Errorf("segment %q: ID is reserved by go-i18n", m.ID)
	case !utf8.ValidString(m.ID):
		return fmt.Errorf("segment %q: ID is not valid UTF-8", m.ID)
	case m.Text == "":
		// go-i18n drops messages without text.
		return fmt.Errorf("segment %q: empty text", m.ID)
	case !utf8.ValidString(m.Text):
		// JSON would silently turn bad bytes into U+FFFD; TOML refuses them.
		return fmt.Errorf("segment %q: text is not valid UTF-8", m.ID)
	case !utf8.ValidString(m.Description) || !utf8.ValidString(m.Hash):
		return fmt.Errorf("segment %q: description or hash is not valid UTF-8", m.ID)
	}
	return nil
}

// delims returns the per-message template delimiters for text: none when
// text cannot trigger template execution, else the first of "[[pr:"/":pr]]",
// "[[pr1:"/":pr1]]", ... of which neither occurs in text.
func delims(text string) (left, right string) {
	if !strings.Contains(text, "{{") {
		return "", ""
	}
	for i := 0; ; i++ {
		n := ""
		if i > 0 {
			n = strconv.Itoa(i)
		}
		left, right = "[["+"pr"+n+":", ":pr"+n+"]]"
		if !strings.Contains(text, left) && !strings.Contains(text, right) {
			return left, right
		}
	}
}

// fileValue is the go-i18n file shape: ID → message table. Go maps are
// encoded with sorted keys by both encoders, which is also what goi18n writes.
func fileValue(msgs []Message) (map[string]map[string]string, error) {
	v := make(map[string]map[string]string, len(msgs))
	for _, m := range msgs {
		if err := check(m); err != nil {
			return nil, fmt.Errorf("catalog: %w", err)
		}
		if _, dup := v[m.ID]; dup {
			return nil, fmt.Errorf("catalog: duplicate message ID %q", m.ID)
		}
		// Always a table, never the bare-string shorthand: a table keeps
		// description/hash, and an ID such as "other" or "hash" cannot be
		// mistaken for a message key.
		t := map[string]string{"other": m.Text}
		if m.Description != "" {
			t["description"] = m.Description
		}
		if m.Hash != "" {
			t["hash"] = m.Hash
		}
		if l, r := delims(m.Text); l != "" {
			t["leftDelim"], t["rightDelim"] = l, r
		}
		v[m.ID] = t
	}
	return v, nil
}

// TOML encodes msgs as a go-i18n TOML message file, as goi18n would
// (sorted keys, no indentation). IDs that are not bare TOML keys (for
// example containing '.') are quoted, so they are not split into tables.
func TOML(msgs []Message) ([]byte, error) {
	v, err := fileValue(msgs)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := toml.NewEncoder(&buf)
	enc.Indent = ""
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("catalog: toml: %w", err)
	}
	return buf.Bytes(), nil
}

// JSON encodes msgs as a go-i18n JSON message file, as goi18n would
// (sorted keys, two-space indent, no HTML escaping).
func JSON(msgs []Message) ([]byte, error) {
	v, err := fileValue(msgs)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("catalog: json: %w", err)
	}
	return buf.Bytes(), nil
}

// Parse reads a message file the way a go-i18n consumer would. path names
// the locale and format as go-i18n expects ("active.fr.toml"). Messages are
// sorted by ID, since go-i18n returns them in map order.
func Parse(path string, data []byte) (*i18n.MessageFile, error) {
	mf, err := i18n.ParseMessageFileBytes(data, path, map[string]i18n.UnmarshalFunc{
		"toml": toml.Unmarshal,
		"json": json.Unmarshal,
	})
	if err != nil {
		return nil, fmt.Errorf("catalog: parse %s: %w", path, err)
	}
	sort.Slice(mf.Messages, func(i, j int) bool { return mf.Messages[i].ID < mf.Messages[j].ID })
	return mf, nil
}

// Messages converts a parsed file back to Messages (Text is the "other"
// form; delimiters are an encoding detail and dropped).
func Messages(mf *i18n.MessageFile) []Message {
	out := make([]Message, 0, len(mf.Messages))
	for _, m := range mf.Messages {
		out = append(out, Message{ID: m.ID, Description: m.Description, Hash: m.Hash, Text: m.Other})
	}
	return out
}

// messageText is a segment's text as a message: Markdown with its raw
// HTML made safe (render.SafeInlineMarkdown), since consumers render
// messages as they like; literal text as it is.
func messageText(format report.Format, text string) string {
	if format == report.FormatMarkdown {
		return render.SafeInlineMarkdown(text)
	}
	return text
}

// Stale returns the IDs of msgs that no longer match src: the segment is
// gone, or the message's Hash differs from the current source hash. A
// message without a Hash (the source locale's catalog) is stale when its
// text differs from the current source text. IDs come in msgs order.
func Stale(src report.Report, msgs []Message) []string {
	segs := make(map[string]report.Segment, len(src.Segments))
	for _, s := range src.Segments {
		segs[s.ID] = s
	}
	var stale []string
	seen := map[string]bool{}
	for _, m := range msgs {
		if seen[m.ID] {
			continue
		}
		seen[m.ID] = true
		seg, ok := segs[m.ID]
		switch {
		case !ok:
		case m.Hash != "":
			if m.Hash == SourceHash(string(seg.Kind), seg.Text) {
				continue
			}
		default:
			if m.Text == messageText(src.Format, seg.Text) {
				continue
			}
		}
		stale = append(stale, m.ID)
	}
	return stale
}

// Missing returns, in segment order, the IDs of src segments that have no
// message in msgs (new segments awaiting translation).
func Missing(src report.Report, msgs []Message) []string {
	have := make(map[string]bool, len(msgs))
	for _, m := range msgs {
		have[m.ID] = true
	}
	var missing []string
	for _, s := range src.Segments {
		if !have[s.ID] {
			missing = append(missing, s.ID)
		}
	}
	return missing
}
