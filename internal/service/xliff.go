package service

import (
	"strings"

	"github.com/pressroom/pressroom/internal/xliff"
)

// XLIFFTask turns a review task into the XLIFF 2.0 task file model.
func XLIFFTask(d TaskDetail) xliff.Task {
	t := xliff.Task{Slug: d.Slug, SourceLocale: d.SourceLocale, TargetLocale: d.Status.Locale}
	for _, s := range d.Segments {
		state := "translated"
		if strings.HasPrefix(s.Provenance, "human:") {
			state = "reviewed"
		}
		t.Units = append(t.Units, xliff.Unit{ID: s.ID, Source: s.Source, Target: s.Target, State: state, Note: s.Provenance})
	}
	return t
}

// XLIFFEdits compares an imported file's units with the task and returns
// the segments whose target changed.
func XLIFFEdits(d TaskDetail, units []xliff.Unit) map[string]string {
	current := map[string]string{}
	for _, s := range d.Segments {
		current[s.ID] = s.Target
	}
	edits := map[string]string{}
	for _, u := range units {
		if u.Target != "" && u.Target != current[u.ID] {
			edits[u.ID] = u.Target
		}
	}
	return edits
}
