package xliff

import (
	"bytes"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/pressroom/pressroom/internal/report"
)

// 16 MiB of "<x/>" used to be parsed into four million nodes (968 MB);
// now the decoder stops at MaxElements with the line.
func TestImportRefusesTooManyElements(t *testing.T) {
	data := []byte(`<?xml version="1.0"?>` + "\n<xliff>" + strings.Repeat("<x/>", (16<<20)/4) + "</xliff>")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Import("big.xlf", data, task())
	runtime.ReadMemStats(&after)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrMalformed) || e.Line != 2 || !strings.Contains(e.Msg, "the limit is 201000") {
		t.Fatalf("got %v", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 200<<20 {
		t.Errorf("allocated %d MiB refusing the file; want far less than 968 MB", alloc>>20)
	}
}

func TestImportRefusesTooManyAttributes(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"`)
	for i := range MaxAttributes + 1 {
		b.WriteString(" a" + strings.Repeat("x", i) + `=""`)
	}
	b.WriteString("/>")
	_, err := Import("attrs.xlf", []byte(b.String()), task())
	if err == nil || !strings.Contains(err.Error(), "attrs.xlf:1: <xliff> has 67 attributes; the limit is 64") {
		t.Fatalf("got %v", err)
	}
}

// A target over the translation limit is refused with its unit, and the
// file changes nothing.
func TestImportRefusesTargetOverTheLimit(t *testing.T) {
	tk := task()
	long := strings.Repeat("é", report.MaxTranslationChars+1)
	data := mustExport(t, withTargets(tk, map[string][2]string{"title": {"Titre", StateFinal}, "summary": {long, StateFinal}}))
	units, err := Import("fr.xlf", data, tk)
	if units != nil || err == nil || !errors.Is(err, ErrMalformed) ||
		!strings.Contains(err.Error(), `unit "summary": translation of segment summary is 20001 characters long; the limit is 20000`) {
		t.Fatalf("got %v, %v", units, err)
	}
	links := bytes.Repeat([]byte("[a]"), report.MaxLinkOpeners+1)
	data = mustExport(t, withTargets(tk, map[string][2]string{"title": {string(links), StateFinal}}))
	if _, err := Import("fr.xlf", data, tk); err == nil || !strings.Contains(err.Error(), "has 101 '['") {
		t.Fatalf("links: %v", err)
	}
}
