// Package tmstore keeps the translation memory in the object store: one
// immutable JSON Lines shard per published release and language pair, and
// one per TMX import. A worker loads a pair's shards once and afterwards
// reads only shards it has not seen, so lookups stay in memory.
package tmstore

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/tm"
)

// WorkerListEvery is the listing period of a worker's memories: a shard
// another process writes (a TMX import, another worker's publish) is used
// within this long.
const WorkerListEvery = 2 * time.Second

// Memories loads and caches translation memories per language pair.
type Memories struct {
	Store *store.Store
	// ListEvery is how often Load lists a pair's shards to find ones
	// written by other processes (other workers, a TMX import); in
	// between it answers from what it has, plus the shards written
	// through WriteShard, which it adds at once. Listing costs the store
	// a walk of every shard of the pair, so a busy worker lists once per
	// period instead of at every draft. 0 lists at every Load.
	ListEvery time.Duration

	mu    sync.Mutex
	pairs map[string]*pair
}

type pair struct {
	mu     sync.Mutex
	loaded map[string]bool
	mem    *tm.Memory
	listed time.Time // when the last listing started
}

// Load returns the memory of one language pair, reading shards added
// since the last call.
func (m *Memories) Load(ctx context.Context, sourceLocale, targetLocale string) (*tm.Memory, error) {
	prefix := store.TMPrefix(sourceLocale, targetLocale)
	m.mu.Lock()
	if m.pairs == nil {
		m.pairs = map[string]*pair{}
	}
	p, ok := m.pairs[prefix]
	if !ok {
		p = &pair{loaded: map[string]bool{}, mem: tm.New()}
		m.pairs[prefix] = p
	}
	m.mu.Unlock()

	p.mu.Lock()
	defer p.mu.Unlock()
	if m.ListEvery > 0 && !p.listed.IsZero() && time.Since(p.listed) < m.ListEvery {
		return p.mem, nil
	}
	started := time.Now()
	keys, err := m.Store.ListKeys(ctx, prefix)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if p.loaded[k] || !strings.HasSuffix(k, ".jsonl") {
			continue
		}
		b, err := m.Store.Get(ctx, k)
		if err != nil {
			return nil, err
		}
		es, err := tm.DecodeShard(k, b)
		if err != nil {
			return nil, err
		}
		p.mem.Add(es...)
		p.loaded[k] = true
	}
	p.listed = started
	return p.mem, nil
}

// WriteShard stores entries as one immutable shard under key (see the
// function WriteShard) and, if this pair's memory is loaded, adds them to
// it: the next Load has them without listing or reading them back.
func (m *Memories) WriteShard(ctx context.Context, key string, es []tm.Entry) error {
	b, err := tm.EncodeShard(es)
	if err != nil {
		return err
	}
	if _, err := m.Store.PutImmutable(ctx, key, b, store.Meta{ContentType: "application/jsonl"}); err != nil {
		return err
	}
	m.mu.Lock()
	p := m.pairs[key[:strings.LastIndex(key, "/")+1]]
	m.mu.Unlock()
	if p == nil {
		return nil // loaded in full at its first Load
	}
	stored, err := tm.DecodeShard(key, b) // the entries exactly as Load would read them
	if err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.loaded[key] {
		p.mem.Add(stored...)
		p.loaded[key] = true
	}
	return nil
}

// WriteShard stores entries as one immutable shard under key. Writing the
// same entries again is a no-op, so a retried publish is safe.
func WriteShard(ctx context.Context, st *store.Store, key string, es []tm.Entry) error {
	b, err := tm.EncodeShard(es)
	if err != nil {
		return err
	}
	_, err = st.PutImmutable(ctx, key, b, store.Meta{ContentType: "application/jsonl"})
	return err
}

// Import stores entries (from a TMX file, say) as one shard per language
// pair and returns the keys written, with the count per key.
func Import(ctx context.Context, st *store.Store, es []tm.Entry) (map[string]int, error) {
	byPair := map[string][]tm.Entry{}
	for _, e := range es {
		k := e.SourceLocale + "\x00" + e.TargetLocale
		byPair[k] = append(byPair[k], e)
	}
	out := map[string]int{}
	for _, k := range slices.Sorted(maps.Keys(byPair)) {
		pes := byPair[k]
		b, err := tm.EncodeShard(pes)
		if err != nil {
			return out, err
		}
		key := store.TMImportShardKey(pes[0].SourceLocale, pes[0].TargetLocale, store.SHA256(b)[:16])
		if _, err := st.PutImmutable(ctx, key, b, store.Meta{ContentType: "application/jsonl"}); err != nil {
			return out, err
		}
		out[key] = len(pes)
	}
	return out, nil
}

// ReleaseEntries are the approved segments of one locale of a release.
func ReleaseEntries(src report.Report, tr report.Translation, approver string, at time.Time) ([]tm.Entry, error) {
	texts := make(map[string]string, len(tr.Segments))
	for _, s := range tr.Segments {
		texts[s.ID] = s.Text
	}
	var out []tm.Entry
	for _, s := range src.Segments {
		t, ok := texts[s.ID]
		if !ok {
			return nil, fmt.Errorf("tmstore: %s has no translation of segment %s", tr.Locale, s.ID)
		}
		out = append(out, tm.Entry{
			SourceLocale: src.Source, TargetLocale: tr.Locale, Source: s.Text, Target: t,
			Slug: src.Slug, SegmentID: s.ID, Approver: approver, Time: at,
		})
	}
	return out, nil
}
