package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pressroom/pressroom/internal/report"
)

// Limits of the HTTP API (documented in the README's Limits table).
const (
	// MaxSmallBody bounds the body of routes that take none or a short
	// JSON object (approve, cancel, reject's comment).
	MaxSmallBody = 64 << 10
	// MaxSegmentBody bounds one segment save: the longest translation,
	// every character escaped as \uXXXX, plus the envelope.
	MaxSegmentBody = 6*report.MaxTranslationChars + 4<<10
	// MaxXLIFFBody bounds an XLIFF upload.
	MaxXLIFFBody = 16 << 20
	// DefaultMaxUploads is how many requests with a body are handled at
	// once; the next is answered 503 with Retry-After.
	DefaultMaxUploads = 8
	// RequestTimeout bounds how long a request waits on Temporal (an
	// Update runs the checks of an edit) and the store.
	RequestTimeout = 60 * time.Second
)

// limitBody refuses a request whose declared length is over limit and
// bounds what the handler can read of the rest.
func limitBody(limit int64, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > limit {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the request body is %d bytes; the limit for %s is %d bytes", r.ContentLength, r.URL.Path, limit), map[string]any{"limit": limit})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		h.ServeHTTP(w, r)
	})
}

// upload is limitBody for routes that take a real body; it also holds one
// of a.uploads while the request runs, so a burst of uploads cannot take
// all the server's memory: when every slot is taken the request is
// answered 503 at once, before its body is read.
func (a *API) upload(limit int64, h http.Handler) http.Handler {
	limited := limitBody(limit, h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case a.uploads <- struct{}{}:
			defer func() { <-a.uploads }()
			limited.ServeHTTP(w, r)
		default:
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusServiceUnavailable, fmt.Sprintf("%d uploads are already in progress, the limit; retry in a moment", cap(a.uploads)), nil)
		}
	})
}

// readBody reads a body bounded by limitBody; what names it in messages.
func readBody(r *http.Request, what string) ([]byte, error) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		if tooLarge := bodyTooLarge(err, what); tooLarge != nil {
			return nil, tooLarge
		}
		return nil, errStatus(http.StatusBadRequest, "reading %s: %v", what, err)
	}
	return data, nil
}

// bodyTooLarge turns the error of a body over its limit into a 413.
func bodyTooLarge(err error, what string) error {
	var mb *http.MaxBytesError
	if !errors.As(err, &mb) {
		return nil
	}
	return &httpError{status: http.StatusRequestEntityTooLarge,
		msg:   fmt.Sprintf("%s is over the limit of %d bytes (%s)", what, mb.Limit, humanBytes(mb.Limit)),
		extra: map[string]any{"limit": mb.Limit}}
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// checkPathValues validates every path parameter before a handler uses
// it: an escaped "/" in a slug ("foo%2Ffr") would otherwise name another
// workflow (report/foo/fr is the French locale workflow of foo).
func checkPathValues(r *http.Request) error {
	if strings.Contains(r.Pattern, "{slug}") {
		if err := report.ValidSlug(r.PathValue("slug")); err != nil {
			return errStatus(http.StatusBadRequest, "path parameter slug: %v", err)
		}
	}
	if strings.Contains(r.Pattern, "{locale}") {
		if _, err := report.CanonicalLocale(r.PathValue("locale")); err != nil {
			return errStatus(http.StatusBadRequest, "path parameter locale: %v", err)
		}
	}
	if strings.Contains(r.Pattern, "{id}") {
		if err := report.ValidSegmentID(r.PathValue("id")); err != nil {
			return errStatus(http.StatusBadRequest, "path parameter id: %v", err)
		}
	}
	return nil
}
