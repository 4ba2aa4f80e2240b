package integration

import (
	"context"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/tm"
	"github.com/pressroom/pressroom/internal/tmstore"
)

// A worker's memory lists the store at most once per ListEvery: a shard
// another process writes meanwhile waits for the next listing, one
// written through the memory itself is there at once, and ListEvery 0
// lists at every Load. Real versitygw.
func TestMemoryListsOncePerPeriod(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	const src, tgt = "en", "kk" // Kazakh: a pair no other test writes
	lookup := func(m *tmstore.Memories, text string) bool {
		t.Helper()
		mem, err := m.Load(ctx, src, tgt)
		if err != nil {
			t.Fatal(err)
		}
		_, ok := mem.Lookup(src, tgt, text, 100)
		return ok
	}
	entry := func(text string) []tm.Entry {
		return []tm.Entry{{SourceLocale: src, TargetLocale: tgt, Source: text, Target: "T " + text, Slug: "tmlist", SegmentID: "p-1", Time: time.Now().UTC()}}
	}
	worker := &tmstore.Memories{Store: env.store, ListEvery: time.Hour}
	every := &tmstore.Memories{Store: env.store}
	if lookup(worker, "First shard.") || lookup(every, "First shard.") {
		t.Fatal("found before anything was written")
	}

	// Another process (a TMX import, another worker) writes a shard.
	if err := tmstore.WriteShard(ctx, env.store, store.TMReleaseShardKey(src, tgt, "tmlist-other", 1), entry("First shard.")); err != nil {
		t.Fatal(err)
	}
	if lookup(worker, "First shard.") {
		t.Error("the worker's memory listed again within ListEvery")
	}
	if !lookup(every, "First shard.") {
		t.Error("ListEvery 0 did not list again")
	}

	// The worker writes one itself: it has it at once.
	if err := worker.WriteShard(ctx, store.TMReleaseShardKey(src, tgt, "tmlist-own", 1), entry("Own shard.")); err != nil {
		t.Fatal(err)
	}
	if !lookup(worker, "Own shard.") {
		t.Error("the worker's own shard is not in its memory")
	}
	if !lookup(every, "Own shard.") {
		t.Error("the worker's own shard is not in the store")
	}

	// After the period, the next Load lists and finds the other shard.
	short := &tmstore.Memories{Store: env.store, ListEvery: 50 * time.Millisecond}
	if !lookup(short, "First shard.") {
		t.Fatal("first listing missed a shard")
	}
	if err := tmstore.WriteShard(ctx, env.store, store.TMReleaseShardKey(src, tgt, "tmlist-later", 1), entry("Later shard.")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(60 * time.Millisecond)
	if !lookup(short, "Later shard.") {
		t.Error("a Load after ListEvery did not list again")
	}
}
