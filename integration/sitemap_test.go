package integration

import (
	"context"
	"encoding/xml"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/releases"
	"github.com/pressroom/pressroom/internal/web"
)

type sitemapLinks struct {
	XMLName  xml.Name
	Sitemaps []struct {
		Loc string `xml:"loc"`
	} `xml:"sitemap"`
	URLs []struct {
		Loc   string `xml:"loc"`
		Links []struct {
			Hreflang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"http://www.w3.org/1999/xhtml link"`
	} `xml:"url"`
}

type atomLinks struct {
	XMLName xml.Name
	Title   string `xml:"title"`
	Entries []struct {
		Title string `xml:"title"`
		Link  struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

// Issue 10: each locale's sitemap (with hreflang alternates) and Atom
// feed are well-formed XML, every URL they list answers 200 from the
// reader site, and an unpublished page is in neither; every page links
// its alternates, x-default and canonical URL.
func TestSitemapAndFeedListOnlyLivePages(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for i, slug := range []string{"sitemap-one", "sitemap-two", "sitemap-gone"} {
		if _, err := runPublish(env.store, stagePublish(t, env.store, slug, "Sitemap "+slug, []string{"fr", "ar"}, at.Add(time.Duration(i)*time.Minute))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := releases.Unpublish(ctx, env.store, "sitemap-gone", []string{"ar"}, "edith", "withdrawn in Arabic", time.Now()); err != nil {
		t.Fatal(err)
	}
	site := httptest.NewServer(web.Routes(env.store, &web.API{}))
	defer site.Close()
	fetchXML := func(url string, v any) {
		t.Helper()
		path := strings.TrimPrefix(url, site.URL)
		if path == url {
			t.Fatalf("%s is not on the reader site %s", url, site.URL)
		}
		code, body, hdr := siteGet(t, site.URL, path)
		if code != 200 || !strings.Contains(hdr.Get("Content-Type"), "xml") {
			t.Fatalf("%s: %d %s", path, code, hdr.Get("Content-Type"))
		}
		if err := xml.Unmarshal([]byte(body), v); err != nil {
			t.Fatalf("%s is not well-formed XML: %v\n%s", path, err, body)
		}
	}
	answers200 := map[string]bool{}
	mustAnswer := func(url string) {
		t.Helper()
		if answers200[url] {
			return
		}
		if code, _, _ := siteGet(t, site.URL, strings.TrimPrefix(url, site.URL)); code != 200 {
			t.Errorf("%s listed, answers %d", url, code)
		}
		answers200[url] = true
	}
	for _, l := range []string{"en", "fr", "ar"} {
		var idx sitemapLinks
		fetchXML(site.URL+"/"+l+"/sitemap.xml", &idx)
		if idx.XMLName.Local != "sitemapindex" || len(idx.Sitemaps) == 0 {
			t.Fatalf("%s sitemap index: %+v", l, idx)
		}
		listed := map[string]bool{}
		for _, part := range idx.Sitemaps {
			var set sitemapLinks
			fetchXML(part.Loc, &set)
			if set.XMLName.Local != "urlset" {
				t.Fatalf("%s: %s", part.Loc, set.XMLName.Local)
			}
			for _, u := range set.URLs {
				listed[u.Loc] = true
				mustAnswer(u.Loc)
				langs := map[string]bool{}
				for _, a := range u.Links {
					langs[a.Hreflang] = true
					mustAnswer(a.Href)
				}
				if strings.Contains(u.Loc, "/sitemap-one/") && (!langs["en"] || !langs["fr"] || !langs["ar"] || !langs["x-default"]) {
					t.Errorf("%s alternates: %+v", u.Loc, u.Links)
				}
			}
		}
		for _, slug := range []string{"sitemap-one", "sitemap-two"} {
			if !listed[site.URL+"/"+l+"/"+slug+"/"] {
				t.Errorf("%s sitemap lacks %s", l, slug)
			}
		}
		if gone := listed[site.URL+"/"+l+"/sitemap-gone/"]; gone != (l != "ar") {
			t.Errorf("%s sitemap lists the report unpublished in ar: %v", l, gone)
		}
		var feed atomLinks
		fetchXML(site.URL+"/"+l+"/feed.xml", &feed)
		if feed.XMLName.Space != "http://www.w3.org/2005/Atom" || len(feed.Entries) < 2 {
			t.Fatalf("%s feed: %+v", l, feed)
		}
		for _, e := range feed.Entries {
			mustAnswer(e.Link.Href)
			if l == "ar" && strings.Contains(e.Link.Href, "sitemap-gone") {
				t.Errorf("ar feed lists the unpublished page")
			}
		}
	}
	if code, _, _ := siteGet(t, site.URL, "/fr/sitemap/99.xml"); code != 404 {
		t.Errorf("a sitemap part past the last: %d", code)
	}
	_, front, _ := siteGet(t, site.URL, "/fr/")
	for _, want := range []string{`<link rel="canonical" href="./">`, `hreflang="ar" href="../ar/"`, `hreflang="x-default"`} {
		if !strings.Contains(front, want) {
			t.Errorf("fr front page lacks %s", want)
		}
	}
	// The page itself: canonical, every alternate and x-default.
	_, page, _ := siteGet(t, site.URL, "/fr/sitemap-one/")
	for _, want := range []string{`<link rel="canonical" href="../../fr/sitemap-one/">`, `hreflang="en" href="../../en/sitemap-one/"`,
		`hreflang="ar" href="../../ar/sitemap-one/"`, `hreflang="x-default" href="../../en/sitemap-one/"`} {
		if !strings.Contains(page, want) {
			t.Errorf("fr page lacks %s", want)
		}
	}
}
