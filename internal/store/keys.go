package store

import "fmt"

// The object layout. Every key Pressroom reads or writes is named here.
//
//	drafts/<slug>/<source-sha256>/source.json                    source segments (claim check)
//	drafts/<slug>/<source-sha256>/<locale>/<sha256>.json         translation draft revisions, content-addressed
//	drafts/<slug>/<source-sha256>/<locale>/edits/<sha256>.json   reviewer edits, uploaded before the review Update
//	releases/<slug>/v<N>/claim.json                              reserves v<N> for one content (written first)
//	releases/<slug>/v<N>/...                                     one immutable release
//	releases/<slug>/latest.json                                  pointer to the release readers get
//	releases/<slug>/history/<time>-<action>.json                 a recorded rollback or unpublish
//	site/<locale>/<slug>/index.html                              the reader site's report pages
//	site/<locale>/list.json, site/<locale>/list/<n>.json         the list's data (conditional writes), rendered as
//	                                                             /<locale>/ and /<locale>/page/<n>/ on request
//	site/<locale>/list/slugs/<slug>.json                         which archive page lists a report
//	withdrawn/<slug>/<locale>.json                               tombstone: the page was unpublished (410); never served
//	previews/revoked/<token-id>.json                             a revoked preview link
//	previews/revoked-slugs/<slug>.json                           every preview link of a report made before it is revoked
//	previews/secret.key                                          the preview signing key when PRESSROOM_PREVIEW_SECRET is unset

// SourceKey is the claim check of a report's source revision.
func SourceKey(slug, sourceSHA string) string {
	return fmt.Sprintf("drafts/%s/%s/source.json", slug, sourceSHA)
}

// DraftKey is one revision of a translation draft. Drafts are
// content-addressed so a retried activity writes the same key.
func DraftKey(slug, sourceSHA, locale, draftSHA string) string {
	return fmt.Sprintf("drafts/%s/%s/%s/%s.json", slug, sourceSHA, locale, draftSHA)
}

// EditsKey holds a reviewer's edits to a draft.
func EditsKey(slug, sourceSHA, locale, editsSHA string) string {
	return fmt.Sprintf("drafts/%s/%s/%s/edits/%s.json", slug, sourceSHA, locale, editsSHA)
}

// ReleasesPrefix lists every report that has releases.
const ReleasesPrefix = "releases/"

// ReportReleasesPrefix holds every release of one report and its history.
func ReportReleasesPrefix(slug string) string {
	return fmt.Sprintf("releases/%s/", slug)
}

// ReleaseHistoryPrefix holds the record of every change of what a report
// serves (rollbacks), one immutable object each.
func ReleaseHistoryPrefix(slug string) string {
	return ReportReleasesPrefix(slug) + "history/"
}

// ReleaseHistoryKey records one change; stamp sorts by time.
func ReleaseHistoryKey(slug, stamp, action string) string {
	return fmt.Sprintf("%s%s-%s.json", ReleaseHistoryPrefix(slug), stamp, action)
}

// ReleasePrefix is the folder of one release.
func ReleasePrefix(slug string, version int) string {
	return fmt.Sprintf("releases/%s/v%d/", slug, version)
}

// ReleaseClaimKey reserves a version number for one content.
func ReleaseClaimKey(slug string, version int) string {
	return ReleasePrefix(slug, version) + "claim.json"
}

// ReleasePageKey is a release's rendered page in one locale.
func ReleasePageKey(slug string, version int, locale string) string {
	return ReleasePrefix(slug, version) + locale + "/index.html"
}

// ReleaseMarkdownKey is a release's Markdown in one locale.
func ReleaseMarkdownKey(slug string, version int, locale string) string {
	return ReleasePrefix(slug, version) + locale + "/report.md"
}

// ReleaseCatalogKey is a release's go-i18n message file; ext is "toml" or "json".
func ReleaseCatalogKey(slug string, version int, locale, ext string) string {
	return ReleasePrefix(slug, version) + "catalogs/active." + locale + "." + ext
}

// ReleaseProvenanceKey records which release first approved each
// segment of a release's locale.
func ReleaseProvenanceKey(slug string, version int, locale string) string {
	return ReleasePrefix(slug, version) + locale + "/provenance.json"
}

// ManifestKey lists every object of a release.
func ManifestKey(slug string, version int) string {
	return ReleasePrefix(slug, version) + "manifest.json"
}

// LatestKey points at a report's newest release.
func LatestKey(slug string) string {
	return fmt.Sprintf("releases/%s/latest.json", slug)
}

// SitePageKey is the stable reader URL of a report in one locale.
func SitePageKey(locale, slug string) string {
	return fmt.Sprintf("site/%s/%s/index.html", locale, slug)
}

// WithdrawnKey marks a report's page in one locale as unpublished: the
// reader site answers 410 Gone where the page used to be. It is outside
// site/ (everything there is the reader site's, and the tombstone records
// who withdrew the page and why) and outside releases/ (an unpublish
// changes no release object).
func WithdrawnKey(slug, locale string) string {
	return fmt.Sprintf("withdrawn/%s/%s.json", slug, locale)
}

// PreviewRevokedKey revokes one preview link.
func PreviewRevokedKey(id string) string { return "previews/revoked/" + id + ".json" }

// PreviewRevokedSlugKey revokes every preview link of a report made
// before the time it records.
func PreviewRevokedSlugKey(slug string) string { return "previews/revoked-slugs/" + slug + ".json" }

// PreviewSecretKey holds the generated preview signing key.
const PreviewSecretKey = "previews/secret.key"

// SiteListKey is the head of a locale's list: the newest entries and the
// number of archive pages. Updated with If-Match by every publish.
func SiteListKey(locale string) string {
	return fmt.Sprintf("site/%s/list.json", locale)
}

// SiteListPageKey holds the entries of archive page n, updated with If-Match.
func SiteListPageKey(locale string, n int) string {
	return fmt.Sprintf("site/%s/list/%d.json", locale, n)
}

// SiteListSlotKey names the archive page a report is listed on; written
// once, with If-None-Match.
func SiteListSlotKey(locale, slug string) string {
	return fmt.Sprintf("site/%s/list/slugs/%s.json", locale, slug)
}

// ChecksKey holds the quality-check findings of one draft revision.
func ChecksKey(slug, sourceSHA, locale, draftSHA string) string {
	return fmt.Sprintf("drafts/%s/%s/%s/%s.checks.json", slug, sourceSHA, locale, draftSHA)
}

// TMPrefix is the folder of one language pair's translation memory: one
// immutable JSON Lines shard per published release, and one per import.
func TMPrefix(sourceLocale, targetLocale string) string {
	return fmt.Sprintf("tm/%s/%s/", sourceLocale, targetLocale)
}

// TMReleaseShardKey holds the segments a release approved in one locale.
func TMReleaseShardKey(sourceLocale, targetLocale, slug string, version int) string {
	return fmt.Sprintf("%srelease-%s-v%d.jsonl", TMPrefix(sourceLocale, targetLocale), slug, version)
}

// TMImportShardKey holds entries imported from a TMX file.
func TMImportShardKey(sourceLocale, targetLocale, sha string) string {
	return fmt.Sprintf("%simport-%s.jsonl", TMPrefix(sourceLocale, targetLocale), sha)
}

// TMRoot lists every language pair in the memory.
const TMRoot = "tm/"
