package mt

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// DefaultLibreTranslateURL is where `libretranslate` listens by default.
const DefaultLibreTranslateURL = "http://127.0.0.1:5000"

// LibreTranslate request limits. A server may set --char-limit (reported
// as charLimit by GET /frontend/settings and used when present) and
// --batch-limit (not reported: a batch it refuses with HTTP 400 is resent
// text by text).
const (
	libreDefaultChars = 10000
	libreMaxTexts     = 25
)

// LibreTranslate translates with a LibreTranslate server (POST /translate
// with a JSON array "q" and format "html", so the <x id="N"/> tokens pass
// through its HTML handling untranslated).
type LibreTranslate struct {
	baseURL, apiKey string
	client          *http.Client

	mu        sync.Mutex
	langs     map[string]map[string]bool // lower-case source code → target codes
	codes     map[string]string          // lower-case code → the server's spelling
	charLimit int
}

// NewLibreTranslate returns a provider for the server at baseURL
// (DefaultLibreTranslateURL if empty); apiKey may be empty, httpClient nil.
func NewLibreTranslate(baseURL, apiKey string, httpClient *http.Client) *LibreTranslate {
	if baseURL = trimBase(baseURL); baseURL == "" {
		baseURL = DefaultLibreTranslateURL
	}
	return &LibreTranslate{baseURL: baseURL, apiKey: apiKey, client: httpClient}
}

// Name implements Provider.
func (l *LibreTranslate) Name() string { return "libretranslate" }

func libreErrMsg(b []byte) string { return jsonField(b, "error") }

// load asks the server once for its languages and limits.
func (l *LibreTranslate) load(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.langs != nil {
		return nil
	}
	var langs []struct {
		Code    string   `json:"code"`
		Targets []string `json:"targets"`
	}
	if err := getJSON(ctx, l.client, l.Name(), l.baseURL+"/languages", nil, &langs, libreErrMsg); err != nil {
		return fmt.Errorf("listing libretranslate languages at %s: %w", l.baseURL, err)
	}
	m := map[string]map[string]bool{}
	codes := map[string]string{}
	for _, lang := range langs {
		src := strings.ToLower(lang.Code)
		codes[src] = lang.Code
		m[src] = map[string]bool{}
		for _, t := range lang.Targets {
			m[src][strings.ToLower(t)] = true
			codes[strings.ToLower(t)] = t
		}
	}
	// Optional: older servers lack it, and no limit is the default.
	var settings struct {
		CharLimit int `json:"charLimit"`
	}
	limit := libreDefaultChars
	if err := getJSON(ctx, l.client, l.Name(), l.baseURL+"/frontend/settings", nil, &settings, libreErrMsg); err == nil && settings.CharLimit > 0 {
		limit = settings.CharLimit
	}
	l.langs, l.codes, l.charLimit = m, codes, limit
	return nil
}

// Translate implements Provider.
func (l *LibreTranslate) Translate(ctx context.Context, req Request) ([]Result, error) {
	if err := l.load(ctx); err != nil {
		return nil, err
	}
	l.mu.Lock()
	langs, codes, limit := l.langs, l.codes, l.charLimit
	l.mu.Unlock()
	src, tgt, ok := "", "", false
	for _, s := range libreCandidates(req.Source) {
		for _, t := range libreCandidates(req.Target) {
			if langs[strings.ToLower(s)][strings.ToLower(t)] {
				src, tgt, ok = codes[strings.ToLower(s)], codes[strings.ToLower(t)], true
				break
			}
		}
		if ok {
			break
		}
	}
	if !ok {
		var have []string
		for s, ts := range langs {
			for t := range ts {
				have = append(have, codes[s]+"-"+codes[t])
			}
		}
		sort.Strings(have)
		detail := "no language pairs"
		if len(have) > 0 {
			detail = "pairs: " + strings.Join(have, ", ")
		}
		return nil, &UnsupportedPairError{Provider: l.Name(), Endpoint: l.baseURL, Source: req.Source, Target: req.Target, Detail: clip(detail, 400)}
	}
	b := batcher{
		provider: l.Name(),
		size:     runeLen, // LibreTranslate's char limit counts Python len() of every q
		maxBatch: limit,
		maxItems: libreMaxTexts,
		// A self-hosted server translates on its own CPUs: one request
		// at a time uses them fully.
		concurrency: 1,
		// LibreTranslate unescapes its own output (html.unescape).
		unescape: false,
	}
	classify := func(status int, msg string) error {
		lower := strings.ToLower(msg)
		if status == http.StatusBadRequest && (strings.Contains(lower, "is not supported") || strings.Contains(lower, "not available as a target language")) && !strings.Contains(lower, "format") {
			return &UnsupportedPairError{Provider: l.Name(), Endpoint: l.baseURL, Source: req.Source, Target: req.Target, Detail: msg}
		}
		if status == http.StatusForbidden {
			return &ServiceError{Provider: l.Name(), Status: status, Message: "refused (check PRESSROOM_LIBRETRANSLATE_KEY): " + msg}
		}
		return nil
	}
	return b.translate(ctx, req, func(ctx context.Context, texts []string) ([]unitOut, error) {
		body := map[string]any{"q": texts, "source": src, "target": tgt, "format": "html"}
		if l.apiKey != "" {
			body["api_key"] = l.apiKey
		}
		var resp struct {
			TranslatedText []string `json:"translatedText"`
		}
		if err := postJSON(ctx, l.client, l.Name(), l.baseURL+"/translate", nil, body, &resp, libreErrMsg, classify); err != nil {
			return nil, err
		}
		out := make([]unitOut, len(resp.TranslatedText))
		for i, t := range resp.TranslatedText {
			out[i].text = t
		}
		return out, nil
	})
}
