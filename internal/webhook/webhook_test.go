package webhook

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestSendSignsAndVerifies(t *testing.T) {
	secret := []byte("s3cret")
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := Verify(secret, r.Header, body, time.Now(), 5*time.Minute); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		got.Store(r.Header.Get(HeaderIdempotency) + " " + r.Header.Get(HeaderEvent) + " " + string(body))
	}))
	defer srv.Close()
	s := &Sender{URL: srv.URL, Secret: secret}
	if err := s.Send(context.Background(), "task.assigned", "k1", []byte(`{"a":1}`)); err != nil {
		t.Fatal(err)
	}
	if got.Load() != `k1 task.assigned {"a":1}` {
		t.Fatalf("receiver saw %v", got.Load())
	}
	// A wrong secret is refused by the receiver, for good.
	bad := &Sender{URL: srv.URL, Secret: []byte("wrong")}
	var perm *PermanentError
	if err := bad.Send(context.Background(), "x", "k2", []byte(`{}`)); !errors.As(err, &perm) || perm.Status != 401 {
		t.Fatalf("wrong secret: %v", err)
	}
}

func TestVerifyRefusesTamperingAndReplays(t *testing.T) {
	secret := []byte("k")
	now := time.Unix(1_800_000_000, 0)
	h := http.Header{}
	h.Set(HeaderTimestamp, "1800000000")
	h.Set(HeaderSignature, Sign(secret, now.Unix(), []byte("body")))
	if err := Verify(secret, h, []byte("body"), now, time.Minute); err != nil {
		t.Fatal(err)
	}
	if Verify(secret, h, []byte("b0dy"), now, time.Minute) == nil {
		t.Error("tampered body accepted")
	}
	if Verify(secret, h, []byte("body"), now.Add(time.Hour), time.Minute) == nil {
		t.Error("replayed old delivery accepted")
	}
}

func TestTransientAndPermanentStatuses(t *testing.T) {
	for _, c := range []struct {
		status    int
		permanent bool
	}{{500, false}, {503, false}, {429, false}, {408, false}, {400, true}, {404, true}, {410, true}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(c.status) }))
		err := (&Sender{URL: srv.URL, Secret: []byte("k")}).Send(context.Background(), "x", "k", []byte(`{}`))
		srv.Close()
		var perm *PermanentError
		if err == nil || errors.As(err, &perm) != c.permanent {
			t.Errorf("HTTP %d: got %v, permanent=%v", c.status, err, c.permanent)
		}
	}
}
