package mt

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
)

// Environment variables read by NewProvider.
const (
	EnvApertiumURL       = "PRESSROOM_APERTIUM_URL"
	EnvDeepLKey          = "PRESSROOM_DEEPL_KEY"
	EnvDeepLURL          = "PRESSROOM_DEEPL_URL"
	EnvDeepLFormality    = "PRESSROOM_DEEPL_FORMALITY"
	EnvLibreURL          = "PRESSROOM_LIBRETRANSLATE_URL"
	EnvLibreKey          = "PRESSROOM_LIBRETRANSLATE_KEY"
	EnvAmazonFormality   = "PRESSROOM_AMAZON_FORMALITY"
	amazonConfigDeadline = 30 * time.Second
)

var factories = map[string]func(env func(string) string, c *http.Client) (Provider, error){
	"pseudo": func(func(string) string, *http.Client) (Provider, error) { return Pseudo{}, nil },
	"apertium": func(env func(string) string, c *http.Client) (Provider, error) {
		return NewApertium(env(EnvApertiumURL), c), nil
	},
	"deepl": func(env func(string) string, c *http.Client) (Provider, error) {
		key := strings.TrimSpace(env(EnvDeepLKey))
		if key == "" {
			return nil, fmt.Errorf("deepl needs an API key in %s", EnvDeepLKey)
		}
		d := NewDeepL(env(EnvDeepLURL), key, c)
		switch f := strings.ToLower(strings.TrimSpace(env(EnvDeepLFormality))); f {
		case "", "default":
		case "formal":
			d.Formality = "prefer_more"
		case "informal":
			d.Formality = "prefer_less"
		case "more", "less", "prefer_more", "prefer_less":
			d.Formality = f
		default:
			return nil, fmt.Errorf("%s=%q: want formal, informal, more, less, prefer_more or prefer_less", EnvDeepLFormality, f)
		}
		return d, nil
	},
	"libretranslate": func(env func(string) string, c *http.Client) (Provider, error) {
		return NewLibreTranslate(env(EnvLibreURL), env(EnvLibreKey), c), nil
	},
	"amazon": func(env func(string) string, c *http.Client) (Provider, error) {
		formality := strings.ToUpper(strings.TrimSpace(env(EnvAmazonFormality)))
		if formality != "" && formality != "FORMAL" && formality != "INFORMAL" {
			return nil, fmt.Errorf("%s=%q: want FORMAL or INFORMAL", EnvAmazonFormality, formality)
		}
		// The normal AWS chain (environment, shared files, SSO, instance
		// roles). Loading reads files, not the network; the deadline is a
		// guard.
		ctx, cancel := context.WithTimeout(context.Background(), amazonConfigDeadline)
		defer cancel()
		var opts []func(*config.LoadOptions) error
		if r := env("AWS_REGION"); r != "" {
			opts = append(opts, config.WithRegion(r))
		}
		if c != nil {
			opts = append(opts, config.WithHTTPClient(c))
		}
		cfg, err := config.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			return nil, fmt.Errorf("amazon: loading AWS configuration: %w", err)
		}
		if cfg.Region == "" {
			return nil, fmt.Errorf("amazon: no AWS region configured (set AWS_REGION)")
		}
		return NewAmazonFromConfig(cfg, formality), nil
	},
}

// ProviderNames lists the names NewProvider knows, sorted.
func ProviderNames() []string {
	names := make([]string, 0, len(factories))
	for n := range factories {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// NewProvider builds the provider called name, configured from env
// (os.Getenv in production): PRESSROOM_APERTIUM_URL; PRESSROOM_DEEPL_KEY
// (required), PRESSROOM_DEEPL_URL, PRESSROOM_DEEPL_FORMALITY;
// PRESSROOM_LIBRETRANSLATE_URL, PRESSROOM_LIBRETRANSLATE_KEY;
// PRESSROOM_AMAZON_FORMALITY with the usual AWS configuration. httpClient
// may be nil. Nothing is contacted until the first Translate.
func NewProvider(name string, env func(string) string, httpClient *http.Client) (Provider, error) {
	if env == nil {
		env = func(string) string { return "" }
	}
	f, ok := factories[name]
	if !ok {
		return nil, fmt.Errorf("unknown provider %q (available: %s)", name, strings.Join(ProviderNames(), ", "))
	}
	return f(env, httpClient)
}

// Lookup adapts NewProvider to ParseRouting:
//
//	r, err := mt.ParseRouting(os.Getenv("PRESSROOM_MT"), mt.Lookup(os.Getenv, nil))
func Lookup(env func(string) string, httpClient *http.Client) func(name string) (Provider, error) {
	return func(name string) (Provider, error) { return NewProvider(name, env, httpClient) }
}
