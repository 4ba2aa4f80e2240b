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

// The environment variables internal/config reads into Settings; named
// here once, so that an error about a setting names its variable.
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

// Settings configure the providers NewProvider builds. internal/config
// resolves them (flags, then the Env* variables, then dev.json); empty
// fields take each provider's default. Keys and the AWS region never go
// to dev.json.
type Settings struct {
	ApertiumURL       string `json:"apertium_url,omitempty"`
	DeepLKey          string `json:"-"`
	DeepLURL          string `json:"deepl_url,omitempty"`
	DeepLFormality    string `json:"deepl_formality,omitempty"`
	LibreTranslateURL string `json:"libretranslate_url,omitempty"`
	LibreTranslateKey string `json:"-"`
	AmazonFormality   string `json:"amazon_formality,omitempty"`
	// AWSRegion, when set, is Amazon Translate's region; else the AWS
	// SDK's own chain decides.
	AWSRegion string `json:"-"`
}

var factories = map[string]func(s Settings, c *http.Client) (Provider, error){
	"pseudo": func(Settings, *http.Client) (Provider, error) { return Pseudo{}, nil },
	"apertium": func(s Settings, c *http.Client) (Provider, error) {
		return NewApertium(s.ApertiumURL, c), nil
	},
	"deepl": func(s Settings, c *http.Client) (Provider, error) {
		key := strings.TrimSpace(s.DeepLKey)
		if key == "" {
			return nil, fmt.Errorf("deepl needs an API key in %s", EnvDeepLKey)
		}
		d := NewDeepL(s.DeepLURL, key, c)
		switch f := strings.ToLower(strings.TrimSpace(s.DeepLFormality)); f {
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
	"libretranslate": func(s Settings, c *http.Client) (Provider, error) {
		return NewLibreTranslate(s.LibreTranslateURL, s.LibreTranslateKey, c), nil
	},
	"amazon": func(s Settings, c *http.Client) (Provider, error) {
		formality := strings.ToUpper(strings.TrimSpace(s.AmazonFormality))
		if formality != "" && formality != "FORMAL" && formality != "INFORMAL" {
			return nil, fmt.Errorf("%s=%q: want FORMAL or INFORMAL", EnvAmazonFormality, formality)
		}
		// The normal AWS chain (environment, shared files, SSO, instance
		// roles). Loading reads files, not the network; the deadline is a
		// guard.
		ctx, cancel := context.WithTimeout(context.Background(), amazonConfigDeadline)
		defer cancel()
		var opts []func(*config.LoadOptions) error
		if s.AWSRegion != "" {
			opts = append(opts, config.WithRegion(s.AWSRegion))
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

// NewProvider builds the provider called name from settings: Apertium's
// URL; DeepL's key (required), URL and formality; LibreTranslate's URL
// and key; Amazon's formality and region with the usual AWS
// configuration. httpClient may be nil. Nothing is contacted until the
// first Translate.
func NewProvider(name string, settings Settings, httpClient *http.Client) (Provider, error) {
	f, ok := factories[name]
	if !ok {
		return nil, fmt.Errorf("unknown provider %q (available: %s)", name, strings.Join(ProviderNames(), ", "))
	}
	return f(settings, httpClient)
}

// Lookup adapts NewProvider to ParseRouting:
//
//	r, err := mt.ParseRouting(cfg.MT, mt.Lookup(cfg.Providers, nil))
func Lookup(settings Settings, httpClient *http.Client) func(name string) (Provider, error) {
	return func(name string) (Provider, error) { return NewProvider(name, settings, httpClient) }
}
