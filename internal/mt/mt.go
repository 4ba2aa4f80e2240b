// Package mt is machine translation behind one interface: providers
// translate batches of segments and say, per segment, where the text came
// from. Which provider serves which locale is configuration (see Router).
package mt

import (
	"context"
	"errors"
	"fmt"

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
// segment, in order, or an error for the whole batch (a transport failure,
// or ErrUnsupportedPair).
type Provider interface {
	Name() string
	Translate(ctx context.Context, req Request) ([]Result, error)
}

// UnsupportedPairError says a provider cannot translate between two
// languages. It is permanent: retrying will not help.
type UnsupportedPairError struct {
	Provider, Source, Target string
}

func (e *UnsupportedPairError) Error() string {
	return fmt.Sprintf("%s cannot translate %s to %s", e.Provider, e.Source, e.Target)
}

// IsUnsupportedPair reports whether err says a language pair is unsupported.
func IsUnsupportedPair(err error) bool {
	var u *UnsupportedPairError
	return errors.As(err, &u)
}
