package report

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// fmValue is one front matter value with the key it was given under and
// the file line of that value.
type fmValue struct {
	key  string
	val  string
	line int
	set  bool
	bad  bool // present but unusable, already reported
}

// given reports a value that says something; "title:" alone does not.
func (v fmValue) given() bool { return v.set && !blank(v.val) }

// frontMatter holds the fields a report file may set.
type frontMatter struct {
	title, slug, date, source, summary fmValue
	targets                            []fmValue
}

const knownFields = "title, slug, date, source (or locale), targets, summary"

func isFence(line []byte) bool { return string(bytes.TrimRight(line, " \t")) == "---" }

// splitFrontMatter separates YAML front matter, between a first line "---"
// and the next "---" line, from the body and decodes it. It returns false
// when the front matter is not closed: nothing after it can be trusted.
func (in *intake) splitFrontMatter(data []byte) bool {
	first, rest, _ := bytes.Cut(data, []byte("\n"))
	if !isFence(first) {
		in.body = data
		return true
	}
	off := 0
	for n := 2; ; n++ {
		line, after, found := bytes.Cut(rest[off:], []byte("\n"))
		if isFence(line) {
			in.decodeFrontMatter(rest[:off])
			in.body = after
			in.bodyLine = n + 1
			return true
		}
		if !found {
			break
		}
		off += len(line) + 1
	}
	in.add(in.at(1).errorf("", "", "front matter opened with \"---\" is not closed by a \"---\" line"))
	return false
}

var yamlLineRE = regexp.MustCompile(`^yaml: line ([0-9]+): `)

// decodeFrontMatter reads the YAML as nodes, not into a struct, to know the
// line of every key and to name unknown ones (typos such as "targe").
func (in *intake) decodeFrontMatter(src []byte) {
	const off = 1 // YAML line 1 is file line 2
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		msg, line := err.Error(), 0
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			line += off
			msg = msg[len(m[0]):]
		}
		msg = strings.TrimPrefix(msg, "yaml: ")
		in.add(in.at(line).errorf("", "", "front matter is not valid YAML: %s", msg))
		in.fmBroken = true
		return
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return // empty front matter
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
			return // only comments
		}
		in.add(in.at(root.Line+off).errorf("", "", "front matter must be \"field: value\" lines; known fields are %s", knownFields))
		in.fmBroken = true
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		line := k.Line + off
		name := k.Value
		field := name
		if name == "locale" {
			field = "source"
		}
		if first, dup := seen[field]; dup {
			in.add(in.at(line).errorf(name, "", "is given twice (first on line %d)", first))
			continue
		}
		seen[field] = line
		switch field {
		case "title":
			in.fm.title = in.scalar(name, v, line)
		case "slug":
			in.fm.slug = in.scalar(name, v, line)
		case "date":
			// An unquoted date is a YAML timestamp; its source text is
			// the same YYYY-MM-DD, so the node value serves both forms.
			in.fm.date = in.scalar(name, v, line)
		case "source":
			in.fm.source = in.scalar(name, v, line)
		case "summary":
			in.fm.summary = in.scalar(name, v, line)
		case "targets":
			in.fm.targets = in.targetList(v, line)
		default:
			in.add(in.at(line).errorf(name, "", "unknown field; known fields are %s", knownFields))
		}
	}
}

func (in *intake) scalar(name string, v *yaml.Node, keyLine int) fmValue {
	if v.Kind != yaml.ScalarNode {
		in.add(in.at(keyLine).errorf(name, "", "must be a single value, not a list or mapping"))
		return fmValue{key: name, line: keyLine, bad: true}
	}
	line := v.Line + 1
	if v.Tag == "!!null" {
		return fmValue{key: name, line: line, set: true}
	}
	return fmValue{key: name, val: v.Value, line: line, set: true}
}

// targetList accepts a YAML list or a comma-separated string.
func (in *intake) targetList(v *yaml.Node, keyLine int) []fmValue {
	var out []fmValue
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!null" {
			return nil
		}
		for _, t := range strings.Split(v.Value, ",") {
			if !blank(t) {
				out = append(out, fmValue{key: "targets", val: t, line: v.Line + 1, set: true})
			}
		}
	case yaml.SequenceNode:
		for _, item := range v.Content {
			if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
				in.add(in.at(item.Line+1).errorf("targets", "", "each target must be a locale tag such as fr or zh-Hans"))
				continue
			}
			out = append(out, fmValue{key: "targets", val: item.Value, line: item.Line + 1, set: true})
		}
	default:
		in.add(in.at(keyLine).errorf("targets", "", "must be a list of locale tags or a comma-separated string"))
	}
	return out
}
