// Package testseed finds the shared seed reports for tests. The seed lives
// outside the repository (../shared/seed beside the clone), so a test that
// reads it must still stand alone in a plain clone: it skips with a message
// when the seed is absent, except under CI=true, where absence is a failure.
package testseed

import (
	"os"
	"path/filepath"
	"testing"
)

// Report is the seed news page every seed test reads.
const Report = "una-china-upr-side-event.txt"

// Path returns the absolute path of the named seed file, or ends the test:
// skipped outside CI, failed under CI=true.
func Path(t testing.TB, name string) string {
	t.Helper()
	p, err := Lookup(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("seed %s is required under CI=true (../shared/seed beside the clone): %v", name, err)
	}
	t.Skipf("seed %s not found beside the clone (../shared/seed): %v; skipping outside CI", name, err)
	return ""
}

// Lookup returns the absolute path of the named seed file, or why it is
// not there; for optional uses such as a fuzz corpus.
func Lookup(name string) (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	p := filepath.Join(filepath.Dir(root), "shared", "seed", name)
	if _, err := os.Stat(p); err != nil {
		return "", err
	}
	return p, nil
}

// moduleRoot walks up from the working directory (a test runs in its
// package's folder) to the folder holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
