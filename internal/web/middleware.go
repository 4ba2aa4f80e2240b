package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
)

// BaselineCSP is the Content-Security-Policy of every response that does
// not set its own: nothing may frame it (which a <meta> policy cannot
// say), no plugins, no <base>. It leaves scripts and styles to the page:
// pages set their own, stricter policy (the reader pages allow exactly
// their inline style and script by hash; the API allows nothing, APICSP).
const BaselineCSP = "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// APICSP is the API's policy: JSON loads nothing.
const APICSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// Secure sets the security headers of every response and gives each
// request an ID (X-Request-Id) that error replies and the log share.
// Handlers replace Content-Security-Policy with their own policy.
func Secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", BaselineCSP)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		id := newRequestID()
		hd.Set("X-Request-Id", id)
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id)))
	})
}

type requestIDKey struct{}

func newRequestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// requestID is the request's ID from Secure, or a fresh one when the
// handler runs without it (in tests).
func requestID(r *http.Request) string {
	if id, ok := r.Context().Value(requestIDKey{}).(string); ok {
		return id
	}
	return newRequestID()
}

// logInternal logs an internal error in full, for the operator, and
// returns the request ID to give the caller instead of the error: errors
// from Temporal and the store name hosts, buckets and keys.
func logInternal(log *slog.Logger, r *http.Request, err error) string {
	id := requestID(r)
	if log == nil {
		log = slog.Default()
	}
	log.Error("request failed", "request_id", id, "method", r.Method, "path", r.URL.Path, "error", err)
	return id
}
