package telemetry

import (
	"context"
	"unicode/utf8"

	"github.com/pressroom/pressroom/internal/mt"
)

// Provider wraps a machine-translation provider to count the segments
// and characters it is sent and the errors it returns.
func (m *Metrics) Provider(p mt.Provider) mt.Provider { return &meteredProvider{p: p, m: m} }

type meteredProvider struct {
	p mt.Provider
	m *Metrics
}

func (mp *meteredProvider) Name() string { return mp.p.Name() }

func (mp *meteredProvider) Translate(ctx context.Context, req mt.Request) ([]mt.Result, error) {
	name := mp.p.Name()
	chars := 0
	for _, s := range req.Segments {
		chars += utf8.RuneCountInString(s.Text)
	}
	mp.m.mtSegments.WithLabelValues(name).Add(float64(len(req.Segments)))
	mp.m.mtCharacters.WithLabelValues(name).Add(float64(chars))
	res, err := mp.p.Translate(ctx, req)
	switch {
	case err == nil:
	case mt.IsUnsupportedPair(err):
		mp.m.mtErrors.WithLabelValues(name, "unsupported_pair").Inc()
	case mt.IsTransient(err):
		mp.m.mtErrors.WithLabelValues(name, "transient").Inc()
	default:
		mp.m.mtErrors.WithLabelValues(name, "permanent").Inc()
	}
	for _, r := range res {
		if r.Err != nil {
			mp.m.mtErrors.WithLabelValues(name, "segment").Inc()
		}
	}
	return res, err
}
