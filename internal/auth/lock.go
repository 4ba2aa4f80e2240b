package auth

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// Update is the one way to change the users file: it takes an exclusive
// lock (flock on "<path>.lock", beside the file: the file itself is
// replaced by rename, so it cannot carry the lock), reads the current
// file, lets change modify it and writes it back. Concurrent `pressroom
// users` commands therefore queue instead of overwriting each other's
// additions. Nothing is written when change returns an error.
func Update(path string, change func(*Users) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("users file: %w", err)
	}
	lf, err := os.OpenFile(path+".lock", os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("users file lock: %w", err)
	}
	defer lf.Close()
	if err := flock(lf); err != nil {
		return fmt.Errorf("users file lock %s: %w", lf.Name(), err)
	}
	defer syscall.Flock(int(lf.Fd()), syscall.LOCK_UN)
	users, err := Load(path)
	if err != nil {
		return err
	}
	if err := change(users); err != nil {
		return err
	}
	return users.Save(path)
}

func flock(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			return err
		}
	}
}
