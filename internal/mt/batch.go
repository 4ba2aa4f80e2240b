package mt

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// unitOut is an engine's answer for one text of a request.
type unitOut struct {
	text string
	err  error
}

// sendFunc sends one request of masked texts and returns one unitOut per
// text, in order, or an error for the whole request.
type sendFunc func(ctx context.Context, texts []string) ([]unitOut, error)

// batcher is what the HTTP providers share: masking, cutting long segments,
// packing units into requests within the service's limits, sending them
// with bounded concurrency, and putting segments back together.
type batcher struct {
	provider string
	size     func(string) int // additive measure of a text, in the unit the service limits
	maxBatch int              // most size per request, overhead included
	overhead int              // size a unit adds to a request besides its text
	maxItems int              // most units per request; 0: no limit
	// concurrency is how many requests may be in flight for one Translate.
	concurrency int
	stripMarks  bool // remove Apertium's unknown-word marks
	unescape    bool // the engine returns XML-escaped text
}

// seg is a segment on its way through the batcher.
type seg struct {
	lead, trail string // whitespace around the text, restored verbatim
	m           masked
	pieces      []piece
	first       int // index of its first unit; -1 if it needs no request
}

func (b *batcher) translate(ctx context.Context, req Request, send sendFunc) ([]Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	prov := "mt:" + b.provider
	results := make([]Result, len(req.Segments))
	segs := make([]seg, len(req.Segments))
	var units []string
	maxUnit := b.maxBatch - b.overhead
	for i, s := range req.Segments {
		results[i] = Result{ID: s.ID, Provenance: prov}
		core := strings.TrimSpace(s.Text)
		st := &segs[i]
		st.first = -1
		st.lead = s.Text[:strings.Index(s.Text, core)]
		st.trail = s.Text[len(st.lead)+len(core):]
		if core == "" {
			results[i].Text = s.Text
			continue
		}
		st.m = mask(core, req.Format)
		if !st.m.letters {
			// Only numbers, URLs, placeholders: nothing to translate.
			results[i].Text = s.Text
			continue
		}
		st.pieces = splitText(st.m.text, maxUnit, b.size)
		st.first = len(units)
		for _, p := range st.pieces {
			units = append(units, p.text)
		}
	}

	outs, err := b.sendAll(ctx, units, send)
	if err != nil {
		return nil, err
	}

	for i := range segs {
		st := &segs[i]
		if st.first < 0 {
			continue
		}
		var raw strings.Builder
		var errs []error
		for k, p := range st.pieces {
			o := outs[st.first+k]
			switch {
			case o.err != nil:
				errs = append(errs, o.err)
			case strings.TrimSpace(o.text) == "":
				errs = append(errs, fmt.Errorf("%s returned an empty translation", b.provider))
			}
			raw.WriteString(strings.TrimSpace(o.text))
			raw.WriteString(p.sep)
		}
		if len(errs) > 0 {
			results[i].Err = errors.Join(errs...)
			continue
		}
		text := strings.TrimSpace(raw.String())
		if b.stripMarks {
			text = stripMarks(text)
		}
		out, err := st.m.unmask(text, b.unescape)
		if err != nil {
			results[i].Err = err
			continue
		}
		results[i].Text = st.lead + out + st.trail
	}
	return results, nil
}

// sendAll packs units into requests and sends them, at most b.concurrency
// at a time. The first error that is not a *RequestError stops everything
// and is returned: the service is unusable for this batch (down, throttled,
// unauthorized, or the pair is unsupported), so the caller retries or the
// Router tries the next provider with all segments.
func (b *batcher) sendAll(ctx context.Context, units []string, send sendFunc) ([]unitOut, error) {
	outs := make([]unitOut, len(units))
	if len(units) == 0 {
		return outs, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		fatal error
	)
	sem := make(chan struct{}, max(1, b.concurrency))
	for _, r := range b.pack(units) {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			defer func() { <-sem }()
			res, err := b.sendIsolating(ctx, units[lo:hi], send)
			if err != nil {
				mu.Lock()
				if fatal == nil {
					fatal = err
				}
				mu.Unlock()
				cancel()
				return
			}
			copy(outs[lo:hi], res)
		}(r[0], r[1])
	}
	wg.Wait()
	if fatal != nil {
		return nil, fatal
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return outs, nil
}

// pack groups consecutive units into requests: [lo, hi) index ranges.
func (b *batcher) pack(units []string) [][2]int {
	var reqs [][2]int
	lo, total := 0, 0
	for i, u := range units {
		n := b.size(u) + b.overhead
		if i > lo && (total+n > b.maxBatch || (b.maxItems > 0 && i-lo >= b.maxItems)) {
			reqs = append(reqs, [2]int{lo, i})
			lo, total = i, 0
		}
		total += n
	}
	return append(reqs, [2]int{lo, len(units)})
}

// sendIsolating sends one request. If the service refuses it for its
// content (*RequestError), each text is sent alone so only the culprit
// fails.
func (b *batcher) sendIsolating(ctx context.Context, texts []string, send sendFunc) ([]unitOut, error) {
	res, err := b.sendChecked(ctx, texts, send)
	var rerr *RequestError
	if err == nil || !errors.As(err, &rerr) {
		return res, err
	}
	if len(texts) == 1 {
		return []unitOut{{err: err}}, nil
	}
	res = make([]unitOut, len(texts))
	for i := range texts {
		one, err := b.sendChecked(ctx, texts[i:i+1], send)
		switch {
		case err == nil:
			res[i] = one[0]
		case errors.As(err, &rerr):
			res[i].err = err
		default:
			return nil, err
		}
	}
	return res, nil
}

// sendChecked is send, with a wrong number of answers turned into an error
// for each text of the request.
func (b *batcher) sendChecked(ctx context.Context, texts []string, send sendFunc) ([]unitOut, error) {
	res, err := send(ctx, texts)
	if err != nil {
		if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			return nil, fmt.Errorf("%w (%v)", cerr, err)
		}
		return nil, err
	}
	if len(res) != len(texts) {
		bad := fmt.Errorf("%s returned %d translations for %d texts", b.provider, len(res), len(texts))
		res = make([]unitOut, len(texts))
		for i := range res {
			res[i].err = bad
		}
	}
	return res, nil
}
