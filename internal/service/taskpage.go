package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"strconv"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/pressroom/pressroom/internal/preview"
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

// ErrBadPageToken is a page token TasksPage did not give out for this
// filter.
var ErrBadPageToken = errors.New("the page token is not valid (made up, or from another filter); start from the first page")

// A page token is the visibility store's, behind a MAC of it and of the
// query it pages, keyed from the preview signing key (so every replica of
// the server accepts the tokens of the others). The store answers a token
// it cannot read with an internal error the SDK retries until the
// deadline, and may read one of another query as a position in this one;
// the check turns both into ErrBadPageToken at once, before anything asks
// the store, and nobody without the key can make a token that passes.
const tokenCheckLen = 16

func tokenCheck(key []byte, query string, token []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(query))
	h.Write([]byte{0})
	h.Write(token)
	return h.Sum(nil)[:tokenCheckLen]
}

// sealToken wraps the store's token of query's next page.
func sealToken(key []byte, query string, token []byte) []byte {
	if len(token) == 0 {
		return nil
	}
	return append(tokenCheck(key, query, token), token...)
}

// openToken returns the store's token inside a sealed one.
func openToken(key []byte, query string, sealed []byte) ([]byte, error) {
	if len(sealed) == 0 {
		return nil, nil
	}
	if len(sealed) <= tokenCheckLen || !hmac.Equal(sealed[:tokenCheckLen], tokenCheck(key, query, sealed[tokenCheckLen:])) {
		return nil, ErrBadPageToken
	}
	return sealed[tokenCheckLen:], nil
}

// pageKey is the task-page tokens' MAC key, derived from the preview
// signing key (one secret to configure, used for one purpose each).
func (s *Service) pageKey(ctx context.Context) ([]byte, error) {
	key, err := s.previewKeys().Key(ctx)
	if err != nil {
		return nil, err
	}
	h := hmac.New(sha256.New, key)
	h.Write([]byte("pressroom-task-page-v1"))
	return h.Sum(nil), nil
}

// previewKeys are the preview links' signing keys: the configured ones,
// or the bucket's.
func (s *Service) previewKeys() *preview.Keys {
	if s.Previews != nil {
		return s.Previews
	}
	return &preview.Keys{Store: s.Store}
}

// CountTasks counts the tasks f selects, as TasksPage would list them
// (the visibility store counts without listing).
func (s *Service) CountTasks(ctx context.Context, f TaskFilter) (int, error) {
	if f.Worker != "" && len(f.WorkerLocales) == 0 {
		return 0, nil
	}
	resp, err := s.Temporal.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Query: taskQuery(f)})
	if err != nil {
		return 0, fmt.Errorf("count tasks: %w", err)
	}
	return int(resp.GetCount()), nil
}
