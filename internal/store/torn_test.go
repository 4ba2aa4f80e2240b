package store

import (
	"crypto/md5"
	"encoding/hex"
	"testing"
)

// A single-part ETag is the body's MD5: one that disagrees is a torn
// read; ETags of other shapes are not judged.
func TestTornRead(t *testing.T) {
	body := []byte("list v2")
	sum := md5.Sum(body)
	good := `"` + hex.EncodeToString(sum[:]) + `"`
	other := md5.Sum([]byte("list v1"))
	for _, c := range []struct {
		etag string
		torn bool
	}{
		{good, false},
		{hex.EncodeToString(sum[:]), false},
		{`"` + hex.EncodeToString(other[:]) + `"`, true},
		{`"` + hex.EncodeToString(sum[:]) + `-2"`, false},  // multipart
		{`"zz` + hex.EncodeToString(sum[1:]) + `"`, false}, // not hex
		{"", false},
	} {
		if got := tornRead(body, c.etag); got != c.torn {
			t.Errorf("tornRead(%s) = %v, want %v", c.etag, got, c.torn)
		}
	}
}
