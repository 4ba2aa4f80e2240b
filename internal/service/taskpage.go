package service

import (
	"errors"
	"fmt"
	"strconv"
)

// Task-list pages: no request lists more than MaxTaskPage workflows, since
// the visibility store's cost grows with every workflow it lists (about
// 1 ms each on the dev stack's SQLite).
const (
	// DefaultTaskPage is the page a caller gets without asking for a size.
	DefaultTaskPage = 100
	// MaxTaskPage is the largest page TasksPage returns.
	MaxTaskPage = 1000
)

// ParseTaskPageSize reads a requested page size: "" is DefaultTaskPage,
// anything but an integer from 1 to MaxTaskPage an error naming the range.
// field is how the caller spells the parameter (page_size, --page-size).
func ParseTaskPageSize(field, s string) (int, error) {
	if s == "" {
		return DefaultTaskPage, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxTaskPage {
		return 0, fmt.Errorf("%s=%q: want an integer from 1 to %d (default %d)", field, s, MaxTaskPage, DefaultTaskPage)
	}
	return n, nil
}

// ErrBadPageToken is a page token the visibility store refused.
var ErrBadPageToken = errors.New("the page token is not valid (stale, or from another filter); start from the first page")
