package devstack

import (
	"bufio"
	"fmt"
	"io"
	"sync"
)

// prefixed returns a writer that copies lines to w as "[name] line".
func prefixed(w io.Writer, name string) io.Writer {
	if w == io.Discard {
		return io.Discard
	}
	pr, pw := io.Pipe()
	go func() {
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			logMu.Lock()
			fmt.Fprintf(w, "[%s] %s\n", name, sc.Text())
			logMu.Unlock()
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	return pw
}

var logMu sync.Mutex
