package mt

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pressroom/pressroom/internal/report"
)

// Segment is one unit of source text to translate.
type Segment struct {
	ID   string
	Text string
}

// Request is a batch of segments from one language to another.
type Request struct {
	Source   string // BCP 47
	Target   string // BCP 47
	Format   report.Format
	Segments []Segment
}

// Result is the outcome for one segment. A provider that fails on one
// segment sets Err on that result and still returns the others.
type Result struct {
	ID         string
	Text       string
	Provenance string // e.g. "mt:pseudo", "mt:apertium"
	Err        error
}

// Provider translates batches. Translate returns one Result per request
// segment, in order, or an error for the whole batch: a transport, auth or
// quota failure, or an *UnsupportedPairError. Failures that may pass if
// retried are *TransientError (see IsTransient).
type Provider interface {
	Name() string
	Translate(ctx context.Context, req Request) ([]Result, error)
}

// UnsupportedPairError says a provider cannot translate between two
// languages. It is permanent: retrying will not help.
type UnsupportedPairError struct {
	Provider, Source, Target string
	// Endpoint, if set, is the service asked (a self-hosted server's URL).
	Endpoint string
	// Detail, if set, says what the service can do instead, e.g.
	// "installed pairs: eng-cat, eng-spa".
	Detail string
}

func (e *UnsupportedPairError) Error() string {
	who := e.Provider
	if e.Endpoint != "" {
		who += " at " + e.Endpoint
	}
	msg := fmt.Sprintf("%s cannot translate %s to %s", who, e.Source, e.Target)
	if e.Detail != "" {
		msg += " (" + e.Detail + ")"
	}
	return msg
}

// IsUnsupportedPair reports whether err says a language pair is unsupported.
func IsUnsupportedPair(err error) bool {
	var u *UnsupportedPairError
	return errors.As(err, &u)
}

// TransientError is a failure that may pass if the same request is sent
// again later: HTTP 429 and 5xx, throttling, timeouts, refused or dropped
// connections. Callers retry these (Temporal's retry policy does); every
// other error from a provider is permanent for that provider.
type TransientError struct {
	Provider string
	Err      error
	// RetryAfter is the delay the service asked for (Retry-After), or 0.
	RetryAfter time.Duration
}

func (e *TransientError) Error() string {
	return fmt.Sprintf("%s: temporary failure: %v", e.Provider, e.Err)
}

func (e *TransientError) Unwrap() error { return e.Err }

// IsTransient reports whether err, or any error it wraps or joins, is a
// *TransientError: retrying later may succeed.
func IsTransient(err error) bool {
	var t *TransientError
	return errors.As(err, &t)
}

// ServiceError is a permanent refusal by a service as a whole: bad
// credentials, an exhausted quota, a misconfigured endpoint. Retrying will
// not help until someone changes the configuration or the account.
type ServiceError struct {
	Provider string
	Status   int // HTTP status, 0 if none
	Message  string
}

func (e *ServiceError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("%s: HTTP %d: %s", e.Provider, e.Status, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Provider, e.Message)
}

// RequestError is a service refusing one request for its content (HTTP 400
// or 413 for a reason other than the language pair, Amazon's
// TextSizeLimitExceeded). Other requests may succeed, so providers resend
// the segments of a refused batch one by one and fail only the culprit.
type RequestError struct {
	Provider string
	Status   int // HTTP status, 0 if none
	Message  string
}

func (e *RequestError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("%s refused the request: HTTP %d: %s", e.Provider, e.Status, e.Message)
	}
	return fmt.Sprintf("%s refused the request: %s", e.Provider, e.Message)
}
