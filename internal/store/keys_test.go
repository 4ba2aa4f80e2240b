package store

import (
	"strings"
	"testing"
)

// The object layout README.md and keys.go document, key by key: a key
// that moves breaks every stored report and every reader URL.
func TestKeyLayout(t *testing.T) {
	const src, sha = "0a1b", "9f8e"
	for got, want := range map[string]string{
		SourceKey("s", src):                          "drafts/s/0a1b/source.json",
		DraftKey("s", src, "fr", sha):                "drafts/s/0a1b/fr/9f8e.json",
		ChecksKey("s", src, "fr", sha):               "drafts/s/0a1b/fr/9f8e.checks.json",
		EditsKey("s", src, "fr", sha):                "drafts/s/0a1b/fr/edits/9f8e.json",
		ReleasePrefix("s", 3):                        "releases/s/v3/",
		ReleaseClaimKey("s", 3):                      "releases/s/v3/claim.json",
		ReleasePageKey("s", 3, "zh-Hans"):            "releases/s/v3/zh-Hans/index.html",
		ReleaseMarkdownKey("s", 3, "ar"):             "releases/s/v3/ar/report.md",
		ReleaseCatalogKey("s", 3, "fr", "toml"):      "releases/s/v3/catalogs/active.fr.toml",
		ManifestKey("s", 3):                          "releases/s/v3/manifest.json",
		LatestKey("s"):                               "releases/s/latest.json",
		SitePageKey("fr", "s"):                       "site/fr/s/index.html",
		TMPrefix("en", "fr"):                         "tm/en/fr/",
		TMReleaseShardKey("en", "fr", "s", 3):        "tm/en/fr/release-s-v3.jsonl",
		TMImportShardKey("en", "fr", "0123456789ab"): "tm/en/fr/import-0123456789ab.jsonl",
	} {
		if got != want {
			t.Errorf("key %q, want %q", got, want)
		}
	}
}

// Listing relies on prefixes: every key of a release lies under its
// release prefix and ReleasesPrefix, every shard under its pair's TMPrefix
// and TMRoot, and a version's prefix never contains another's (v1/ and
// v10/).
func TestKeysLieUnderTheirPrefixes(t *testing.T) {
	rel := ReleasePrefix("s", 1)
	for _, k := range []string{ReleaseClaimKey("s", 1), ReleasePageKey("s", 1, "fr"), ReleaseMarkdownKey("s", 1, "fr"),
		ReleaseCatalogKey("s", 1, "fr", "json"), ManifestKey("s", 1)} {
		if !strings.HasPrefix(k, rel) || !strings.HasPrefix(k, ReleasesPrefix) {
			t.Errorf("%s is not under %s", k, rel)
		}
	}
	if strings.HasPrefix(ReleaseClaimKey("s", 10), rel) {
		t.Errorf("v10's claim %s lies under v1's prefix %s", ReleaseClaimKey("s", 10), rel)
	}
	if !strings.HasPrefix(LatestKey("s"), ReleasesPrefix) || strings.HasPrefix(LatestKey("s"), rel) {
		t.Errorf("latest.json %s must be under %s, outside any version", LatestKey("s"), ReleasesPrefix)
	}
	pair := TMPrefix("en", "fr")
	for _, k := range []string{TMReleaseShardKey("en", "fr", "s", 1), TMImportShardKey("en", "fr", "ab")} {
		if !strings.HasPrefix(k, pair) || !strings.HasPrefix(k, TMRoot) || !strings.HasSuffix(k, ".jsonl") {
			t.Errorf("shard %s is not a .jsonl under %s", k, pair)
		}
	}
	if strings.HasPrefix(TMReleaseShardKey("en", "fr-CA", "s", 1), pair) {
		t.Errorf("fr-CA's shard lies under fr's prefix %s", pair)
	}
}
