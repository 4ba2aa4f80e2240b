package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/releases"
	"github.com/pressroom/pressroom/internal/releases/releasetest"
	"github.com/pressroom/pressroom/internal/s3test"
	"github.com/pressroom/pressroom/internal/store"
)

func TestMain(m *testing.M) { s3test.Main(m) }

func get(t *testing.T, base, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Issue 10 review: the tombstone records who withdrew a page and why; the
// reader site answers 410 where the page was and never serves the
// tombstone or the list's data objects.
func TestSiteServesPagesNotTombstonesOrListData(t *testing.T) {
	st, ctx := s3test.Store(t), context.Background()
	const slug = "withdrawn-report"
	releasetest.Publish(t, st, slug, 1, []string{"fr"}, time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC))
	if _, err := releases.Unpublish(ctx, st, slug, []string{"fr"}, "edith", "secret legal reason", time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get(ctx, store.WithdrawnKey(slug, "fr")); err != nil {
		t.Fatalf("no tombstone after the unpublish: %v", err)
	}
	srv := httptest.NewServer(SiteHandler(st, "en"))
	defer srv.Close()
	if code, body := get(t, srv.URL, "/fr/"+slug+"/"); code != http.StatusGone || strings.Contains(body, "secret legal reason") || strings.Contains(body, "edith") {
		t.Errorf("withdrawn page: %d, or its body names who or why:\n%s", code, body)
	}
	if code, _ := get(t, srv.URL, "/en/"+slug+"/"); code != http.StatusOK {
		t.Errorf("page still published: %d", code)
	}
	if code, _ := get(t, srv.URL, "/en/"+slug+"/index.html"); code != http.StatusOK {
		t.Errorf("index.html by name: %d", code)
	}
	for _, p := range []string{"/fr/" + slug + "/gone.json", "/fr/list.json", "/en/list.json", "/fr/list/1.json",
		"/fr/list/slugs/" + slug + ".json", "/en/list/slugs/" + slug + ".json"} {
		if code, body := get(t, srv.URL, p); code != http.StatusNotFound || strings.Contains(body, "secret legal reason") {
			t.Errorf("GET %s: %d, want 404:\n%s", p, code, body)
		}
	}
	if code, body := get(t, srv.URL, "/en/sitemap/1.xml"); code != http.StatusOK || !strings.Contains(body, slug) {
		t.Errorf("sitemap, read from the list data: %d\n%s", code, body)
	}
}
