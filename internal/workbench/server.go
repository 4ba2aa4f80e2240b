// Package workbench is the browser app for translators and editors:
// server-rendered pages (html/template), a little JavaScript for inline
// saving and shortcuts, every asset embedded. It calls internal/service
// exactly as the CLI and the JSON API do, so every action is the same
// Temporal Update with the same validator.
//
// Every core action (sign in, save, approve, reject, submit) is a plain
// form post that works without JavaScript; the script only makes saving
// inline. Sessions are server-side cookies; state-changing requests from
// other origins are refused by http.CrossOriginProtection.
package workbench

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Prefix is where the workbench is mounted.
const Prefix = "/workbench/"

// Sign-in rate limits: per user name and per client address, failures in
// a window (the address limit is higher: several people may share one).
const (
	maxFailuresPerUser = 5
	maxFailuresPerAddr = 20
	failureWindow      = 15 * time.Minute
)

// contentSecurityPolicy allows only the workbench's own script and style
// files: no inline script or style, no plugins, no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// Server is the workbench.
type Server struct {
	Svc   *service.Service
	Store *store.Store
	Users *auth.Users
	Log   *slog.Logger
	// TaskPage is how many tasks a page of "My tasks" shows (0:
	// TaskListPage).
	TaskPage int

	sessions *sessions
	perUser  *auth.Limiter
	perAddr  *auth.Limiter
	pages    map[string]*template.Template
}

// New returns a workbench over svc and users.
func New(svc *service.Service, users *auth.Users, log *slog.Logger) *Server {
	if log == nil {
		log = slog.Default()
	}
	return &Server{Svc: svc, Store: svc.Store, Users: users, Log: log, sessions: newSessions(),
		perUser: auth.NewLimiter(maxFailuresPerUser, failureWindow), perAddr: auth.NewLimiter(maxFailuresPerAddr, failureWindow),
		pages: mustParsePages()}
}

// Handler serves the workbench under Prefix.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFiles, "static")
	mux.Handle("GET /workbench/static/", http.StripPrefix("/workbench/static/", cacheFor(time.Hour, http.FileServerFS(static))))
	mux.HandleFunc("GET /workbench/{$}", s.home)
	mux.HandleFunc("GET /workbench/signin", s.signinForm)
	mux.HandleFunc("POST /workbench/signin", s.signin)
	mux.HandleFunc("POST /workbench/signout", s.signout)
	mux.HandleFunc("GET /workbench/lang/{locale}", s.setLang)

	anyone := func(h userHandler) http.Handler { return s.auth(h, func(auth.User) bool { return true }) }
	editor := func(h userHandler) http.Handler { return s.auth(h, auth.User.IsEditor) }
	mux.Handle("GET /workbench/tasks", anyone(s.tasks))
	mux.Handle("GET /workbench/tasks/{slug}/{locale}", anyone(s.task))
	mux.Handle("POST /workbench/tasks/{slug}/{locale}/segments/{id}", anyone(s.saveSegment))
	mux.Handle("POST /workbench/tasks/{slug}/{locale}/approve", anyone(s.approveTask))
	mux.Handle("POST /workbench/tasks/{slug}/{locale}/reject", anyone(s.rejectTask))
	mux.Handle("GET /workbench/tasks/{slug}/{locale}/xliff", anyone(s.exportXLIFF))
	mux.Handle("POST /workbench/tasks/{slug}/{locale}/xliff", anyone(s.importXLIFF))
	mux.Handle("GET /workbench/tasks/{slug}/{locale}/preview", anyone(s.preview))
	mux.Handle("GET /workbench/reports", editor(s.reports))
	mux.Handle("GET /workbench/reports/new", editor(s.submitForm))
	mux.Handle("POST /workbench/reports", editor(s.submit))
	mux.Handle("GET /workbench/reports/{slug}", editor(s.report))
	mux.Handle("POST /workbench/reports/{slug}/approve", editor(s.approveReport))
	mux.Handle("POST /workbench/reports/{slug}/cancel", editor(s.cancelReport))
	mux.Handle("POST /workbench/reports/{slug}/preview", editor(s.previewReport))
	mux.Handle("POST /workbench/reports/{slug}/schedule", editor(s.scheduleReport))
	mux.Handle("POST /workbench/reports/{slug}/rollback", editor(s.rollbackReport))
	mux.Handle("POST /workbench/reports/{slug}/unpublish", editor(s.unpublishReport))
	mux.Handle("GET /workbench/reports/{slug}/objects/{key...}", editor(s.object))
	mux.HandleFunc("/workbench/", func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, nil, http.StatusNotFound, "WbNotFound")
	})
	// Cross-origin POSTs (a form on another site, even one on another
	// port of this host) are refused before any handler runs.
	protect := http.NewCrossOriginProtection()
	protect.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, nil, http.StatusForbidden, "WbCrossOrigin")
	}))
	return securityHeaders(protect.Handler(mux))
}

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", contentSecurityPolicy)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

func cacheFor(d time.Duration, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", fmt.Sprintf("private, max-age=%d", int(d.Seconds())))
		h.ServeHTTP(w, r)
	})
}

// userHandler is a page for a signed-in user.
type userHandler func(w http.ResponseWriter, r *http.Request, u auth.User)

// auth finds the session's user. The user is read from the users file on
// every request, so a removed user, or one whose password changed, is
// signed out at once.
func (s *Server) auth(h userHandler, allowed func(auth.User) bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, ok := s.currentUser(r)
		if !ok {
			if wantsJSON(r) {
				writeJSON(w, http.StatusUnauthorized, map[string]any{"error": newTr(uiLocale(r)).T("WbSignInAgain")})
				return
			}
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/workbench/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.renderError(w, r, nil, http.StatusUnauthorized, "WbSignInAgain")
			return
		}
		if !allowed(u) {
			s.renderError(w, r, &u, http.StatusForbidden, "WbEditorsOnly")
			return
		}
		h(w, r, u)
	})
}

func (s *Server) currentUser(r *http.Request) (auth.User, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return auth.User{}, false
	}
	name, stamp, ok := s.sessions.lookup(c.Value)
	if !ok {
		return auth.User{}, false
	}
	u, ok := s.Users.Get(name)
	if !ok || s.Users.PasswordStamp(name) != stamp {
		s.sessions.endUser(name)
		return auth.User{}, false
	}
	return u, true
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	u, ok := s.currentUser(r)
	switch {
	case !ok:
		http.Redirect(w, r, "/workbench/signin", http.StatusSeeOther)
	case u.IsEditor():
		http.Redirect(w, r, "/workbench/reports", http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/workbench/tasks", http.StatusSeeOther)
	}
}

type signinData struct {
	Next, Username string
}

func (s *Server) signinForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.currentUser(r); ok {
		http.Redirect(w, r, localNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.render(w, r, nil, http.StatusOK, "signin", "WbSignIn", signinData{Next: r.URL.Query().Get("next")})
}

// signin checks the password. Failures are counted per user name and per
// address; over the limit, even a right password is refused until the
// window passes, so guessing gains nothing.
func (s *Server) signin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	name := strings.TrimSpace(strings.ToLower(r.PostFormValue("username")))
	password := r.PostFormValue("password")
	next := r.PostFormValue("next")
	addr := clientAddr(r)
	data := signinData{Next: next, Username: name}
	okU, waitU := s.perUser.Allow("u:" + name)
	okA, waitA := s.perAddr.Allow("a:" + addr)
	if !okU || !okA {
		wait := max(waitU, waitA)
		w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
		s.Log.Warn("workbench sign-in rate-limited", "user", name, "addr", addr)
		s.renderWith(w, r, nil, http.StatusTooManyRequests, "signin", "WbSignIn", data, "", "WbTooManyAttempts", "Minutes", int(wait.Minutes())+1)
		return
	}
	u, err := s.Users.CheckPassword(name, password)
	if err != nil {
		s.perUser.Fail("u:" + name)
		s.perAddr.Fail("a:" + addr)
		s.Log.Info("workbench sign-in failed", "user", name, "addr", addr)
		s.renderWith(w, r, nil, http.StatusUnauthorized, "signin", "WbSignIn", data, "", "WbBadPassword")
		return
	}
	s.perUser.Reset("u:" + name)
	id, err := s.sessions.create(u.Name, s.Users.PasswordStamp(u.Name))
	if err != nil {
		s.renderError(w, r, nil, http.StatusInternalServerError, "WbServerError")
		return
	}
	setSessionCookie(w, r, id)
	s.Log.Info("workbench sign-in", "user", u.Name, "addr", addr)
	if next = localNext(next); next == Prefix {
		next = "/workbench/tasks"
		if u.IsEditor() {
			next = "/workbench/reports"
		}
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		s.sessions.end(c.Value)
	}
	clearSessionCookie(w, r)
	http.Redirect(w, r, "/workbench/signin?out=1", http.StatusSeeOther)
}

// setLang remembers the interface language for a year.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	l := r.PathValue("locale")
	if !contains(uiLocales, l) {
		s.renderError(w, r, nil, http.StatusNotFound, "WbNotFound")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/workbench/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: secure(r), HttpOnly: true})
	http.Redirect(w, r, localNext(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// localNext keeps redirects inside the workbench: anything else (another
// host, "//evil", "/\evil") goes to the workbench's home.
func localNext(next string) string {
	if !strings.HasPrefix(next, Prefix) || strings.ContainsAny(next, "\\\r\n") || strings.HasPrefix(next, "//") {
		return Prefix
	}
	return next
}

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
