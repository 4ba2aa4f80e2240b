package mt

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// defaultHTTPClient is used when a constructor gets a nil client. The
// timeout bounds one request; the caller's context bounds the whole batch.
var defaultHTTPClient = &http.Client{Timeout: 60 * time.Second}

// maxResponse bounds what we read from a service: a translation is a few
// times its source at most, and requests are at most 128 KiB.
const maxResponse = 16 << 20

// doHTTP sends req and returns the response body of a 2xx answer. Failures
// come back classified: transport failures and HTTP 429/5xx as
// *TransientError, other statuses as classify decides (nil classify: 400,
// 413 and 414 are *RequestError, the rest *ServiceError). errMsg extracts
// a service's message from an error body.
func doHTTP(ctx context.Context, client *http.Client, provider string, req *http.Request,
	errMsg func([]byte) string, classify func(status int, msg string) error) ([]byte, error) {
	if client == nil {
		client = defaultHTTPClient
	}
	resp, err := client.Do(req.WithContext(ctx))
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		return nil, &TransientError{Provider: provider, Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		return nil, &TransientError{Provider: provider, Err: fmt.Errorf("reading response: %w", err)}
	}
	if resp.StatusCode/100 == 2 {
		return body, nil
	}
	msg := ""
	if errMsg != nil {
		msg = errMsg(body)
	}
	if msg == "" {
		msg = strings.TrimSpace(clip(string(body), 300))
	}
	if msg == "" {
		msg = http.StatusText(resp.StatusCode)
	}
	if classify != nil {
		if err := classify(resp.StatusCode, msg); err != nil {
			return nil, err
		}
	}
	return nil, classifyStatus(provider, resp.StatusCode, resp.Header, msg)
}

// classifyStatus is the default meaning of an HTTP error status.
func classifyStatus(provider string, status int, h http.Header, msg string) error {
	switch {
	case status == http.StatusTooManyRequests || status == http.StatusRequestTimeout || status >= 500:
		return &TransientError{Provider: provider, Err: fmt.Errorf("HTTP %d: %s", status, msg), RetryAfter: retryAfter(h)}
	case status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge || status == http.StatusRequestURITooLong:
		return &RequestError{Provider: provider, Status: status, Message: msg}
	}
	return &ServiceError{Provider: provider, Status: status, Message: msg}
}

func retryAfter(h http.Header) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, time.Until(t))
	}
	return 0
}

// postJSON sends v as a JSON body (HTML escaping off, so sizes match
// jsonLen) and decodes a 2xx answer into out.
func postJSON(ctx context.Context, client *http.Client, provider, url string, header http.Header, v, out any,
	errMsg func([]byte) string, classify func(int, string) error) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, url, &buf)
	if err != nil {
		return &ServiceError{Provider: provider, Message: err.Error()}
	}
	req.Header = header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	req.Header.Set("Content-Type", "application/json")
	body, err := doHTTP(ctx, client, provider, req, errMsg, classify)
	if err != nil {
		return err
	}
	return decodeJSON(provider, body, out)
}

// getJSON fetches url and decodes a 2xx answer into out.
func getJSON(ctx context.Context, client *http.Client, provider, url string, header http.Header, out any,
	errMsg func([]byte) string) error {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return &ServiceError{Provider: provider, Message: err.Error()}
	}
	if header != nil {
		req.Header = header.Clone()
	}
	body, err := doHTTP(ctx, client, provider, req, errMsg, nil)
	if err != nil {
		return err
	}
	return decodeJSON(provider, body, out)
}

// decodeJSON decodes a success body. A body that is not the documented
// JSON means a wrong URL or a proxy in the way: permanent.
func decodeJSON(provider string, body []byte, out any) error {
	if err := json.Unmarshal(body, out); err != nil {
		return &ServiceError{Provider: provider, Message: fmt.Sprintf("unexpected response %q: %v", clip(string(body), 200), err)}
	}
	return nil
}

// jsonField returns the first non-empty string field of a JSON error body.
func jsonField(body []byte, fields ...string) string {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return ""
	}
	var parts []string
	for _, f := range fields {
		if s, ok := m[f].(string); ok && s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ": ")
}

// trimBase normalises a configured base URL.
func trimBase(u string) string { return strings.TrimRight(strings.TrimSpace(u), "/") }

// errorsAs is errors.As for a pointer type, as a one-liner.
func errorsAs[T error](err error) (T, bool) {
	var t T
	ok := errors.As(err, &t)
	return t, ok
}
