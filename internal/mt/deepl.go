package mt

import (
	"context"
	"net/http"
	"strings"
)

// DeepL API base URLs: keys of the free plan end in ":fx" and only work on
// the free endpoint.
const (
	DeepLProURL  = "https://api.deepl.com"
	DeepLFreeURL = "https://api-free.deepl.com"
)

// DeepL API limits (developers.deepl.com, "Usage and limits" and
// "Translate text"): at most 50 texts per request and 128 KiB per request
// body.
const (
	deeplMaxTexts = 50
	deeplMaxBody  = 128 * 1024
	// deeplBodySlack is room for the body's other fields (languages,
	// tag_handling, formality and JSON punctuation): well under 200 bytes.
	deeplBodySlack = 1024
)

// DeepL translates with the DeepL API v2 (POST /v2/translate). Protected
// spans travel as <x id="N"/> with tag_handling=xml, which DeepL keeps in
// place and never translates.
type DeepL struct {
	baseURL, authKey string
	client           *http.Client
	batch            batcher
	// Formality is sent as "formality" when set: "more", "less", or the
	// "prefer_more"/"prefer_less" forms, which fall back to the default
	// for targets without formality instead of failing.
	Formality string
}

// NewDeepL returns a DeepL provider. An empty baseURL picks the free or pro
// endpoint by the key's ":fx" suffix. httpClient may be nil.
func NewDeepL(baseURL, authKey string, httpClient *http.Client) *DeepL {
	baseURL = strings.TrimSuffix(trimBase(baseURL), "/v2")
	if baseURL == "" {
		baseURL = DeepLProURL
		if strings.HasSuffix(authKey, ":fx") {
			baseURL = DeepLFreeURL
		}
	}
	return &DeepL{
		baseURL: baseURL,
		authKey: authKey,
		client:  httpClient,
		batch: batcher{
			provider: "deepl",
			size:     jsonLen,
			maxBatch: deeplMaxBody - deeplBodySlack,
			overhead: 3, // quotes and comma around each text
			maxItems: deeplMaxTexts,
			// DeepL rate-limits per account (HTTP 429); two requests in
			// flight keep a long report moving without provoking it.
			concurrency: 2,
			unescape:    true,
		},
	}
}

// Name implements Provider.
func (d *DeepL) Name() string { return "deepl" }

type deeplRequest struct {
	Text        []string `json:"text"`
	SourceLang  string   `json:"source_lang,omitempty"`
	TargetLang  string   `json:"target_lang"`
	TagHandling string   `json:"tag_handling"`
	Formality   string   `json:"formality,omitempty"`
}

type deeplResponse struct {
	Translations []struct {
		DetectedSourceLanguage string `json:"detected_source_language"`
		Text                   string `json:"text"`
	} `json:"translations"`
}

// Translate implements Provider.
func (d *DeepL) Translate(ctx context.Context, req Request) ([]Result, error) {
	source, target := deeplSource(req.Source), deeplTarget(req.Target)
	header := http.Header{"Authorization": {"DeepL-Auth-Key " + d.authKey}}
	classify := func(status int, msg string) error {
		lower := strings.ToLower(msg)
		switch {
		case status == 456:
			return &ServiceError{Provider: d.Name(), Status: status, Message: "quota exceeded: " + msg}
		case status == http.StatusForbidden || status == http.StatusUnauthorized:
			return &ServiceError{Provider: d.Name(), Status: status, Message: "authorization failed (check PRESSROOM_DEEPL_KEY and the free/pro URL): " + msg}
		case status == http.StatusBadRequest && strings.Contains(lower, "not supported") &&
			(strings.Contains(lower, "target_lang") || strings.Contains(lower, "source_lang") || strings.Contains(lower, "language")):
			return &UnsupportedPairError{Provider: d.Name(), Source: req.Source, Target: req.Target, Detail: "DeepL: " + msg}
		}
		// 429 and 5xx (529: DeepL under high load) are transient, other
		// 400s a refused request: doHTTP's defaults.
		return nil
	}
	return d.batch.translate(ctx, req, func(ctx context.Context, texts []string) ([]unitOut, error) {
		body := deeplRequest{Text: texts, SourceLang: source, TargetLang: target, TagHandling: "xml", Formality: d.Formality}
		var resp deeplResponse
		err := postJSON(ctx, d.client, d.Name(), d.baseURL+"/v2/translate", header, body, &resp,
			func(b []byte) string { return jsonField(b, "message", "detail") }, classify)
		if err != nil {
			return nil, err
		}
		out := make([]unitOut, len(resp.Translations))
		for i, t := range resp.Translations {
			out[i].text = t.Text
		}
		return out, nil
	})
}
