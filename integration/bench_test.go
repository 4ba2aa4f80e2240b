package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/sitelist"
	"github.com/pressroom/pressroom/internal/store"
)

// BenchmarkPublishSiteSize publishes a two-locale report (en, fr) into a
// site that already holds 100 and, alternately, into one that holds 2,000
// published reports, against the real versitygw: each iteration is one
// publish into each, in turns, so both meet the same load, and the ratio
// is of one run. Each size has its own bucket; the existing reports have a pointer,
// a manifest and their list entries, as published ones do.
//
//	go test -run '^$' -bench PublishSiteSize -benchtime 40x ./integration
func BenchmarkPublishSiteSize(b *testing.B) {
	sizes := []int{100, 2000}
	sites := make([]*store.Store, len(sizes))
	at := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	for j, size := range sizes {
		sites[j] = siteOfSize(b, size)
		// One untimed publish first, so connections and caches are warm
		// for both sizes alike.
		if _, err := runPublish(sites[j], stagePublish(b, sites[j], fmt.Sprintf("bench-warm-%d", size), "Warm-up", []string{"fr"}, at.Add(-time.Hour))); err != nil {
			b.Fatal(err)
		}
	}
	took := make([]time.Duration, len(sizes))
	run := time.Now().UnixNano() // a rerun on the same buckets publishes new slugs
	b.ResetTimer()
	for i := range b.N {
		for o := range sizes {
			j := (o + i) % len(sizes) // each goes first every other time: no order effect
			size := sizes[j]
			b.StopTimer()
			in := stagePublish(b, sites[j], fmt.Sprintf("bench-new-%d-%d-%d", size, run, i), "A new report", []string{"fr"}, at.Add(time.Duration(i)*time.Minute))
			b.StartTimer()
			start := time.Now()
			if _, err := runPublish(sites[j], in); err != nil {
				b.Fatal(err)
			}
			took[j] += time.Since(start)
		}
	}
	for j, size := range sizes {
		b.ReportMetric(float64(took[j].Milliseconds())/float64(b.N), fmt.Sprintf("ms/publish-into-%d", size))
	}
	b.ReportMetric(float64(took[1])/float64(took[0]), "ratio-2000/100")
}

// siteOfSize is a bucket holding n published reports in en and fr. The
// lists are built by the same sitelist code a publish runs, in memory
// (fast), and then copied to the bucket in parallel.
func siteOfSize(b *testing.B, n int) *store.Store {
	b.Helper()
	ctx := context.Background()
	cfg := env.cfg.Store()
	cfg.Bucket = fmt.Sprintf("bench-site-%d", n)
	s, err := store.New(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.EnsureBucket(ctx); err != nil {
		b.Fatal(err)
	}
	if _, _, err := s.GetWithETag(ctx, store.SiteListKey("fr")); err == nil {
		return s // made by an earlier round of this benchmark
	}
	start := time.Now()
	mem := &memObjects{objects: map[string][]byte{}}
	list := sitelist.List{Store: mem}
	for i := range n {
		slug := fmt.Sprintf("existing-%05d", i)
		m := release.Manifest{Slug: slug, Version: 1, Locales: []string{"en", "fr"}, PublishedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
			Titles: map[string]string{"en": "Existing report " + slug, "fr": "Rapport existant " + slug}}
		mem.objects[store.ManifestKey(slug, 1)], _ = json.Marshal(m)
		mem.objects[store.LatestKey(slug)], _ = json.Marshal(release.Latest{Version: 1, Manifest: store.ManifestKey(slug, 1)})
		for _, l := range m.Locales {
			e := sitelist.Entry{Slug: slug, Title: m.Titles[l], PublishedAt: m.PublishedAt, Version: 1}
			if err := list.Add(ctx, l, e, m.Locales); err != nil {
				b.Fatal(err)
			}
		}
	}
	keys := make(chan string)
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range keys {
				if _, err := s.Put(ctx, k, mem.objects[k], store.Meta{ContentType: "application/json"}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	for k := range mem.objects {
		keys <- k
	}
	close(keys)
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.Logf("site of %d reports (%d objects) ready in %s", n, len(mem.objects), time.Since(start).Round(time.Second))
	return s
}

// memObjects is an in-memory object store with conditional writes, for
// building a large site quickly; one goroutine uses it.
type memObjects struct{ objects map[string][]byte }

func (m *memObjects) GetWithETag(_ context.Context, key string) ([]byte, string, error) {
	b, ok := m.objects[key]
	if !ok {
		return nil, "", fmt.Errorf("%s: %w", key, store.ErrNotFound)
	}
	return b, store.SHA256(b), nil
}

func (m *memObjects) PutIfMatch(_ context.Context, key string, body []byte, _ store.Meta, etag string) (string, error) {
	if cur, ok := m.objects[key]; (etag == "" && ok) || (etag != "" && store.SHA256(cur) != etag) {
		return "", fmt.Errorf("%s: %w", key, store.ErrChanged)
	}
	m.objects[key] = body
	return store.SHA256(body), nil
}

func (m *memObjects) Put(_ context.Context, key string, body []byte, _ store.Meta) (store.Object, error) {
	m.objects[key] = body
	return store.Object{Key: key}, nil
}
