// Package webhook delivers Pressroom's events to a URL as signed JSON.
//
// Each delivery is a POST with the event as its body and these headers:
//
//	Content-Type: application/json
//	Pressroom-Event: task.assigned            (the event type)
//	Idempotency-Key: report/x/fr/3/task.reminder  (the same on every retry of one event)
//	Pressroom-Timestamp: 1767225600           (Unix seconds, when this attempt was signed)
//	Pressroom-Signature: sha256=<hex>         (HMAC-SHA256 over "<timestamp>.<body>" with the shared secret)
//
// A receiver verifies the signature (Verify), rejects old timestamps to
// stop replays, and ignores an Idempotency-Key it has already processed:
// delivery is retried until it succeeds, so an event may arrive more than
// once but is processed once.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Header names.
const (
	HeaderEvent       = "Pressroom-Event"
	HeaderIdempotency = "Idempotency-Key"
	HeaderTimestamp   = "Pressroom-Timestamp"
	HeaderSignature   = "Pressroom-Signature"
)

// Sign returns the signature header value for body at timestamp ts.
func Sign(secret []byte, ts int64, body []byte) string {
	m := hmac.New(sha256.New, secret)
	fmt.Fprintf(m, "%d.", ts)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a delivery's signature and that it was signed within
// maxAge of now.
func Verify(secret []byte, header http.Header, body []byte, now time.Time, maxAge time.Duration) error {
	ts, err := strconv.ParseInt(header.Get(HeaderTimestamp), 10, 64)
	if err != nil {
		return errors.New("webhook: missing or bad " + HeaderTimestamp)
	}
	if d := now.Sub(time.Unix(ts, 0)); d > maxAge || d < -maxAge {
		return fmt.Errorf("webhook: timestamp is %s away from now", d.Round(time.Second))
	}
	want := Sign(secret, ts, body)
	if !hmac.Equal([]byte(want), []byte(header.Get(HeaderSignature))) {
		return errors.New("webhook: signature does not match")
	}
	return nil
}

// Sender posts events to one URL.
type Sender struct {
	URL    string
	Secret []byte
	Client *http.Client
	Now    func() time.Time
}

// PermanentError is a delivery the receiver refused for good (a 4xx other
// than 408 and 429): retrying would not help.
type PermanentError struct {
	Status int
	Body   string
}

func (e *PermanentError) Error() string {
	return fmt.Sprintf("webhook receiver refused the event: HTTP %d %s", e.Status, e.Body)
}

// Send delivers one event body. Transient failures (network, 408, 429,
// 5xx) come back as ordinary errors to be retried.
func (s *Sender) Send(ctx context.Context, eventType, idempotencyKey string, body []byte) error {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	client := s.Client
	if client == nil {
		client = &http.Client{Timeout: 20 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return &PermanentError{Body: err.Error()}
	}
	ts := now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Pressroom-Webhook/1")
	req.Header.Set(HeaderEvent, eventType)
	req.Header.Set(HeaderIdempotency, idempotencyKey)
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(s.Secret, ts, body))
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("webhook: deliver %s: %w", eventType, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusRequestTimeout, resp.StatusCode == http.StatusTooManyRequests, resp.StatusCode >= 500:
		return fmt.Errorf("webhook: receiver answered HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(msg)))
	default:
		return &PermanentError{Status: resp.StatusCode, Body: strings.TrimSpace(string(msg))}
	}
}
