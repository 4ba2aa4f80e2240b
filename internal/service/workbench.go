package service

import (
	"context"
	"sync"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/workflows"
)

// MayWork says whether u may see and complete a locale's task assigned to
// assignee: admins always; translators of the locale when it is theirs or
// the locale's pool's.
func MayWork(u auth.User, locale, assignee string) bool {
	if u.Role == auth.RoleAdmin {
		return true
	}
	if !u.CanTranslate(locale) {
		return false
	}
	return assignee == u.Name || assignee == "" || assignee == workflows.PoolAssignee
}

// SourceInfo is what lists show of a report's source.
type SourceInfo struct {
	Title  string
	Locale string
	Format report.Format
	Date   string
}

// infos caches SourceInfo by the source's sha256: sources are immutable,
// and every list of tasks and reports wants their titles.
var infos struct {
	sync.Mutex
	m map[string]SourceInfo
}

// maxCachedInfos bounds the cache (a few hundred bytes each); beyond it,
// it starts afresh.
const maxCachedInfos = 10_000

// Source reads a report's source segments.
func (s *Service) Source(ctx context.Context, ref workflows.Ref) (report.Report, error) {
	var r report.Report
	return r, s.getJSON(ctx, ref, &r)
}

// Info returns a source's title, locale, format and date, cached.
func (s *Service) Info(ctx context.Context, ref workflows.Ref) (SourceInfo, error) {
	infos.Lock()
	in, ok := infos.m[ref.SHA256]
	infos.Unlock()
	if ok {
		return in, nil
	}
	r, err := s.Source(ctx, ref)
	if err != nil {
		return in, err
	}
	in = SourceInfo{Title: Title(r), Locale: r.Source, Format: r.Format, Date: r.Date}
	infos.Lock()
	if infos.m == nil || len(infos.m) >= maxCachedInfos {
		infos.m = map[string]SourceInfo{}
	}
	infos.m[ref.SHA256] = in
	infos.Unlock()
	return in, nil
}

// Title is a report's title segment ("" if it has none).
func Title(r report.Report) string {
	for _, s := range r.Segments {
		if s.Kind == report.KindTitle {
			return s.Text
		}
	}
	return ""
}
