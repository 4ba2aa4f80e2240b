package tmstore

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/s3test"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/tm"
)

func TestMain(m *testing.M) { s3test.Main(m) }

var at = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func entry(src, tgt, source, target string) tm.Entry {
	return tm.Entry{SourceLocale: src, TargetLocale: tgt, Source: source, Target: target, Slug: "summer-hours", SegmentID: "p-1", Approver: "claire", Time: at}
}

// A pair's memory holds every shard of the pair and no other pair's;
// a later Load picks up shards written since.
func TestMemoriesLoadShardsOfAPair(t *testing.T) {
	st, ctx := s3test.Store(t), context.Background()
	fr := entry("en", "fr", "We open at 9.", "Nous ouvrons à 9 h.")
	es := entry("en", "es", "We open at 9.", "Abrimos a las 9.")
	if err := WriteShard(ctx, st, store.TMReleaseShardKey("en", "fr", "summer-hours", 1), []tm.Entry{fr}); err != nil {
		t.Fatal(err)
	}
	if err := WriteShard(ctx, st, store.TMReleaseShardKey("en", "es", "summer-hours", 1), []tm.Entry{es}); err != nil {
		t.Fatal(err)
	}
	// Not a shard: ignored.
	if _, err := st.Put(ctx, store.TMPrefix("en", "fr")+"README.txt", []byte("notes"), store.Meta{}); err != nil {
		t.Fatal(err)
	}
	mems := &Memories{Store: st}
	m, err := mems.Load(ctx, "en", "fr")
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := m.Lookup("en", "fr", "We open at 9.", 100); !ok || got.Entry.Target != fr.Target || !got.Exact {
		t.Fatalf("lookup: %+v %v", got, ok)
	}
	if _, ok := m.Lookup("en", "es", "We open at 9.", 100); ok {
		t.Fatal("the en→fr memory holds en→es entries")
	}

	later := entry("en", "fr", "The library keeps its usual hours.", "La bibliothèque garde ses horaires.")
	if err := WriteShard(ctx, st, store.TMReleaseShardKey("en", "fr", "summer-hours", 2), []tm.Entry{later}); err != nil {
		t.Fatal(err)
	}
	m, err = mems.Load(ctx, "en", "fr")
	if err != nil {
		t.Fatal(err)
	}
	if m.Len() != 2 {
		t.Fatalf("after a second shard the memory has %d entries, want 2 (each shard read once)", m.Len())
	}
	if got, ok := m.Lookup("en", "fr", later.Source, 100); !ok || got.Entry.Target != later.Target {
		t.Fatalf("the later shard was not loaded: %+v %v", got, ok)
	}
}

// Writing a shard is idempotent (a retried publish); other entries
// under the same key are a conflict.
func TestWriteShardRepeats(t *testing.T) {
	st, ctx := s3test.Store(t), context.Background()
	key := store.TMReleaseShardKey("en", "fr", "summer-hours", 1)
	es := []tm.Entry{entry("en", "fr", "We open at 9.", "Nous ouvrons à 9 h.")}
	for range 2 {
		if err := WriteShard(ctx, st, key, es); err != nil {
			t.Fatal(err)
		}
	}
	var conflict *store.ImmutableConflictError
	if err := WriteShard(ctx, st, key, []tm.Entry{entry("en", "fr", "We open at 9.", "On ouvre à 9 h.")}); !errors.As(err, &conflict) {
		t.Fatalf("other entries under the same key: %v", err)
	}
}

// Import writes one shard per pair, named by its content, so importing
// the same file twice adds nothing.
func TestImport(t *testing.T) {
	st, ctx := s3test.Store(t), context.Background()
	es := []tm.Entry{
		entry("en", "fr", "Office hours", "Heures d'ouverture"),
		entry("en", "es", "Office hours", "Horario de oficina"),
		entry("en", "fr", "We open at 9.", "Nous ouvrons à 9 h."),
	}
	keys, err := Import(ctx, st, es)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for k, n := range keys {
		switch {
		case strings.HasPrefix(k, store.TMPrefix("en", "fr")):
			counts["fr"] += n
		case strings.HasPrefix(k, store.TMPrefix("en", "es")):
			counts["es"] += n
		default:
			t.Errorf("shard %s outside both pairs", k)
		}
	}
	if len(keys) != 2 || counts["fr"] != 2 || counts["es"] != 1 {
		t.Fatalf("shards %v", keys)
	}
	again, err := Import(ctx, st, es)
	if err != nil {
		t.Fatal(err)
	}
	for k := range again {
		if _, ok := keys[k]; !ok {
			t.Fatalf("a second import of the same entries wrote %s", k)
		}
	}
	m, err := (&Memories{Store: st}).Load(ctx, "en", "fr")
	if err != nil {
		t.Fatal(err)
	}
	if m.Len() != 2 {
		t.Fatalf("en→fr memory after importing twice: %d entries, want 2", m.Len())
	}
}

// A damaged shard fails the load, naming the shard.
func TestLoadRefusesABadShard(t *testing.T) {
	st, ctx := s3test.Store(t), context.Background()
	key := store.TMImportShardKey("en", "fr", "0123456789abcdef")
	if _, err := st.Put(ctx, key, []byte("{not json\n"), store.Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := (&Memories{Store: st}).Load(ctx, "en", "fr"); err == nil || !strings.Contains(err.Error(), key) {
		t.Fatalf("bad shard: %v", err)
	}
}
