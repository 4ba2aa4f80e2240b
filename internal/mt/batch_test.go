package mt

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/pressroom/pressroom/internal/report"
)

func TestBatcherPack(t *testing.T) {
	b := batcher{size: byteLen, maxBatch: 10, overhead: 1, maxItems: 3}
	got := b.pack([]string{"aaaa", "bbbb", "c", "d", "e", "f", "gggggggggggggg", "h"})
	// 5+5 fills a request; three items end one; an oversized unit goes alone.
	if fmt.Sprint(got) != "[[0 2] [2 5] [5 6] [6 7] [7 8]]" {
		t.Errorf("pack = %v", got)
	}
}

// A transient failure of one request stops the others and is returned
// whole: the caller (Temporal) retries, or the Router falls back.
func TestBatcherStopsOnServiceFailure(t *testing.T) {
	var calls atomic.Int32
	b := batcher{provider: "fake", size: byteLen, maxBatch: 10, maxItems: 1, concurrency: 3, unescape: true}
	var texts []string
	for i := 0; i < 50; i++ {
		texts = append(texts, fmt.Sprintf("text %d", i))
	}
	_, err := b.translate(context.Background(), Request{Segments: segs(texts...)}, func(ctx context.Context, ts []string) ([]unitOut, error) {
		if calls.Add(1) == 5 {
			return nil, &TransientError{Provider: "fake", Err: errors.New("HTTP 503")}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return []unitOut{{text: ts[0]}}, nil
	})
	if !IsTransient(err) {
		t.Fatalf("err = %v", err)
	}
	if n := calls.Load(); n > 10 {
		t.Errorf("%d requests after the failure was known", n)
	}

	// The caller's cancellation is reported as such.
	ctx, cancel := context.WithCancel(context.Background())
	var once sync.Once
	_, err = b.translate(ctx, Request{Segments: segs(texts...)}, func(ctx context.Context, ts []string) ([]unitOut, error) {
		once.Do(cancel)
		<-ctx.Done()
		return nil, &TransientError{Provider: "fake", Err: ctx.Err()}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// A wrong number of answers fails the segments of that request only.
func TestBatcherWrongCount(t *testing.T) {
	b := batcher{provider: "fake", size: byteLen, maxBatch: 1000, maxItems: 2, concurrency: 1, unescape: true}
	res, err := b.translate(context.Background(), Request{Format: report.FormatText, Segments: segs("a", "b", "c")}, func(ctx context.Context, ts []string) ([]unitOut, error) {
		if len(ts) == 2 {
			return []unitOut{{text: "A"}}, nil
		}
		return []unitOut{{text: strings.ToUpper(ts[0])}}, nil
	})
	if err != nil || res[0].Err == nil || res[1].Err == nil || res[2].Text != "C" {
		t.Errorf("%+v, %v", res, err)
	}
}

// Through the Router: a segment every provider failed transiently stays
// transient, so the activity retries it.
func TestRouterKeepsTransient(t *testing.T) {
	a := &fake{name: "a", batchErr: &TransientError{Provider: "a", Err: errors.New("HTTP 429")}}
	b := &fake{name: "b", failIDs: map[string]bool{"1": true}}
	r := NewRouter(map[string][]Provider{"es": {a, b}}, nil)
	res, err := r.Translate(context.Background(), req("es", "1", "2"))
	if err != nil {
		t.Fatal(err)
	}
	if !IsTransient(res[0].Err) || res[1].Text != "b:t2" {
		t.Errorf("%+v", res)
	}
}
