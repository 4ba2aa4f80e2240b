package render

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

func TestSitemapAlternatesAndFeed(t *testing.T) {
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	entries := []SiteEntry{{Slug: "harbour", Title: "Harbour & <quay>", Summary: "S.", PublishedAt: at, Locales: []string{"en", "fr", "ar"}}}
	b, err := Sitemap("https://news.example.org/", "fr", 1, []string{"en", "fr", "ar"}, entries)
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		XMLName xml.Name
		URLs    []struct {
			Loc   string `xml:"loc"`
			Links []struct {
				Rel      string `xml:"rel,attr"`
				Hreflang string `xml:"hreflang,attr"`
				Href     string `xml:"href,attr"`
			} `xml:"http://www.w3.org/1999/xhtml link"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(b, &set); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if set.XMLName.Space != "http://www.sitemaps.org/schemas/sitemap/0.9" || set.XMLName.Local != "urlset" || len(set.URLs) != 2 {
		t.Fatalf("sitemap: %+v\n%s", set, b)
	}
	if set.URLs[0].Loc != "https://news.example.org/fr/" || len(set.URLs[0].Links) != 3 {
		t.Errorf("front page entry: %+v", set.URLs[0])
	}
	u := set.URLs[1]
	if u.Loc != "https://news.example.org/fr/harbour/" || len(u.Links) != 4 {
		t.Fatalf("report entry: %+v", u)
	}
	want := map[string]string{"en": "https://news.example.org/en/harbour/", "fr": "https://news.example.org/fr/harbour/",
		"ar": "https://news.example.org/ar/harbour/", "x-default": "https://news.example.org/en/harbour/"}
	for _, l := range u.Links {
		if l.Rel != "alternate" || want[l.Hreflang] != l.Href {
			t.Errorf("alternate %+v", l)
		}
	}

	idx, err := SitemapIndex("https://news.example.org", "fr", 2)
	if err != nil || !strings.Contains(string(idx), "<loc>https://news.example.org/fr/sitemap/2.xml</loc>") {
		t.Errorf("index: %v\n%s", err, idx)
	}

	fb, err := Feed("https://news.example.org", "fr", entries)
	if err != nil {
		t.Fatal(err)
	}
	var feed struct {
		XMLName xml.Name
		Lang    string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Entries []struct {
			ID      string `xml:"id"`
			Title   string `xml:"title"`
			Updated string `xml:"updated"`
			Link    struct {
				Href string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(fb, &feed); err != nil {
		t.Fatalf("%v\n%s", err, fb)
	}
	if feed.XMLName.Space != "http://www.w3.org/2005/Atom" || feed.Lang != "fr" || feed.Updated != "2026-05-01T09:00:00Z" || len(feed.Entries) != 1 {
		t.Fatalf("feed: %+v\n%s", feed, fb)
	}
	if e := feed.Entries[0]; e.Title != "Harbour & <quay>" || e.Link.Href != "https://news.example.org/fr/harbour/" || e.Updated != "2026-05-01T09:00:00Z" {
		t.Errorf("feed entry: %+v", e)
	}
	empty, err := Feed("https://news.example.org", "fr", nil)
	if err != nil || xml.Unmarshal(empty, &feed) != nil || feed.Updated != "1970-01-01T00:00:00Z" {
		t.Errorf("empty feed: %v\n%s", err, empty)
	}
}
