package auth

import (
	"sync"
	"time"
)

// Limiter counts failed sign-ins per key (a user name, an address) and
// refuses a key that failed Max times within Window, until the window
// from its first failure has passed. A success does not erase an
// address's failures, only (through Reset) a user's.
type Limiter struct {
	Max    int
	Window time.Duration
	now    func() time.Time

	mu   sync.Mutex
	keys map[string]*failures
}

type failures struct {
	n     int
	since time.Time
}

// maxLimiterKeys bounds the limiter's memory under a flood of distinct
// keys: beyond it, expired entries are swept, then the oldest half.
const maxLimiterKeys = 100_000

// NewLimiter returns a limiter of max failures per window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{Max: max, Window: window, now: time.Now, keys: map[string]*failures{}}
}

// Allow reports whether key may try again, and if not, for how long it
// must wait.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, ok := l.keys[key]
	if !ok {
		return true, 0
	}
	now := l.now()
	if now.Sub(f.since) >= l.Window {
		delete(l.keys, key)
		return true, 0
	}
	if f.n >= l.Max {
		return false, l.Window - now.Sub(f.since)
	}
	return true, 0
}

// Fail records a failure of key.
func (l *Limiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	f, ok := l.keys[key]
	if !ok || now.Sub(f.since) >= l.Window {
		if len(l.keys) >= maxLimiterKeys {
			l.sweep(now)
		}
		l.keys[key] = &failures{n: 1, since: now}
		return
	}
	f.n++
}

// Reset forgets key's failures.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.keys, key)
}

func (l *Limiter) sweep(now time.Time) {
	for k, f := range l.keys {
		if now.Sub(f.since) >= l.Window {
			delete(l.keys, k)
		}
	}
	for k := range l.keys { // still full: drop arbitrary half
		if len(l.keys) < maxLimiterKeys/2 {
			break
		}
		delete(l.keys, k)
	}
}
