package activities

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/releases"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/sitelist"
	"github.com/pressroom/pressroom/internal/store"
	"github.com/pressroom/pressroom/internal/tm"
	"github.com/pressroom/pressroom/internal/tmstore"
	"github.com/pressroom/pressroom/workflows"
)

// Publish writes one immutable release, then moves the latest pointer,
// then updates the reader site. Every step is safe to repeat: release
// objects are written with If-None-Match and a retry meets its own bytes;
// publishing content identical to the latest release reuses it.
func (a *Activities) Publish(ctx context.Context, in workflows.PublishInput) (workflows.Release, error) {
	// The source, every draft and the latest release are independent
	// reads: all at once.
	var src report.Report
	translations := make([]report.Translation, len(in.Locales))
	var latest release.Latest
	var prev *release.Manifest
	err := eachParallel(ctx, len(in.Locales)+2, func(ctx context.Context, i int) error {
		var err error
		switch i {
		case 0:
			src, err = a.loadSource(ctx, in.Source)
		case 1:
			latest, prev, err = a.latest(ctx, in.Slug)
		default:
			translations[i-2], err = a.loadDraft(ctx, in.Locales[i-2].Draft)
		}
		return err
	})
	if err != nil {
		return workflows.Release{}, err
	}
	if src.Slug != in.Slug {
		return workflows.Release{}, badInput("source %s is the report %q, not %q", in.Source.Key, src.Slug, in.Slug)
	}
	relIn := release.Input{Source: src, SourceSHA256: in.Source.SHA256, PublishedAt: in.PublishedAt, Translations: translations}
	for _, ls := range in.Locales {
		relIn.DraftSHA256 = append(relIn.DraftSHA256, ls.Draft.SHA256)
	}
	for _, ap := range in.Approvals {
		relIn.Approvals = append(relIn.Approvals, release.Approval{Locale: ap.Locale, By: ap.By, At: ap.At})
	}

	if prev != nil && prev.Content == relIn.ContentID() {
		// Same content is already the latest release: make sure the site
		// shows it (a previous attempt may have stopped short) and reuse it.
		if err := a.publishSite(ctx, *prev, nil); err != nil {
			return workflows.Release{}, err
		}
		// The memory holds this release already unless an earlier attempt
		// stopped before writing it; the first shard written stands.
		relIn.PublishedAt = prev.PublishedAt
		if err := a.remember(ctx, relIn, in.Approvals, prev.Version, true); err != nil {
			return workflows.Release{}, err
		}
		return a.releaseOf(ctx, *prev, latest, true)
	}
	// Each segment's first approval carries over from the live release.
	if relIn.Previous, err = a.previousProvenance(ctx, prev, relIn.Locales()[1:]); err != nil {
		return workflows.Release{}, err
	}
	relIn, files, m, err := a.claimVersion(ctx, relIn, latest.Version+1)
	if err != nil {
		return workflows.Release{}, err
	}
	// The claim (files[0]) is written. The release's objects go up in
	// parallel; the manifest, which says the release is complete, only
	// after all of them, and the pointer after the manifest.
	objects, manifest := files[1:len(files)-1], files[len(files)-1]
	var written atomic.Int64
	err = eachParallel(ctx, len(objects), func(ctx context.Context, i int) error {
		if err := a.putRelease(ctx, objects[i]); err != nil {
			return err
		}
		activity.RecordHeartbeat(ctx, fmt.Sprintf("release object %d/%d", written.Add(1)+1, len(files)))
		return nil
	})
	if err != nil {
		return workflows.Release{}, err
	}
	if err := a.putRelease(ctx, manifest); err != nil {
		return workflows.Release{}, err
	}
	ptr, err := release.LatestFile(m)
	if err != nil {
		return workflows.Release{}, err
	}
	if _, err := a.Store.Put(ctx, ptr.Key, ptr.Body, ptr.Meta); err != nil {
		return workflows.Release{}, err
	}
	// The site and the memory are independent of each other: at once.
	err = eachParallel(ctx, 2, func(ctx context.Context, i int) error {
		if i == 0 {
			return a.publishSite(ctx, m, files)
		}
		return a.remember(ctx, relIn, in.Approvals, m.Version, false)
	})
	if err != nil {
		return workflows.Release{}, err
	}
	return workflows.Release{
		Version:  m.Version,
		Manifest: workflows.Ref{Key: manifest.Key, SHA256: store.SHA256(manifest.Body), Size: int64(len(manifest.Body))},
		Objects:  len(files),
	}, nil
}

// putRelease writes one immutable release object; different bytes
// already there are a conflict no retry can fix.
func (a *Activities) putRelease(ctx context.Context, f release.File) error {
	_, err := a.Store.PutImmutable(ctx, f.Key, f.Body, f.Meta)
	var conflict *store.ImmutableConflictError
	if errors.As(err, &conflict) {
		return temporal.NewNonRetryableApplicationError(err.Error(), workflows.ErrConflict, err)
	}
	return err
}

// maxOrphans bounds how many abandoned version numbers a publish skips.
// Complete releases above the pointer (left there by a rollback) are
// skipped too but not counted: they are history, not abandoned work.
const maxOrphans = 20

// claimVersion builds the release at the first version from next on whose
// claim is free or already this content's. A claim of this content — a
// retry, or a rerun of a publish that was stopped half-way, however much
// later — is finished as it was claimed: the claim's time, approvals and
// drafts are rebuilt into byte-identical objects, so the rerun meets its
// own bytes and converges. A number claimed by other content is skipped,
// so an abandoned partial release never blocks the slug. It returns the
// input as built (stamped by the claim when one was found).
func (a *Activities) claimVersion(ctx context.Context, in release.Input, next int) (release.Input, []release.File, release.Manifest, error) {
	orphans := 0
	for v := next; orphans < maxOrphans; v++ {
		in.Version = v
		// Rendered first: input that cannot be built claims no number.
		files, m, err := release.Build(in)
		if err != nil {
			return in, nil, m, temporal.NewNonRetryableApplicationError(err.Error(), workflows.ErrBadInput, err)
		}
		claim := files[0]
		_, err = a.Store.PutImmutable(ctx, claim.Key, claim.Body, claim.Meta)
		var conflict *store.ImmutableConflictError
		switch {
		case err == nil:
			return in, files, m, nil
		case errors.As(err, &conflict):
			var c release.Claim
			if gerr := a.Store.GetJSON(ctx, claim.Key, &c); gerr != nil {
				return in, nil, m, gerr
			}
			if stamped, serr := in.Stamp(c); serr == nil {
				files, m, err := release.Build(stamped)
				if err != nil {
					return in, nil, m, temporal.NewNonRetryableApplicationError(err.Error(), workflows.ErrBadInput, err)
				}
				activity.GetLogger(ctx).Info("finishing the release this content claimed earlier", "slug", in.Source.Slug, "version", v, "claimed_at", c.PublishedAt)
				return stamped, files, m, nil
			}
			var done release.Manifest
			switch gerr := a.Store.GetJSON(ctx, store.ManifestKey(in.Source.Slug, v), &done); {
			case gerr == nil:
				activity.GetLogger(ctx).Info("version is a complete release not served (rolled back from); trying the next", "slug", in.Source.Slug, "version", v)
			case errors.Is(gerr, store.ErrNotFound):
				orphans++
				activity.GetLogger(ctx).Warn("version taken by an abandoned publish; trying the next", "slug", in.Source.Slug, "version", v)
			default:
				return in, nil, m, gerr
			}
		default:
			return in, nil, m, err
		}
	}
	return in, nil, release.Manifest{}, temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("%d versions of %s from %d on are claimed by unfinished publishes", maxOrphans, in.Source.Slug, next), workflows.ErrConflict, nil)
}

// remember adds every approved segment of the release to the translation
// memory: one immutable shard per target locale. With keepExisting a
// shard already written for this release stands as it is.
func (a *Activities) remember(ctx context.Context, in release.Input, approvals []workflows.Approval, version int, keepExisting bool) error {
	return eachParallel(ctx, len(in.Translations), func(ctx context.Context, i int) error {
		t := in.Translations[i]
		approver := ""
		for _, ap := range approvals {
			if ap.Locale == t.Locale {
				approver = ap.By
			}
		}
		es, err := tmstore.ReleaseEntries(in.Source, t, approver, in.PublishedAt)
		if err != nil {
			return err
		}
		key := store.TMReleaseShardKey(in.Source.Source, t.Locale, in.Source.Slug, version)
		write := func(ctx context.Context, key string, es []tm.Entry) error {
			return tmstore.WriteShard(ctx, a.Store, key, es)
		}
		if a.Memories != nil {
			write = a.Memories.WriteShard
		}
		var conflict *store.ImmutableConflictError
		if err := write(ctx, key, es); err != nil && !(keepExisting && errors.As(err, &conflict)) {
			return err
		}
		return nil
	})
}

// latest reads a report's pointer and the manifest it points to; a report
// never published has version 0 and no manifest.
func (a *Activities) latest(ctx context.Context, slug string) (release.Latest, *release.Manifest, error) {
	var l release.Latest
	if err := a.Store.GetJSON(ctx, store.LatestKey(slug), &l); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return release.Latest{}, nil, nil
		}
		return l, nil, err
	}
	var m release.Manifest
	if err := a.Store.GetJSON(ctx, l.Manifest, &m); err != nil {
		return l, nil, err
	}
	return l, &m, nil
}

func (a *Activities) releaseOf(ctx context.Context, m release.Manifest, l release.Latest, reused bool) (workflows.Release, error) {
	b, err := a.Store.Get(ctx, l.Manifest)
	if err != nil {
		return workflows.Release{}, err
	}
	return workflows.Release{
		Version:  m.Version,
		Manifest: workflows.Ref{Key: l.Manifest, SHA256: store.SHA256(b), Size: int64(len(b))},
		Objects:  len(m.Objects) + 1,
		Reused:   reused,
	}, nil
}

// publishSite copies a release's pages to the stable reader URLs and
// lists the report in each locale's list. files are the release's
// objects when this call just built them; nil reads the pages back. It
// reads nothing of any other report, so its cost does not grow with the
// site and another report's broken objects cannot stop it.
func (a *Activities) publishSite(ctx context.Context, m release.Manifest, files []release.File) error {
	if files == nil {
		for _, locale := range m.Locales {
			key := store.ReleasePageKey(m.Slug, m.Version, locale)
			body, err := a.Store.Get(ctx, key)
			if err != nil {
				return err
			}
			files = append(files, release.File{Key: key, Body: body, Meta: store.Meta{ContentType: "text/html; charset=utf-8", ContentLanguage: locale}})
		}
	}
	pages := release.SitePages(files, m)
	if err := eachParallel(ctx, len(pages), func(ctx context.Context, i int) error {
		_, err := a.Store.Put(ctx, pages[i].Key, pages[i].Body, pages[i].Meta)
		return err
	}); err != nil {
		return err
	}
	// Each locale's list is its own objects: all at once.
	list := sitelist.List{Store: a.Store, Progress: func(s string) { activity.RecordHeartbeat(ctx, s) }}
	return eachParallel(ctx, len(m.Locales), func(ctx context.Context, i int) error {
		return list.Add(ctx, m.Locales[i], releases.ListEntry(m, m.Locales[i]), m.Locales)
	})
}
