package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// noDefaultFile points TEMPORAL_CONFIG_FILE nowhere unless a test names
// one, so the developer's own temporal.toml never leaks into a test.
func noDefaultFile(t *testing.T, m map[string]string) map[string]string {
	if _, ok := m["TEMPORAL_CONFIG_FILE"]; !ok {
		m["TEMPORAL_CONFIG_FILE"] = filepath.Join(t.TempDir(), "absent.toml")
	}
	return m
}

func TestPrecedenceEnvOverDevState(t *testing.T) {
	dir := t.TempDir()
	if err := WriteState(dir, Config{TemporalAddress: "127.0.0.1:1111", Namespace: "devns", TaskQueue: "q", S3: S3{Endpoint: "http://127.0.0.1:7070", Bucket: "b"}}); err != nil {
		t.Fatal(err)
	}
	c, err := Load(dir, env(map[string]string{}))
	if err != nil {
		t.Fatal(err)
	}
	if c.TemporalAddress != "127.0.0.1:1111" || c.Namespace != "devns" || c.S3.Bucket != "b" || c.TLS() {
		t.Fatalf("dev.json not applied: %+v", c)
	}
	c, err = Load(dir, env(map[string]string{"TEMPORAL_ADDRESS": "10.0.0.1:7233", "PRESSROOM_BUCKET": "prod"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.TemporalAddress != "10.0.0.1:7233" || c.Namespace != "devns" || c.S3.Bucket != "prod" {
		t.Fatalf("environment should override dev.json: %+v", c)
	}
	if !strings.Contains(c.Source, "dev.json") || !strings.Contains(c.Source, "environment") {
		t.Fatalf("source %q should name dev.json and the environment", c.Source)
	}
}

func TestDefaults(t *testing.T) {
	c, err := Load(t.TempDir(), env(noDefaultFile(t, map[string]string{})))
	if err != nil {
		t.Fatal(err)
	}
	if c.TemporalAddress != DefaultTemporalAddress || c.Namespace != DefaultNamespace || c.Source != "defaults" || c.TLS() {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestTemporalProfiles(t *testing.T) {
	file, _ := filepath.Abs("testdata/temporal.toml")
	cases := []struct {
		name        string
		env         map[string]string
		addr, ns    string
		tls, apiKey bool
	}{
		{"default profile", map[string]string{"TEMPORAL_CONFIG_FILE": file}, "default.example.internal:7233", "pressroom-default", false, false},
		{"cloud profile: API key implies TLS", map[string]string{"TEMPORAL_CONFIG_FILE": file, "TEMPORAL_PROFILE": "cloud"}, "pressroom.a1b2c.tmprl.cloud:7233", "pressroom.a1b2c", true, true},
		{"mtls profile", map[string]string{"TEMPORAL_CONFIG_FILE": file, "TEMPORAL_PROFILE": "mtls"}, "temporal.internal:7233", "pressroom", true, false},
		{"environment over profile", map[string]string{"TEMPORAL_CONFIG_FILE": file, "TEMPORAL_PROFILE": "cloud", "TEMPORAL_ADDRESS": "override:7233", "TEMPORAL_API_KEY": "env-key"}, "override:7233", "pressroom.a1b2c", true, true},
		{"TLS from environment only", noDefaultFile(t, map[string]string{"TEMPORAL_ADDRESS": "x:7233", "TEMPORAL_TLS_SERVER_CA_CERT_PATH": "/ca.pem"}), "x:7233", DefaultNamespace, true, false},
		{"TEMPORAL_TLS=false", noDefaultFile(t, map[string]string{"TEMPORAL_API_KEY": "k", "TEMPORAL_TLS": "false"}), DefaultTemporalAddress, DefaultNamespace, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(t.TempDir(), env(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			if c.TemporalAddress != tc.addr || c.Namespace != tc.ns || c.TLS() != tc.tls || (c.Temporal.APIKey != "") != tc.apiKey {
				t.Fatalf("got address %q namespace %q tls %v api key %v; want %q %q %v %v", c.TemporalAddress, c.Namespace, c.TLS(), c.Temporal.APIKey != "", tc.addr, tc.ns, tc.tls, tc.apiKey)
			}
		})
	}
	c, _ := Load(t.TempDir(), env(map[string]string{"TEMPORAL_CONFIG_FILE": file, "TEMPORAL_PROFILE": "mtls"}))
	if tl := c.Temporal.TLS; tl == nil || tl.ClientCertPath != "/etc/pressroom/client.pem" || tl.ServerName != "temporal.internal" {
		t.Fatalf("mtls profile TLS settings not loaded: %+v", c.Temporal.TLS)
	}
	if !strings.Contains(c.Source, "temporal.toml profile mtls") {
		t.Fatalf("source %q should name the profile", c.Source)
	}
}

// Next to `pressroom dev` a personal default profile must not redirect
// commands to another cluster; naming a profile explicitly does.
func TestDevStateShadowsDefaultProfile(t *testing.T) {
	file, _ := filepath.Abs("testdata/temporal.toml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir() // the user's config folder, with a default profile
	if err := os.MkdirAll(filepath.Join(home, "temporalio"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "temporalio", "temporal.toml"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CONFIG_HOME", home)
	c, err := Load(t.TempDir(), env(map[string]string{}))
	if err != nil {
		t.Fatal(err)
	}
	if c.TemporalAddress != "default.example.internal:7233" {
		t.Fatalf("without dev.json the user's default profile applies: %+v", c)
	}
	dir := t.TempDir()
	if err := WriteState(dir, Config{TemporalAddress: "127.0.0.1:1111", Namespace: "default"}); err != nil {
		t.Fatal(err)
	}
	c, err = Load(dir, env(map[string]string{}))
	if err != nil {
		t.Fatal(err)
	}
	if c.TemporalAddress != "127.0.0.1:1111" || c.Namespace != "default" {
		t.Fatalf("dev.json should win over an implicit profile: %+v", c)
	}
	c, err = Load(dir, env(map[string]string{"TEMPORAL_PROFILE": "cloud"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.TemporalAddress != "pressroom.a1b2c.tmprl.cloud:7233" || !c.TLS() {
		t.Fatalf("an explicit profile should win over dev.json: %+v", c)
	}
}

func TestBadTemporalConfig(t *testing.T) {
	unknown, _ := filepath.Abs("testdata/unknown-key.toml")
	file, _ := filepath.Abs("testdata/temporal.toml")
	for name, e := range map[string]map[string]string{
		"unknown key":     {"TEMPORAL_CONFIG_FILE": unknown},
		"missing profile": {"TEMPORAL_CONFIG_FILE": file, "TEMPORAL_PROFILE": "staging"},
	} {
		_, err := Load(t.TempDir(), env(e))
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		var cerr *Error
		if !errors.As(err, &cerr) || !strings.Contains(err.Error(), e["TEMPORAL_CONFIG_FILE"]) {
			t.Fatalf("%s: error %q should be a config.Error naming the file", name, err)
		}
		t.Logf("%s: %v", name, err)
	}
}

func TestDevStateNeverHoldsTemporalCredentials(t *testing.T) {
	dir := t.TempDir()
	c := Config{TemporalAddress: "x:1"}
	c.Temporal.APIKey = "secret-api-key"
	if err := WriteState(dir, c); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(StatePath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "secret-api-key") {
		t.Fatalf("dev.json holds the API key:\n%s", b)
	}
}

// A webhook URL without a (long enough) secret is refused at load, with
// the variable to set.
func TestLoadRefusesWebhookWithoutSecret(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct {
		secret string
		want   string
	}{
		"empty": {"", "PRESSROOM_WEBHOOK_SECRET is empty"},
		"blank": {"   ", "PRESSROOM_WEBHOOK_SECRET is empty"},
		"short": {"abc", "PRESSROOM_WEBHOOK_SECRET is 3 bytes long"},
	} {
		_, err := Load(dir, env(map[string]string{"PRESSROOM_WEBHOOK_URL": "https://hooks.example/p", "PRESSROOM_WEBHOOK_SECRET": c.secret}))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "at least 16") {
			t.Errorf("%s: %v", name, err)
		}
	}
	c, err := Load(dir, env(map[string]string{"PRESSROOM_WEBHOOK_URL": "https://hooks.example/p", "PRESSROOM_WEBHOOK_SECRET": strings.Repeat("k", 16)}))
	if err != nil || c.WebhookSecret == "" {
		t.Fatalf("%+v %v", c, err)
	}
	if _, err := Load(dir, env(nil)); err != nil {
		t.Fatalf("no webhook: %v", err)
	}
}

func TestPreviewSecret(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir, env(map[string]string{"PRESSROOM_PREVIEW_SECRET": "short"})); err == nil || !strings.Contains(err.Error(), "PRESSROOM_PREVIEW_SECRET is 5 bytes") {
		t.Errorf("short preview secret: %v", err)
	}
	key := strings.Repeat("p", 32)
	c, err := Load(dir, env(map[string]string{"PRESSROOM_PREVIEW_SECRET": key}))
	if err != nil || c.PreviewSecret != key {
		t.Fatalf("%q %v", c.PreviewSecret, err)
	}
	if err := WriteState(dir, c); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(StatePath(dir))
	if err != nil || strings.Contains(string(b), key) {
		t.Errorf("dev.json holds the preview key or is unreadable (%v): %s", err, b)
	}
}
