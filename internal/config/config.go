// Package config resolves where Pressroom's Temporal server and object store
// are: flags override the environment, the environment overrides the state
// file `pressroom dev` leaves in .pressroom/dev.json, and that overrides the
// defaults. So commands run next to `pressroom dev` need no flags.
//
// The Temporal connection follows Temporal's own environment configuration
// (go.temporal.io/sdk/contrib/envconfig): TEMPORAL_ADDRESS,
// TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_GRPC_META_*
// and profiles in temporal.toml, so one binary reaches a dev server, a
// self-hosted cluster with mTLS or Temporal Cloud.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"go.temporal.io/sdk/contrib/envconfig"

	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/preview"
	"github.com/pressroom/pressroom/internal/store"
)

// Defaults.
const (
	DefaultTemporalAddress = "127.0.0.1:7233"
	DefaultNamespace       = "default"
	DefaultTaskQueue       = "pressroom"
	DefaultBucket          = "pressroom"
	DefaultStateDir        = ".pressroom"
)

// Config is everything a Pressroom process needs to find its services.
type Config struct {
	TemporalAddress string `json:"temporal_address"`
	Namespace       string `json:"namespace"`
	TaskQueue       string `json:"task_queue"`
	TemporalUI      string `json:"temporal_ui,omitempty"`
	SiteURL         string `json:"site_url,omitempty"`
	S3              S3     `json:"s3"`
	// MT is the machine-translation routing, e.g. "es=apertium,*=pseudo".
	MT string `json:"mt,omitempty"`
	// Providers are the machine-translation providers' settings (URLs,
	// keys, formality). Keys are never written to dev.json.
	Providers mt.Settings `json:"mt_providers,omitzero"`
	// WebhookURL receives signed events; WebhookSecret signs them.
	WebhookURL    string `json:"webhook_url,omitempty"`
	WebhookSecret string `json:"-"`
	// PreviewSecret signs preview links (PRESSROOM_PREVIEW_SECRET); ""
	// uses a key kept in the bucket. Never written to dev.json.
	PreviewSecret string `json:"-"`
	// Temporal is the rest of the Temporal connection — TLS, API key, gRPC
	// metadata — from temporal.toml and TEMPORAL_* variables. Its Address
	// and Namespace are ignored: TemporalAddress and Namespace rule. Never
	// written to dev.json: it may hold credentials.
	Temporal envconfig.ClientConfigProfile `json:"-"`
	// Source says where the values came from, for error messages.
	Source string `json:"-"`
}

// S3 is the object store part of Config.
type S3 struct {
	Endpoint  string `json:"endpoint"`
	Region    string `json:"region"`
	AccessKey string `json:"access_key"`
	SecretKey string `json:"secret_key"`
	Bucket    string `json:"bucket"`
}

// Store converts to the store package's configuration.
func (c Config) Store() store.Config {
	return store.Config{Endpoint: c.S3.Endpoint, Region: c.S3.Region, AccessKey: c.S3.AccessKey, SecretKey: c.S3.SecretKey, Bucket: c.S3.Bucket}
}

// StatePath is where `pressroom dev` records its addresses.
func StatePath(stateDir string) string { return filepath.Join(stateDir, "dev.json") }

// WriteState records a running dev stack's addresses for other commands.
func WriteState(stateDir string, c Config) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp := StatePath(stateDir) + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, StatePath(stateDir))
}

// Load resolves the configuration: the dev state file (if any), then
// Temporal's environment configuration, then environment variables, each
// overriding what came before.
//
// temporal.toml (TEMPORAL_CONFIG_FILE, else the user's config folder;
// profile TEMPORAL_PROFILE, else "default") is read when there is no
// dev.json, or when TEMPORAL_CONFIG_FILE or TEMPORAL_PROFILE ask for it:
// next to `pressroom dev` a personal profile for a remote cluster must not
// redirect commands meant for the local stack.
func Load(stateDir string, getenv func(string) string) (Config, error) {
	c := Config{
		TemporalAddress: DefaultTemporalAddress,
		Namespace:       DefaultNamespace,
		TaskQueue:       DefaultTaskQueue,
		S3:              S3{Bucket: DefaultBucket},
		Source:          "defaults",
	}
	var sources []string
	b, err := os.ReadFile(StatePath(stateDir))
	haveState := err == nil
	switch {
	case err == nil:
		var st Config
		if err := json.Unmarshal(b, &st); err != nil {
			return c, fmt.Errorf("config: %s: %w", StatePath(stateDir), err)
		}
		merge(&c, st)
		sources = append(sources, StatePath(stateDir))
	case !errors.Is(err, fs.ErrNotExist):
		return c, fmt.Errorf("config: %w", err)
	}

	lookup := envLookup(getenv)
	useFile := !haveState || getenv("TEMPORAL_CONFIG_FILE") != "" || getenv("TEMPORAL_PROFILE") != ""
	prof, err := envconfig.LoadClientConfigProfile(envconfig.LoadClientConfigProfileOptions{
		DisableFile: !useFile, ConfigFileStrict: true, EnvLookup: lookup,
	})
	if err != nil {
		return c, &Error{Where: temporalFile(getenv, useFile), Err: err}
	}
	fromFile := envconfig.ClientConfigProfile{}
	if useFile {
		// Which values came from the file, to name the source honestly.
		fromFile, _ = envconfig.LoadClientConfigProfile(envconfig.LoadClientConfigProfileOptions{DisableEnv: true, EnvLookup: lookup})
	}
	if fromFile.Address != "" || fromFile.Namespace != "" || fromFile.APIKey != "" || fromFile.TLS != nil {
		sources = append(sources, "temporal.toml profile "+profileName(getenv))
	}
	c.Temporal = prof
	setStr(&c.TemporalAddress, prof.Address)
	setStr(&c.Namespace, prof.Namespace)

	env := Environment(getenv)
	merge(&c, env)
	if !reflect.ValueOf(env).IsZero() || hasTemporalEnv(getenv) {
		sources = append(sources, "environment")
	}
	if len(sources) > 0 {
		c.Source = strings.Join(sources, " and ")
	}
	if n := len(c.PreviewSecret); n > 0 && n < preview.MinSecret {
		return c, fmt.Errorf("config: %s is %d bytes; a preview signing key needs at least %d (e.g. openssl rand -hex 32)", preview.SecretEnv, n, preview.MinSecret)
	}
	if err := c.checkWebhook(); err != nil {
		return c, err
	}
	return c, nil
}

// Environment is the part of the configuration Pressroom's own variables
// (and the AWS ones) set; empty fields were not set. Temporal's
// variables are read by Load through envconfig.
func Environment(getenv func(string) string) Config {
	return Config{
		TaskQueue:     getenv("PRESSROOM_TASK_QUEUE"),
		SiteURL:       getenv("PRESSROOM_SITE_URL"),
		MT:            getenv("PRESSROOM_MT"),
		WebhookURL:    getenv("PRESSROOM_WEBHOOK_URL"),
		WebhookSecret: getenv("PRESSROOM_WEBHOOK_SECRET"),
		PreviewSecret: getenv(preview.SecretEnv),
		S3: S3{
			Endpoint:  firstNonEmpty(getenv("AWS_ENDPOINT_URL_S3"), getenv("AWS_ENDPOINT_URL")),
			Region:    getenv("AWS_REGION"),
			AccessKey: getenv("AWS_ACCESS_KEY_ID"),
			SecretKey: getenv("AWS_SECRET_ACCESS_KEY"),
			Bucket:    getenv("PRESSROOM_BUCKET"),
		},
		Providers: mt.Settings{
			ApertiumURL:       getenv(mt.EnvApertiumURL),
			DeepLKey:          getenv(mt.EnvDeepLKey),
			DeepLURL:          getenv(mt.EnvDeepLURL),
			DeepLFormality:    getenv(mt.EnvDeepLFormality),
			LibreTranslateURL: getenv(mt.EnvLibreURL),
			LibreTranslateKey: getenv(mt.EnvLibreKey),
			AmazonFormality:   getenv(mt.EnvAmazonFormality),
			AWSRegion:         getenv("AWS_REGION"),
		},
	}
}

// ApplyFlags lays the values given on the command line (the non-empty
// fields of flags) over c: flags override everything else.
func ApplyFlags(c *Config, flags Config) {
	if reflect.ValueOf(flags).IsZero() {
		return
	}
	merge(c, flags)
	c.Source = "flags"
}

// MinWebhookSecret is the shortest webhook secret accepted, in bytes.
const MinWebhookSecret = 16

// checkWebhook refuses a webhook URL without a secret: the events would
// be signed with an empty key, which anyone can forge.
func (c Config) checkWebhook() error {
	if c.WebhookURL == "" {
		return nil
	}
	if n := len(strings.TrimSpace(c.WebhookSecret)); n < MinWebhookSecret {
		what := "empty"
		if n > 0 {
			what = fmt.Sprintf("%d bytes long", n)
		}
		return fmt.Errorf("config: PRESSROOM_WEBHOOK_URL is set (%s) but PRESSROOM_WEBHOOK_SECRET is %s: receivers could not tell Pressroom's events from forged ones; set a secret of at least %d random bytes (e.g. openssl rand -hex 32)", c.Source, what, MinWebhookSecret)
	}
	return nil
}

// Error is a configuration that cannot be used: a bad temporal.toml, a
// missing profile. Fixing it is the user's part, as with bad input.
type Error struct {
	Where string // the file or variables at fault
	Err   error
}

func (e *Error) Error() string { return "config: " + e.Where + ": " + e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// temporalFile names where Temporal's client configuration was read from.
func temporalFile(getenv func(string) string, useFile bool) string {
	if !useFile {
		return "TEMPORAL_* variables"
	}
	f := getenv("TEMPORAL_CONFIG_FILE")
	if f == "" {
		f = envconfig.DefaultConfigFilePath()
	}
	return fmt.Sprintf("Temporal client configuration %s (profile %s) and TEMPORAL_* variables", f, profileName(getenv))
}

// TLS says whether the Temporal connection uses TLS (explicitly, or
// implied by an API key).
func (c Config) TLS() bool {
	if c.Temporal.TLS != nil {
		return !c.Temporal.TLS.Disabled
	}
	return c.Temporal.APIKey != ""
}

// temporalEnv are the variables of Temporal's environment configuration
// that Pressroom reads through envconfig.
var temporalEnv = []string{
	"TEMPORAL_ADDRESS", "TEMPORAL_NAMESPACE", "TEMPORAL_API_KEY", "TEMPORAL_TLS",
	"TEMPORAL_TLS_CLIENT_CERT_PATH", "TEMPORAL_TLS_CLIENT_CERT_DATA", "TEMPORAL_TLS_CLIENT_KEY_PATH",
	"TEMPORAL_TLS_CLIENT_KEY_DATA", "TEMPORAL_TLS_SERVER_CA_CERT_PATH", "TEMPORAL_TLS_SERVER_CA_CERT_DATA",
	"TEMPORAL_TLS_SERVER_NAME", "TEMPORAL_TLS_DISABLE_HOST_VERIFICATION", "TEMPORAL_CLIENT_AUTHORITY",
}

func hasTemporalEnv(getenv func(string) string) bool {
	for _, k := range temporalEnv {
		if getenv(k) != "" {
			return true
		}
	}
	return false
}

func profileName(getenv func(string) string) string {
	if p := getenv("TEMPORAL_PROFILE"); p != "" {
		return p
	}
	return envconfig.DefaultConfigFileProfile
}

// envLookup adapts a getenv function to envconfig. An empty variable
// counts as unset, as everywhere else in Pressroom.
type envLookup func(string) string

func (e envLookup) LookupEnv(k string) (string, bool) {
	v := e(k)
	return v, v != ""
}

// Environ lists the TEMPORAL_GRPC_META_* variables (the only ones
// envconfig enumerates), with their values as getenv sees them.
func (e envLookup) Environ() []string {
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "TEMPORAL_GRPC_META_") {
			if v := e(k); v != "" {
				out = append(out, k+"="+v)
			}
		}
	}
	return out
}

func setStr(d *string, s string) {
	if s != "" {
		*d = s
	}
}

// merge copies the non-empty fields of src over dst.
func merge(dst *Config, src Config) {
	set := setStr
	set(&dst.TemporalAddress, src.TemporalAddress)
	set(&dst.Namespace, src.Namespace)
	set(&dst.TaskQueue, src.TaskQueue)
	set(&dst.TemporalUI, src.TemporalUI)
	set(&dst.SiteURL, src.SiteURL)
	set(&dst.MT, src.MT)
	set(&dst.WebhookURL, src.WebhookURL)
	set(&dst.WebhookSecret, src.WebhookSecret)
	set(&dst.PreviewSecret, src.PreviewSecret)
	set(&dst.S3.Endpoint, src.S3.Endpoint)
	set(&dst.S3.Region, src.S3.Region)
	set(&dst.S3.AccessKey, src.S3.AccessKey)
	set(&dst.S3.SecretKey, src.S3.SecretKey)
	set(&dst.S3.Bucket, src.S3.Bucket)
	p, q := &dst.Providers, src.Providers
	set(&p.ApertiumURL, q.ApertiumURL)
	set(&p.DeepLKey, q.DeepLKey)
	set(&p.DeepLURL, q.DeepLURL)
	set(&p.DeepLFormality, q.DeepLFormality)
	set(&p.LibreTranslateURL, q.LibreTranslateURL)
	set(&p.LibreTranslateKey, q.LibreTranslateKey)
	set(&p.AmazonFormality, q.AmazonFormality)
	set(&p.AWSRegion, q.AWSRegion)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
