package tm

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// FuzzReadTMX: whatever the file, ReadTMX returns entries or an error
// naming the file, never both, and never more entries than the limit.
func FuzzReadTMX(f *testing.F) {
	f.Add([]byte(tmxDoc("en", `<tu><tuv xml:lang="en"><seg>Hello</seg></tuv><tuv xml:lang="fr"><seg>Bonjour</seg></tuv></tu>`)))
	f.Add([]byte(tmxDoc("*all*", `<tu><tuv xml:lang="en"><seg>a <bpt i="1">**</bpt>b<ept i="1">**</ept></seg></tuv><tuv xml:lang="es"><seg>c</seg></tuv><tuv xml:lang="ar"><seg>د</seg></tuv></tu>`)))
	f.Add([]byte(`<tmx version="1.4"><body/></tmx>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ReadTMX("f.tmx", bytes.NewReader(data))
		if err != nil {
			if entries != nil || !strings.HasPrefix(err.Error(), "f.tmx") && !errors.Is(err, errTMXTooLarge) {
				t.Fatalf("entries %d with error %v", len(entries), err)
			}
			return
		}
		if len(entries) > MaxTMXEntries {
			t.Fatalf("%d entries", len(entries))
		}
		for _, e := range entries {
			if e.SourceLocale == e.TargetLocale || strings.TrimSpace(e.Source) == "" || strings.TrimSpace(e.Target) == "" {
				t.Fatalf("entry %+v", e)
			}
		}
	})
}
