package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// wantErr describes one expected problem; zero fields are not compared,
// except File, which must match when set to "-" (meaning empty).
type wantErr struct {
	File   string
	Line   int
	Field  string
	Locale string
	Msg    string // substring
}

func (w wantErr) match(e *Error) bool {
	switch {
	case w.File == "-" && e.File != "",
		w.File != "" && w.File != "-" && w.File != e.File,
		w.Line != 0 && w.Line != e.Line,
		w.Field != "" && w.Field != e.Field,
		w.Locale != "" && w.Locale != e.Locale,
		!strings.Contains(e.Error(), w.Msg):
		return false
	}
	return true
}

func TestParseRefusals(t *testing.T) {
	fm := func(fields string) string { return "---\n" + fields + "---\nBody.\n" }
	long := strings.Repeat("a", 101)
	tests := []struct {
		name string
		file string // default "r.md"
		in   string
		opts Options
		want []wantErr
	}{
		{name: "invalid UTF-8", in: "---\ntitle: T\n---\nfine\nbad \xff byte\n",
			want: []wantErr{{File: "r.md", Line: 5, Msg: "not valid UTF-8"}}},
		{name: "invalid UTF-8 in plain text", file: "r.txt", in: "T\n\nok\n\xc3(\n",
			want: []wantErr{{File: "r.txt", Line: 4, Msg: "not valid UTF-8"}}},
		{name: "too large", in: "# T\n\n" + strings.Repeat("x", MaxSize),
			want: []wantErr{{Msg: fmt.Sprintf("file is %d bytes; the limit is %d bytes", MaxSize+5, MaxSize)}}},
		{name: "no title", in: "Just text.\n",
			want: []wantErr{{Field: "title", Msg: "no title"}}},
		{name: "no title in empty text file", file: "r.txt", in: "\n\nsize: A A A\nBack to list",
			want: []wantErr{{Field: "title", Msg: "no title"}, {Msg: "no content"}}},
		{name: "empty heading title", in: "#\n\nBody.\n",
			want: []wantErr{{Line: 1, Field: "title", Msg: "title is empty"}}},
		{name: "multi-line title", in: fm("title: |\n  two\n  lines\n"),
			want: []wantErr{{Line: 2, Field: "title", Msg: "single line"}}},
		{name: "multi-line summary", in: fm("title: T\nsummary: |\n  a\n  b\n"),
			want: []wantErr{{Line: 3, Field: "summary", Msg: "single line"}}},
		{name: "empty body", in: "---\ntitle: T\nsummary: S\n---\n\n---\n",
			want: []wantErr{{Msg: "no content besides the title"}}},
		{name: "empty body after heading title", in: "# T\n",
			want: []wantErr{{Msg: "no content besides the title"}}},
		{name: "invalid source", in: fm("title: T\nsource: xx-!!\n"),
			want: []wantErr{{Line: 3, Field: "source", Locale: "xx-!!", Msg: `field "source": locale "xx-!!" is not a valid BCP 47 tag`}}},
		{name: "invalid locale alias", in: fm("title: T\nlocale: en_US_!!\n"),
			want: []wantErr{{Line: 3, Field: "locale", Locale: "en_US_!!", Msg: "not a valid BCP 47 tag"}}},
		{name: "undetermined source", in: fm("title: T\nsource: und\n"),
			want: []wantErr{{Line: 3, Field: "source", Locale: "und", Msg: "names no language"}}},
		{name: "invalid target in list", in: fm("title: T\ntargets:\n  - fr\n  - xx-!!\n"),
			want: []wantErr{{Line: 5, Field: "targets", Locale: "xx-!!", Msg: `r.md:5: field "targets": locale "xx-!!" is not a valid BCP 47 tag`}}},
		{name: "target equals source after canonicalization", in: fm("title: T\nsource: EN-us\ntargets: [fr, en-US]\n"),
			want: []wantErr{{Line: 4, Field: "targets", Locale: "en-US", Msg: "is the source locale"}}},
		{name: "target equals default source", in: fm("title: T\ntargets: en\n"),
			want: []wantErr{{Line: 3, Field: "targets", Locale: "en", Msg: "is the source locale"}}},
		{name: "target listed twice", in: fm("title: T\ntargets:\n  - fr\n  - FR\n"),
			want: []wantErr{{Line: 5, Field: "targets", Locale: "FR", Msg: "listed twice in targets (first on line 4)"}}},
		{name: "invalid target from options", in: fm("title: T\n"), opts: Options{Targets: []string{"fr", "xx-!!", "fr"}},
			want: []wantErr{{File: "-", Field: "targets", Locale: "xx-!!", Msg: "not a valid BCP 47 tag"}, {File: "-", Locale: "fr", Msg: "listed twice"}}},
		{name: "invalid source from options", in: fm("title: T\n"), opts: Options{Source: "!!"},
			want: []wantErr{{File: "-", Field: "source", Locale: "!!"}}},
		{name: "slug with path", in: fm("title: T\nslug: ../x\n"),
			want: []wantErr{{Line: 3, Field: "slug", Msg: `"../x" is not a URL-safe slug: use only lowercase letters a-z, digits 0-9 and single hyphens`}}},
		{name: "slug with space", in: fm("title: T\nslug: has space\n"),
			want: []wantErr{{Line: 3, Field: "slug", Msg: "lowercase letters a-z"}}},
		{name: "slug with capital", in: fm("title: T\nslug: Upper\n"),
			want: []wantErr{{Line: 3, Field: "slug", Msg: "not a URL-safe slug"}}},
		{name: "slug too long", in: fm("title: T\nslug: " + long + "\n"),
			want: []wantErr{{Line: 3, Field: "slug", Msg: "101 characters long; at most 100"}}},
		{name: "slug option", in: fm("title: T\n"), opts: Options{Slug: "a/b"},
			want: []wantErr{{File: "-", Field: "slug", Msg: "not a URL-safe slug"}}},
		{name: "title gives no slug", in: fm("title: 全球人权治理\n"),
			want: []wantErr{{Line: 2, Field: "slug", Msg: "cannot derive a slug"}}},
		{name: "date not a real date", in: fm("title: T\ndate: 2023-02-29\n"),
			want: []wantErr{{Line: 3, Field: "date", Msg: "not a real date"}}},
		{name: "date wrong form", in: fm("title: T\ndate: 23-1-2\n"),
			want: []wantErr{{Line: 3, Field: "date", Msg: "YYYY-MM-DD"}}},
		{name: "date with time", in: fm("title: T\ndate: 2024-01-23T10:00:00Z\n"),
			want: []wantErr{{Line: 3, Field: "date", Msg: "YYYY-MM-DD"}}},
		{name: "date option", in: fm("title: T\n"), opts: Options{Date: "2024-13-01"},
			want: []wantErr{{File: "-", Field: "date", Msg: "not a real date"}}},
		{name: "unknown field", in: fm("title: T\ntarge: fr\n"),
			want: []wantErr{{Line: 3, Field: "targe", Msg: "unknown field; known fields are title"}}},
		{name: "field given twice", in: fm("title: T\nsource: en\nlocale: fr\n"),
			want: []wantErr{{Line: 4, Field: "locale", Msg: "given twice (first on line 3)"}}},
		{name: "list where text belongs", in: fm("title: [a, b]\n"),
			want: []wantErr{{Line: 2, Field: "title", Msg: "single value"}}},
		{name: "invalid YAML", in: fm("title: T\nslug: [oops\n"),
			want: []wantErr{{Msg: "front matter is not valid YAML"}}},
		{name: "front matter not a mapping", in: fm("- a\n- b\n"),
			want: []wantErr{{Line: 2, Msg: "field: value"}}},
		{name: "front matter not closed", in: "---\ntitle: T\n\nBody.\n",
			want: []wantErr{{Line: 1, Msg: "not closed"}}},
		{name: "fenced code", in: fm("title: T\n") + "\n```go\nx := 1\n```\n",
			want: []wantErr{{Line: 6, Msg: "code blocks are not supported in reports"}}},
		{name: "empty fenced code", in: "# T\n\nText.\n\n~~~\n~~~\n",
			want: []wantErr{{Line: 5, Msg: "code blocks are not supported"}}},
		{name: "indented code", in: "# T\n\nText.\n\n    code\n",
			want: []wantErr{{Line: 5, Msg: "code blocks are not supported"}}},
		{name: "code in a list item", in: "# T\n\n- item\n\n  ```\n  x\n  ```\n",
			want: []wantErr{{Line: 5, Msg: "code blocks are not supported"}}},
		{name: "raw HTML block", in: "# T\n\nText.\n\n<div>\nhi\n</div>\n",
			want: []wantErr{{Line: 5, Msg: "raw HTML blocks are not supported"}}},
		{name: "table", in: "# T\n\nText.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
			want: []wantErr{{Line: 5, Msg: "tables are not supported"}}},
		{name: "link reference definition", in: "# T\n\nSee [UN][un].\n\n[un]: https://un.org\n",
			want: []wantErr{{Line: 5, Msg: "link reference definitions are not supported"}}},
		{name: "every problem at once", in: "---\ntitle: T\nslug: Bad Slug\ndate: 2024-00-10\nsource: en\ntargets: [en, xx-!!]\ntarge: x\n---\n```\n```\n",
			want: []wantErr{
				{Line: 3, Field: "slug"}, {Line: 4, Field: "date"}, {Line: 6, Locale: "en"},
				{Line: 6, Locale: "xx-!!"}, {Line: 7, Field: "targe"}, {Line: 9, Msg: "code blocks"},
				{Msg: "no content"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := tt.file
			if file == "" {
				file = "r.md"
			}
			r, err := Parse(file, []byte(tt.in), tt.opts)
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", r)
			}
			if r != nil {
				t.Errorf("Parse returned a report with an error")
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error %T is not Errors: %v", err, err)
			}
			for _, w := range tt.want {
				found := false
				for _, e := range errs {
					found = found || w.match(e)
				}
				if !found {
					t.Errorf("no problem matches %+v; got:\n%v", w, err)
				}
			}
			if len(errs) != len(tt.want) {
				t.Errorf("got %d problems, want %d:\n%v", len(errs), len(tt.want), err)
			}
			var one *Error
			if !errors.As(err, &one) {
				t.Errorf("errors.As cannot find an *Error")
			}
		})
	}
}

func TestNoTargetsAllowed(t *testing.T) {
	r, err := Parse("r.md", []byte("# T\n\nBody.\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Targets != nil {
		t.Errorf("targets = %q", r.Targets)
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "report.md", Line: 3, Field: "targets", Locale: "xx-!!", Msg: "is not a valid BCP 47 tag: bad"},
			`report.md:3: field "targets": locale "xx-!!" is not a valid BCP 47 tag: bad`},
		{Error{File: "report.md", Msg: "file is too big"}, "report.md: file is too big"},
		{Error{Line: 4, Msg: "m"}, "line 4: m"},
		{Error{Field: "slug", Msg: "m"}, `field "slug": m`},
		{Error{Msg: "m"}, "m"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
	es := Errors{{Line: 1, Msg: "a"}, {Line: 2, Msg: "b"}}
	if got := es.Error(); got != "line 1: a\nline 2: b" {
		t.Errorf("Errors.Error() = %q", got)
	}
}

func TestValidateLoadedReport(t *testing.T) {
	good, err := Parse("r.md", []byte("---\ntitle: T\nsummary: S\ntargets: [fr, zh-Hans]\ndate: 2024-01-23\n---\n## H\n\nP.\n\n- item\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(good)
	if err != nil {
		t.Fatal(err)
	}
	var loaded Report
	if err := json.Unmarshal(data, &loaded); err != nil {
		t.Fatal(err)
	}
	if err := loaded.Validate(); err != nil {
		t.Fatalf("loaded report does not validate: %v", err)
	}
	if loaded.SHA256() != good.SHA256() || len(good.SHA256()) != 64 {
		t.Errorf("hash changed over a JSON round trip")
	}
	again, _ := json.Marshal(&loaded)
	if !bytes.Equal(again, data) {
		t.Errorf("JSON is not canonical")
	}

	tests := []struct {
		name   string
		change func(r *Report)
		want   wantErr
	}{
		{"bad slug", func(r *Report) { r.Slug = "../x" }, wantErr{Field: "slug", Msg: "URL-safe"}},
		{"bad date", func(r *Report) { r.Date = "2024-02-30" }, wantErr{Field: "date"}},
		{"non-canonical source", func(r *Report) { r.Source = "en-us" }, wantErr{Field: "source", Locale: "en-us", Msg: `write "en-US"`}},
		{"invalid target", func(r *Report) { r.Targets = []string{"!!"} }, wantErr{Field: "targets", Locale: "!!"}},
		{"target is source", func(r *Report) { r.Targets = []string{"en"} }, wantErr{Locale: "en", Msg: "source locale"}},
		{"duplicate target", func(r *Report) { r.Targets = []string{"fr", "fr"} }, wantErr{Locale: "fr", Msg: "twice"}},
		{"unknown format", func(r *Report) { r.Format = "html" }, wantErr{Field: "format"}},
		{"no title", func(r *Report) { r.Segments = r.Segments[1:] }, wantErr{Field: "title"}},
		{"multi-line title", func(r *Report) { r.Segments[0].Text = "a\nb" }, wantErr{Field: "title", Msg: "single line"}},
		{"duplicate ID", func(r *Report) { r.Segments[3].ID = r.Segments[2].ID }, wantErr{Msg: "also used by segment 3"}},
		{"empty ID", func(r *Report) { r.Segments[3].ID = "" }, wantErr{Msg: "no ID"}},
		{"odd ID", func(r *Report) { r.Segments[3].ID = "a b" }, wantErr{Msg: "ASCII letters"}},
		{"empty text", func(r *Report) { r.Segments[3].Text = " " }, wantErr{Msg: "text is empty"}},
		{"bad level", func(r *Report) { r.Segments[2].Level = 7 }, wantErr{Msg: "level 7"}},
		{"bad kind", func(r *Report) { r.Segments[3].Kind = "table" }, wantErr{Msg: "unknown kind"}},
		{"item without list", func(r *Report) { r.Segments[4].List = 0 }, wantErr{Msg: "no list number"}},
		{"title elsewhere", func(r *Report) { r.Segments[3].Kind = KindTitle }, wantErr{Msg: "the title must be segment 1"}},
		{"no body", func(r *Report) { r.Segments = r.Segments[:2] }, wantErr{Msg: "no content"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Report
			if err := json.Unmarshal(data, &r); err != nil {
				t.Fatal(err)
			}
			tt.change(&r)
			err := r.Validate()
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("Validate = %v, want Errors", err)
			}
			found := false
			for _, e := range errs {
				found = found || tt.want.match(e)
			}
			if !found {
				t.Errorf("no problem matches %+v; got:\n%v", tt.want, err)
			}
		})
	}
}
