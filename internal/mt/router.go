package mt

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/text/language"
)

// Router picks providers per target locale: an ordered fallback chain per
// locale and a default chain for "*". It is itself a Provider.
//
// A chain is tried in order. Segments a provider fails (a Result with Err,
// or the whole batch when Translate returns an error) go to the next
// provider, so one flaky engine does not fail a document. Cancellation of
// the caller's context stops the chain at once.
type Router struct {
	chains   map[string]route // routeKey → chain
	fallback []Provider       // for locales without a chain
}

type route struct {
	locale    string // as configured, canonical
	providers []Provider
}

// NewRouter returns a router. Keys of chains are BCP 47 tags (any case);
// a "*" key, if present and fallback is nil, is the default chain. Keys
// that do not parse are ignored, and of keys naming the same locale ("zh"
// and "zh-Hans") the first in sorted order wins; ParseRouting reports both
// as errors.
func NewRouter(chains map[string][]Provider, fallback []Provider) *Router {
	r := &Router{chains: make(map[string]route, len(chains)), fallback: fallback}
	keys := make([]string, 0, len(chains))
	for k := range chains {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		c := chains[k]
		if k == "*" {
			if r.fallback == nil {
				r.fallback = c
			}
			continue
		}
		t, err := language.Parse(k)
		if err != nil {
			continue // cannot match any request; ParseRouting reports these
		}
		if _, dup := r.chains[routeKey(t)]; !dup {
			r.chains[routeKey(t)] = route{locale: t.String(), providers: c}
		}
	}
	return r
}

// routeKey identifies a locale for routing: language, script (explicit or
// likely) and explicit region. So "zh" and "zh-Hans" share the key zh-Hans
// while "zh-Hant" does not, and "sr-Latn" differs from "sr". (A regional
// tag such as "zh-CN" reaches the zh-Hans chain through its CLDR parent.)
func routeKey(t language.Tag) string {
	base, _ := t.Base()
	script, _ := t.Script()
	key := base.String() + "-" + script.String()
	if region, conf := t.Region(); conf == language.Exact {
		key += "-" + region.String()
	}
	return key
}

// ParseRouting builds a router from a spec such as
// "es=apertium,ca=apertium,fr=deepl|amazon|pseudo,*=pseudo": comma-separated
// LOCALE=PROVIDER[|PROVIDER...] entries, "*" naming the default chain. An
// empty spec means "*=pseudo". lookup is called once per provider name.
func ParseRouting(spec string, lookup func(name string) (Provider, error)) (*Router, error) {
	if strings.TrimSpace(spec) == "" {
		spec = "*=pseudo"
	}
	providers := map[string]Provider{}
	chains := map[string]route{}
	var fallback []Provider
	for n, entry := range strings.Split(spec, ",") {
		entry = strings.TrimSpace(entry)
		bad := func(format string, args ...any) error {
			return fmt.Errorf("mt routing entry %d %q: %s (want LOCALE=PROVIDER[|PROVIDER...])", n+1, entry, fmt.Sprintf(format, args...))
		}
		if entry == "" {
			return nil, fmt.Errorf("mt routing entry %d is empty (want LOCALE=PROVIDER[|PROVIDER...])", n+1)
		}
		locale, names, ok := strings.Cut(entry, "=")
		locale, names = strings.TrimSpace(locale), strings.TrimSpace(names)
		if !ok || locale == "" || names == "" {
			return nil, bad("missing locale or providers")
		}
		key, canon := "*", "*"
		if locale != "*" {
			t, err := language.Parse(locale)
			if err != nil {
				return nil, bad("locale %q is not a BCP 47 tag", locale)
			}
			key, canon = routeKey(t), t.String()
		}
		if prev, dup := chains[key]; dup {
			return nil, bad("locale %s already routed as %s", canon, prev.locale)
		}
		if key == "*" && fallback != nil {
			return nil, bad("default chain \"*\" given twice")
		}
		var chain []Provider
		seen := map[string]bool{}
		for _, name := range strings.Split(names, "|") {
			name = strings.TrimSpace(name)
			if name == "" {
				return nil, bad("empty provider name")
			}
			if seen[name] {
				return nil, bad("provider %q listed twice", name)
			}
			seen[name] = true
			p, ok := providers[name]
			if !ok {
				var err error
				if p, err = lookup(name); err != nil {
					return nil, bad("provider %q: %v", name, err)
				}
				providers[name] = p
			}
			chain = append(chain, p)
		}
		if key == "*" {
			fallback = chain
		} else {
			chains[key] = route{locale: canon, providers: chain}
		}
	}
	return &Router{chains: chains, fallback: fallback}, nil
}

// String returns the routing in ParseRouting syntax, locales sorted, "*" last.
func (r *Router) String() string {
	names := func(c []Provider) string {
		var s []string
		for _, p := range c {
			s = append(s, p.Name())
		}
		return strings.Join(s, "|")
	}
	var entries []string
	for _, c := range r.chains {
		entries = append(entries, c.locale+"="+names(c.providers))
	}
	sort.Strings(entries)
	if r.fallback != nil {
		entries = append(entries, "*="+names(r.fallback))
	}
	return strings.Join(entries, ",")
}

// Name implements Provider.
func (r *Router) Name() string { return "router" }

// chain returns the chain for target: the locale's own, else its nearest
// CLDR parent's (es-MX → es-419 → es; zh-Hant does not fall back to zh),
// else the default.
func (r *Router) chain(target string) []Provider {
	t, err := language.Parse(target)
	if err != nil {
		return r.fallback
	}
	for ; t != language.Und; t = t.Parent() {
		if c, ok := r.chains[routeKey(t)]; ok {
			return c.providers
		}
	}
	return r.fallback
}

// Translate implements Provider. Results are in request order; a segment
// every provider failed comes back with Err joining each provider's error.
// If every provider in the chain reports the pair unsupported (or there is
// no chain), the error is an *UnsupportedPairError.
func (r *Router) Translate(ctx context.Context, req Request) ([]Result, error) {
	chain := r.chain(req.Target)
	if len(chain) == 0 {
		return nil, &UnsupportedPairError{Provider: r.Name(), Source: req.Source, Target: req.Target}
	}
	results := make([]Result, len(req.Segments))
	errs := make([][]error, len(req.Segments))
	pending := make([]int, len(req.Segments)) // indexes into req.Segments
	for i := range pending {
		pending[i] = i
	}
	if len(pending) == 0 {
		return results, nil
	}
	allUnsupported := true
	for _, p := range chain {
		if len(pending) == 0 {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sub := req
		sub.Segments = make([]Segment, len(pending))
		for j, i := range pending {
			sub.Segments[j] = req.Segments[i]
		}
		res, err := p.Translate(ctx, sub)
		if err == nil {
			err = checkResults(sub.Segments, res)
		}
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				// The caller gave up; trying more providers is wasted work.
				if errors.Is(err, cerr) {
					return nil, err
				}
				return nil, fmt.Errorf("%w (%s: %v)", cerr, p.Name(), err)
			}
			var perr error
			if IsUnsupportedPair(err) {
				// Kept in the message but not wrapped: if another provider
				// accepts the pair, a segment's failure is not permanent,
				// and IsUnsupportedPair on it must not say so.
				perr = fmt.Errorf("%s: %v", p.Name(), err)
			} else {
				allUnsupported = false
				perr = fmt.Errorf("%s: %w", p.Name(), err)
			}
			for _, i := range pending {
				errs[i] = append(errs[i], perr)
			}
			continue
		}
		allUnsupported = false
		var still []int
		for j, i := range pending {
			if res[j].Err != nil {
				errs[i] = append(errs[i], fmt.Errorf("%s: %w", p.Name(), res[j].Err))
				still = append(still, i)
				continue
			}
			results[i] = res[j]
			if results[i].Provenance == "" {
				results[i].Provenance = "mt:" + p.Name()
			}
		}
		pending = still
	}
	if allUnsupported {
		names := make([]string, len(chain))
		for i, p := range chain {
			names[i] = p.Name()
		}
		return nil, &UnsupportedPairError{Provider: strings.Join(names, "|"), Source: req.Source, Target: req.Target}
	}
	for _, i := range pending {
		results[i] = Result{ID: req.Segments[i].ID, Err: errors.Join(errs[i]...)}
	}
	return results, nil
}

// checkResults guards against a provider that breaks the Provider contract
// (one result per segment, in order): its answer is treated as a failure.
func checkResults(segs []Segment, res []Result) error {
	if len(res) != len(segs) {
		return fmt.Errorf("returned %d results for %d segments", len(res), len(segs))
	}
	for j := range segs {
		if res[j].ID != segs[j].ID {
			return fmt.Errorf("result %d has ID %q, want %q", j, res[j].ID, segs[j].ID)
		}
	}
	return nil
}
