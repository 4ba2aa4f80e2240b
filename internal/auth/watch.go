package auth

import (
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"syscall"
	"time"
)

// watch makes a server's Users follow the file: `pressroom users add`,
// `rotate`, `passwd` and `remove` in another process take effect on the
// next request, without a restart. Every write replaces the file by
// rename (Save), so a changed inode, size or modification time is a new
// version; one stat per request is all it costs.
type watch struct {
	path string

	mu    sync.Mutex
	stamp stamp
	err   error // the last reload's error, logged once
}

type stamp struct {
	ino   uint64
	size  int64
	mtime time.Time
	found bool
}

func statStamp(path string) (stamp, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return stamp{}, nil
	}
	if err != nil {
		return stamp{}, err
	}
	s := stamp{size: fi.Size(), mtime: fi.ModTime(), found: true}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		s.ino = st.Ino
	}
	return s, nil
}

// Open loads the users file and keeps following it: a change on disk is
// read before the next Authenticate, CheckPassword, Get or List. A file
// that becomes unreadable or malformed keeps the last good set (and is
// logged), so a slip in a hand edit does not lock everyone out; a file
// that is deleted is an empty set.
func Open(path string) (*Users, error) {
	st, err := statStamp(path)
	if err != nil {
		return nil, err
	}
	u, err := Load(path)
	if err != nil {
		return nil, err
	}
	u.watch = &watch{path: path, stamp: st}
	return u, nil
}

// refresh reloads the file if it changed since it was last read.
func (u *Users) refresh() {
	w := u.watch
	if w == nil {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	st, err := statStamp(w.path)
	if err == nil && st == w.stamp {
		return
	}
	var fresh *Users
	if err == nil {
		fresh, err = Load(w.path)
	}
	if err != nil {
		if fresh == nil && st.found {
			w.stamp = st // do not parse the same bad version on every request
		}
		if w.err == nil || w.err.Error() != err.Error() {
			slog.Warn("users file not reloaded; the previous users stay in effect", "path", w.path, "error", err)
		}
		w.err = err
		return
	}
	w.err = nil
	w.stamp = st
	u.mu.Lock()
	u.byName, u.byHash = fresh.byName, fresh.byHash
	u.mu.Unlock()
}
