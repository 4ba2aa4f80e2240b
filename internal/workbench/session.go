package workbench

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"sync"
	"time"
)

// Sessions are server-side: the cookie holds a random 256-bit ID, the
// server keeps only its SHA-256 with the user's name, so signing out (or
// removing the user) ends the session for good, and a stolen copy of the
// session table lets nobody in.
const (
	sessionCookie = "pressroom_session"
	langCookie    = "pressroom_lang"
	// sessionIdle ends a session nobody used for this long.
	sessionIdle = 12 * time.Hour
	// sessionMax ends every session this long after sign-in.
	sessionMax = 7 * 24 * time.Hour
	// maxSessions bounds the table; beyond it the oldest are dropped.
	maxSessions = 50_000
)

type session struct {
	user    string
	stamp   string // the user's password stamp at sign-in
	created time.Time
	seen    time.Time
}

type sessions struct {
	mu  sync.Mutex
	m   map[[32]byte]*session
	now func() time.Time
}

func newSessions() *sessions {
	return &sessions{m: map[[32]byte]*session{}, now: time.Now}
}

// create starts a session and returns the cookie value.
func (s *sessions) create(user, stamp string) (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	id := base64.RawURLEncoding.EncodeToString(b[:])
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= maxSessions {
		s.sweep(now)
	}
	s.m[sha256.Sum256([]byte(id))] = &session{user: user, stamp: stamp, created: now, seen: now}
	return id, nil
}

// lookup returns the user of a live session and their password stamp at
// sign-in.
func (s *sessions) lookup(id string) (string, string, bool) {
	if id == "" || len(id) > 64 {
		return "", "", false
	}
	key := sha256.Sum256([]byte(id))
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	se, ok := s.m[key]
	if !ok {
		return "", "", false
	}
	if now.Sub(se.seen) > sessionIdle || now.Sub(se.created) > sessionMax {
		delete(s.m, key)
		return "", "", false
	}
	se.seen = now
	return se.user, se.stamp, true
}

// end deletes a session.
func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, sha256.Sum256([]byte(id)))
}

// endUser deletes every session of a user (they were removed, or their
// password changed).
func (s *sessions) endUser(user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, se := range s.m {
		if se.user == user {
			delete(s.m, k)
		}
	}
}

func (s *sessions) sweep(now time.Time) {
	for k, se := range s.m {
		if now.Sub(se.seen) > sessionIdle || now.Sub(se.created) > sessionMax {
			delete(s.m, k)
		}
	}
	for k := range s.m {
		if len(s.m) < maxSessions/2 {
			break
		}
		delete(s.m, k)
	}
}

// secure says whether the request came over TLS, directly or through a
// proxy that says so: then cookies get the Secure attribute.
func secure(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

func setSessionCookie(w http.ResponseWriter, r *http.Request, id string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/workbench/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: secure(r), MaxAge: int(sessionMax / time.Second)})
}

func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/workbench/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: secure(r), MaxAge: -1})
}
