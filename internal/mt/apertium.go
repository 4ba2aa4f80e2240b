package mt

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// DefaultApertiumURL is where apertium-apy listens by default.
const DefaultApertiumURL = "http://127.0.0.1:2737"

// apertiumMaxChars is the most code points sent in one /translate request.
//
// APy (apertium-apy 0.11, utils/translation.py split_for_translation)
// feeds a request to its pipeline in at most 10 parts and silently drops
// the rest. A part is at least 501 characters when more than two requests
// share the pipeline (hardbreak 1000, cut at the last "." or " " after
// half), so only 10 × 501 = 5010 characters are guaranteed to be
// translated; measured on this machine, a 41,590-byte request came back
// with 290 of its 300 segments. 4000 leaves room for that rule and for
// tokens; every separator is also checked on the way back, so a truncation
// fails the segments it hit instead of losing them silently.
const apertiumMaxChars = 4000

// Apertium translates through an Apertium APy server (apertium-apy): free,
// rule-based, self-hosted. Segments are joined into requests of at most
// apertiumMaxChars characters, each preceded by a separator element
// <hr id="uN"/>. APy's HTML deformatter treats <hr> as a block boundary: it
// passes the element through untouched and ends the sentence there, so no
// word moves from one segment into another (a plain inline element does not
// stop transfer rules from reordering words across it). One request for
// 300 paragraphs costs a tenth of 300 requests; see doc.go for the numbers.
type Apertium struct {
	baseURL string
	client  *http.Client
	batch   batcher

	mu    sync.Mutex
	pairs map[string]bool // "eng-spa"; nil until /listPairs answered
}

// NewApertium returns a provider for the APy server at baseURL
// (DefaultApertiumURL if empty). httpClient may be nil.
func NewApertium(baseURL string, httpClient *http.Client) *Apertium {
	if baseURL = trimBase(baseURL); baseURL == "" {
		baseURL = DefaultApertiumURL
	}
	return &Apertium{
		baseURL: baseURL,
		client:  httpClient,
		batch: batcher{
			provider: "apertium",
			size:     runeLen, // APy measures with Python's len()
			maxBatch: apertiumMaxChars,
			overhead: len(`<hr id="u9999"/>`),
			// APy runs one pipeline per pair by default and serialises
			// requests to it: more in flight gains nothing and makes APy
			// cut requests into smaller parts.
			concurrency: 1,
			stripMarks:  true,
			unescape:    true,
		},
	}
}

// Name implements Provider.
func (a *Apertium) Name() string { return "apertium" }

// Translate implements Provider.
func (a *Apertium) Translate(ctx context.Context, req Request) ([]Result, error) {
	pairs, err := a.listPairs(ctx)
	if err != nil {
		return nil, err
	}
	src, tgt, ok := a.resolve(pairs, req.Source, req.Target)
	if !ok {
		return nil, a.unsupported(pairs, req.Source, req.Target)
	}
	langpair := src + "|" + tgt
	return a.batch.translate(ctx, req, func(ctx context.Context, texts []string) ([]unitOut, error) {
		return a.send(ctx, langpair, req, texts)
	})
}

// resolve picks the installed pair for two BCP 47 tags, preferring the
// most specific codes (eng → cat_valencia for ca-ES-valencia).
func (a *Apertium) resolve(pairs map[string]bool, source, target string) (string, string, bool) {
	for _, s := range apertiumCodes(source) {
		for _, t := range apertiumCodes(target) {
			if pairs[s+"-"+t] {
				return s, t, true
			}
		}
	}
	return "", "", false
}

func (a *Apertium) unsupported(pairs map[string]bool, source, target string) error {
	list := make([]string, 0, len(pairs))
	for p := range pairs {
		list = append(list, p)
	}
	sort.Strings(list)
	detail := "no pairs installed"
	if len(list) > 0 {
		detail = "installed pairs: " + strings.Join(list, ", ")
	}
	return &UnsupportedPairError{Provider: a.Name(), Endpoint: a.baseURL, Source: source, Target: target, Detail: detail}
}

// listPairs asks the server once which pairs it has; failures are not
// cached, so a server started later is found.
func (a *Apertium) listPairs(ctx context.Context) (map[string]bool, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.pairs != nil {
		return a.pairs, nil
	}
	var resp struct {
		ResponseData []struct {
			SourceLanguage string `json:"sourceLanguage"`
			TargetLanguage string `json:"targetLanguage"`
		} `json:"responseData"`
	}
	if err := getJSON(ctx, a.client, a.Name(), a.baseURL+"/listPairs", nil, &resp, apertiumErrMsg); err != nil {
		return nil, fmt.Errorf("listing apertium pairs at %s: %w", a.baseURL, err)
	}
	pairs := map[string]bool{}
	for _, p := range resp.ResponseData {
		pairs[p.SourceLanguage+"-"+p.TargetLanguage] = true
	}
	a.pairs = pairs
	return pairs, nil
}

func apertiumErrMsg(body []byte) string { return jsonField(body, "message", "explanation") }

// reSeparator matches the separators sent between units.
var reSeparator = regexp.MustCompile(`<hr\s+id\s*=\s*"u(\d+)"\s*/?>`)

// send translates texts in one POST /translate.
func (a *Apertium) send(ctx context.Context, langpair string, req Request, texts []string) ([]unitOut, error) {
	var q strings.Builder
	for i, t := range texts {
		fmt.Fprintf(&q, `<hr id="u%d"/>`, i)
		q.WriteString(t)
	}
	form := url.Values{
		"langpair": {langpair},
		"q":        {q.String()},
		// Unknown words are published without APy's "*" (stripMarks
		// removes "#" and "@", which APy leaves).
		"markUnknown": {"no"},
		// APy's defaults, stated: tags become superblanks on the way in,
		// and text is not turned into entities on the way out.
		"deformat": {"html"},
		"reformat": {"html-noent"},
	}
	hreq, err := http.NewRequest(http.MethodPost, a.baseURL+"/translate", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, &ServiceError{Provider: a.Name(), Message: err.Error()}
	}
	hreq.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	body, err := doHTTP(ctx, a.client, a.Name(), hreq, apertiumErrMsg, func(status int, msg string) error {
		if status == http.StatusBadRequest && strings.Contains(msg, "pair") {
			// "That pair is not installed": the server changed since
			// /listPairs; forget what it said.
			a.mu.Lock()
			a.pairs = nil
			a.mu.Unlock()
			return &UnsupportedPairError{Provider: a.Name(), Endpoint: a.baseURL, Source: req.Source, Target: req.Target, Detail: msg}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var resp struct {
		ResponseData struct {
			TranslatedText string `json:"translatedText"`
		} `json:"responseData"`
	}
	if err := decodeJSON(a.Name(), body, &resp); err != nil {
		return nil, err
	}
	return splitSeparated(resp.ResponseData.TranslatedText, len(texts)), nil
}

// splitSeparated cuts APy's answer at the separators. A unit whose
// separator is missing, repeated or out of place fails alone.
func splitSeparated(out string, n int) []unitOut {
	res := make([]unitOut, n)
	count := make([]int, n)
	locs := reSeparator.FindAllStringSubmatchIndex(out, -1)
	for k, loc := range locs {
		id, err := strconv.Atoi(out[loc[2]:loc[3]])
		if err != nil || id >= n {
			continue
		}
		end := len(out)
		if k+1 < len(locs) {
			end = locs[k+1][0]
		}
		count[id]++
		res[id].text = out[loc[1]:end]
	}
	for i := range res {
		switch {
		case count[i] == 0:
			res[i] = unitOut{err: fmt.Errorf("apertium lost this segment's place in the batch (request truncated?)")}
		case count[i] > 1:
			res[i] = unitOut{err: fmt.Errorf("apertium repeated this segment's separator")}
		}
	}
	if n > 0 && (len(locs) == 0 || strings.TrimSpace(out[:locs[0][0]]) != "") {
		// Text before the first separator belongs to no unit: the first
		// unit is the likeliest owner, so it fails rather than losing text.
		res[0] = unitOut{err: fmt.Errorf("apertium returned text outside any segment")}
	}
	return res
}
