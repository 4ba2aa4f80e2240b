package workbench

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the schedule form's time zones, whatever the host has

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/release"
	"github.com/pressroom/pressroom/internal/releases"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/workflows"
)

// The report page's release actions: move or clear the publish time,
// list the releases with what each changed, roll back, unpublish. Each
// calls the same service (or releases) function as the CLI and the API;
// the workbench only reads the form and shows the answer. A refusal is
// shown on the report page itself, with what was entered.

// releasesView is the report page's release section.
type releasesView struct {
	Rows      []releaseRow
	Moves     []moveRow
	Problem   string   // the list could not be read
	Served    int      // the version latest.json names
	Gone      []string // the served release's withdrawn locales
	Up        []string // the served release's locales still up
	RollTo    []int    // versions a rollback may serve
	CanChange bool     // something is served: rollback and unpublish apply
}

type releaseRow struct {
	Version              int
	PublishedAt          time.Time
	Locales              []string
	Approvals            []release.Approval
	Current, Complete    bool
	Problem              string
	From                 int // the release it is compared with; 0 for the first
	Changes              []releases.LocaleChanges
	ChangesProblem       string
	UnchangedEveryLocale bool
}

type moveRow struct {
	releases.Move
	MsgID string
}

// moveMessages name each recorded move.
var moveMessages = map[string]string{
	"rollback":  "WbMoveRollback",
	"republish": "WbMoveRepublish",
	"unpublish": "WbMoveUnpublish",
}

// actionForm is what an editor entered in one of the forms, shown again
// with a refusal.
type actionForm struct {
	Action, At, Zone, RFC3339, Reason, Locale string
	To                                        int
}

// scheduleZones are offered in the schedule form; any IANA name is read.
var scheduleZones = []string{"UTC", "America/New_York", "Europe/Paris", "Europe/Moscow", "Asia/Riyadh", "Asia/Shanghai", "Africa/Nairobi"}

func (s *Server) releasesView(r *http.Request, slug string) releasesView {
	var v releasesView
	rs, moves, err := releases.List(r.Context(), s.Store, slug)
	if err != nil {
		v.Problem = err.Error()
		return v
	}
	changes := map[int]releases.Change{}
	for _, c := range releases.Changes(r.Context(), s.Store, slug, rs) {
		changes[c.Version] = c
	}
	for _, rel := range rs {
		row := releaseRow{Version: rel.Version, PublishedAt: rel.PublishedAt, Locales: rel.Locales, Approvals: rel.Approvals,
			Current: rel.Current, Complete: rel.Complete, Problem: rel.Problem}
		if c, ok := changes[rel.Version]; ok {
			row.From, row.Changes, row.ChangesProblem = c.From, c.Locales, c.Problem
			row.UnchangedEveryLocale = c.From > 0 && c.Problem == "" && !slices.ContainsFunc(c.Locales, func(l releases.LocaleChanges) bool { return !l.Unchanged() })
		}
		if rel.Current {
			v.Served = rel.Version
		}
		v.Rows = append(v.Rows, row)
	}
	// Newest first: the one an editor looks for.
	slices.Reverse(v.Rows)
	for i := len(moves) - 1; i >= 0; i-- {
		v.Moves = append(v.Moves, moveRow{Move: moves[i], MsgID: moveMessages[moves[i].Action]})
	}
	if v.Served == 0 {
		return v
	}
	v.CanChange = true
	if v.Gone, err = releases.Unpublished(r.Context(), s.Store, slug); err != nil {
		v.Problem = err.Error()
	}
	for _, row := range v.Rows {
		if row.Current {
			for _, l := range row.Locales {
				if !slices.Contains(v.Gone, l) {
					v.Up = append(v.Up, l)
				}
			}
		}
		// The served release itself is offered only to put withdrawn pages back.
		if row.Complete && (!row.Current || len(v.Gone) > 0) {
			v.RollTo = append(v.RollTo, row.Version)
		}
	}
	return v
}

// reportAction reads the slug of a report action's route.
func (s *Server) reportAction(w http.ResponseWriter, r *http.Request, u auth.User) (string, bool) {
	slug := r.PathValue("slug")
	if !validSlug(slug) {
		s.renderError(w, r, &u, http.StatusNotFound, "WbNotFound")
		return "", false
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, &u, http.StatusRequestEntityTooLarge, "WbFileTooLarge")
		return "", false
	}
	return slug, true
}

// refuse shows the report page again with the form as entered and the
// refusal: a localized message (msgID) or a service error.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, u auth.User, slug string, f actionForm, msgID string, err error, args ...any) {
	status, detail := http.StatusBadRequest, ""
	if err != nil {
		var refused *service.RefusedError
		switch {
		case errors.As(err, &refused):
			status, detail = http.StatusConflict, refused.Reason
		case errors.Is(err, service.ErrNotFound):
			status, detail = http.StatusNotFound, err.Error()
		default:
			s.fail(w, r, &u, err)
			return
		}
	}
	s.showReport(w, r, u, slug, status, "", func(p *page) {
		if msgID != "" {
			p.Error = p.T(msgID, args...)
		} else {
			p.Error = p.T("WbRefused") + " " + detail
		}
	}, &f)
}

// scheduleReport moves the publish time (a local date and time in a time
// zone, or an RFC 3339 time, which wins when both are given) or clears it.
func (s *Server) scheduleReport(w http.ResponseWriter, r *http.Request, u auth.User) {
	slug, ok := s.reportAction(w, r, u)
	if !ok {
		return
	}
	f := actionForm{Action: "schedule", At: strings.TrimSpace(r.PostFormValue("at")), Zone: strings.TrimSpace(r.PostFormValue("zone")),
		RFC3339: strings.TrimSpace(r.PostFormValue("rfc3339"))}
	at := ""
	if r.PostFormValue("clear") == "" {
		switch {
		case f.RFC3339 != "":
			at = f.RFC3339
		case f.At != "":
			loc, err := time.LoadLocation(f.Zone)
			if err != nil || f.Zone == "" || f.Zone == "Local" {
				s.refuse(w, r, u, slug, f, "WbBadZone", nil, "Zone", f.Zone)
				return
			}
			t, err := time.ParseInLocation("2006-01-02T15:04", f.At, loc)
			if err != nil {
				s.refuse(w, r, u, slug, f, "WbBadLocalTime", nil, "At", f.At)
				return
			}
			at = t.Format(time.RFC3339)
		default:
			s.refuse(w, r, u, slug, f, "WbNoTime", nil)
			return
		}
	}
	if _, err := s.Svc.Schedule(r.Context(), slug, u.Name, at); err != nil {
		s.refuse(w, r, u, slug, f, "", err)
		return
	}
	if at == "" {
		http.Redirect(w, r, "/workbench/reports/"+slug+"?done=cleared", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/workbench/reports/"+slug+"?done=scheduled", http.StatusSeeOther)
}

// rollbackReport serves an earlier release again.
func (s *Server) rollbackReport(w http.ResponseWriter, r *http.Request, u auth.User) {
	slug, ok := s.reportAction(w, r, u)
	if !ok {
		return
	}
	f := actionForm{Action: "rollback", Reason: r.PostFormValue("reason")}
	f.To, _ = strconv.Atoi(r.PostFormValue("to"))
	switch {
	case f.To < 1:
		s.refuse(w, r, u, slug, f, "WbChooseVersion", nil)
		return
	case strings.TrimSpace(f.Reason) == "":
		s.refuse(w, r, u, slug, f, "WbReasonRequired", nil)
		return
	case r.PostFormValue("confirm") == "":
		s.refuse(w, r, u, slug, f, "WbConfirmRequired", nil)
		return
	}
	// The version the page showed served: a page made stale by another
	// editor's move is refused instead of undoing it.
	from, _ := strconv.Atoi(r.PostFormValue("from"))
	mv, err := s.Svc.RollbackFrom(r.Context(), slug, from, f.To, u.Name, f.Reason)
	if err != nil {
		s.refuse(w, r, u, slug, f, "", err)
		return
	}
	http.Redirect(w, r, "/workbench/reports/"+slug+"?done="+mv.Action+"&to="+strconv.Itoa(mv.To)+"&from="+strconv.Itoa(mv.From), http.StatusSeeOther)
}

// unpublishReport withdraws every page of the served release, or one
// locale's.
func (s *Server) unpublishReport(w http.ResponseWriter, r *http.Request, u auth.User) {
	slug, ok := s.reportAction(w, r, u)
	if !ok {
		return
	}
	f := actionForm{Action: "unpublish", Reason: r.PostFormValue("reason"), Locale: r.PostFormValue("locale")}
	switch {
	case strings.TrimSpace(f.Reason) == "":
		s.refuse(w, r, u, slug, f, "WbReasonRequired", nil)
		return
	case r.PostFormValue("confirm") == "":
		s.refuse(w, r, u, slug, f, "WbConfirmRequired", nil)
		return
	}
	var locs []string
	if f.Locale != "" {
		locs = []string{f.Locale}
	}
	mv, err := s.Svc.Unpublish(r.Context(), slug, locs, u.Name, f.Reason)
	if err != nil {
		s.refuse(w, r, u, slug, f, "", err)
		return
	}
	http.Redirect(w, r, "/workbench/reports/"+slug+"?done=unpublish&from="+strconv.Itoa(mv.From)+"&locales="+strings.Join(mv.Locales, ","), http.StatusSeeOther)
}

// actionFlash is the message after a release action's redirect.
func actionFlash(p *page, q map[string][]string) string {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	num := func(k string) int { n, _ := strconv.Atoi(get(k)); return n }
	switch get("done") {
	case "scheduled":
		return p.T("WbScheduleMoved")
	case "cleared":
		return p.T("WbScheduleCleared")
	case "rollback":
		return p.T("WbRolledBack", "To", num("to"), "From", num("from"))
	case "republish":
		return p.T("WbRepublished", "To", num("to"))
	case "unpublish":
		var locs []string
		for _, l := range strings.Split(get("locales"), ",") {
			if validLocaleCode(l) {
				locs = append(locs, l)
			}
		}
		return p.T("WbUnpublishedFlash", "Locales", strings.Join(locs, ", "), "Version", num("from"))
	}
	return ""
}

// validLocaleCode keeps what a redirect's query puts in a message plain.
func validLocaleCode(l string) bool {
	if l == "" || len(l) > 35 {
		return false
	}
	for _, c := range l {
		if !(c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// canSchedule says whether the report's publish time may still change.
func canSchedule(st workflows.ReportStatus) bool {
	switch st.Stage {
	case workflows.StagePublishing, workflows.StagePublished, workflows.StageFailed, workflows.StageCancelled:
		return false
	}
	return true
}
