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

// The list pages are rendered from the list's data when asked for: a
// publish or an unpublish shows on the next request, with no HTML of its
// own to keep in step.
func TestListPagesRenderFromTheListData(t *testing.T) {
	st, ctx := s3test.Store(t), context.Background()
	at := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	releasetest.Publish(t, st, "first-report", 1, []string{"fr"}, at)
	releasetest.Publish(t, st, "second-report", 1, []string{"fr"}, at.Add(time.Hour))
	srv := httptest.NewServer(SiteHandler(st, "en"))
	defer srv.Close()
	for _, p := range []string{"/fr/", "/fr/index.html", "/fr/page/1/", "/fr/page/1/index.html"} {
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body := string(b)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, `first-report/"`) || !strings.Contains(body, `second-report/"`) {
			t.Errorf("GET %s: %d, want both reports listed:\n%s", p, resp.StatusCode, body)
		}
		if ct, cl := resp.Header.Get("Content-Type"), resp.Header.Get("Content-Language"); !strings.HasPrefix(ct, "text/html") || cl != "fr" {
			t.Errorf("GET %s: Content-Type %q, Content-Language %q", p, ct, cl)
		}
		if resp.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: no Content-Security-Policy", p)
		}
	}
	if front, page1 := mustBody(t, srv.URL+"/fr/"), mustBody(t, srv.URL+"/fr/page/1/"); strings.Index(front, "second-report") > strings.Index(front, "first-report") ||
		!strings.Contains(front, `href="page/1/"`) || !strings.Contains(page1, `href="../../first-report/"`) {
		t.Errorf("front page not newest first, or links wrong:\n%s\n---\n%s", front, page1)
	}
	for _, p := range []string{"/fr/page/2/", "/de/", "/de/page/1/", "/fr/page/0/"} {
		if code, _ := get(t, srv.URL, p); code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, code)
		}
	}
	req, _ := http.NewRequest(http.MethodHead, srv.URL+"/fr/", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("HEAD /fr/: %v %v", resp, err)
	} else if b, _ := io.ReadAll(resp.Body); len(b) != 0 {
		t.Errorf("HEAD /fr/ has a body of %d bytes", len(b))
	}
	if _, err := releases.Unpublish(ctx, st, "first-report", []string{"fr"}, "edith", "test", time.Now()); err != nil {
		t.Fatal(err)
	}
	if front := mustBody(t, srv.URL+"/fr/"); strings.Contains(front, "first-report") || !strings.Contains(front, "second-report") {
		t.Errorf("after the unpublish the front page is:\n%s", front)
	}
}

func mustBody(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", url, resp.StatusCode, b)
	}
	return string(b)
}
