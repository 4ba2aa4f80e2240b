// Package report is Pressroom's model of a report: intake (Markdown with
// front matter, or plain text), validation, segmentation and hashes.
package report

// Kind says what part of a report a segment is.
type Kind string

const (
	KindTitle     Kind = "title"
	KindSummary   Kind = "summary"
	KindHeading   Kind = "heading"
	KindParagraph Kind = "paragraph"
	KindListItem  Kind = "list_item"
)

// Format says how segment text is written.
type Format string

const (
	// FormatMarkdown: segment text is inline Markdown (emphasis, links, code spans).
	FormatMarkdown Format = "markdown"
	// FormatText: segment text is literal; nothing in it is markup.
	FormatText Format = "text"
)

// Segment is one translatable unit. Its ID is stable: it does not change
// when other segments are inserted, removed or edited.
type Segment struct {
	ID   string `json:"id"`
	Kind Kind   `json:"kind"`
	// Level is the heading level (1-6) for headings.
	Level int `json:"level,omitempty"`
	// List groups list items: consecutive items of one list share a number (1, 2, ...).
	List int `json:"list,omitempty"`
	// Ordered is true for items of a numbered list.
	Ordered bool   `json:"ordered,omitempty"`
	Text    string `json:"text"`
}

// Report is a parsed, validated report in its source language.
type Report struct {
	Slug     string    `json:"slug"`
	Date     string    `json:"date,omitempty"` // YYYY-MM-DD
	Source   string    `json:"source"`         // BCP 47 tag, canonical form
	Targets  []string  `json:"targets,omitempty"`
	Format   Format    `json:"format"`
	Segments []Segment `json:"segments"`
}

// Translation is a draft of a report in one target locale: one text per
// source segment, each with where it came from.
type Translation struct {
	Slug         string              `json:"slug"`
	Source       string              `json:"source"`
	Locale       string              `json:"locale"`
	SourceSHA256 string              `json:"source_sha256"`
	Segments     []TranslatedSegment `json:"segments"`
}

// TranslatedSegment is the target text of one source segment.
type TranslatedSegment struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	// Provenance says where the text came from: "mt:pseudo", "mt:apertium",
	// "tm-exact", "tm-fuzzy 87%", "human:claire".
	Provenance string `json:"provenance"`
	// Suggestions are offered to the reviewer beside the text: fuzzy
	// translation-memory matches with their score.
	Suggestions []Suggestion `json:"suggestions,omitempty"`
}

// Suggestion is an alternative translation offered to the reviewer.
type Suggestion struct {
	Text       string `json:"text"`
	Provenance string `json:"provenance"` // e.g. "tm-fuzzy 87%"
	Score      int    `json:"score,omitempty"`
	// Source is the source text the suggestion translated, so the reviewer
	// sees what differs.
	Source string `json:"source,omitempty"`
}
