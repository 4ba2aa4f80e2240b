package config

import (
	"os"
	"strings"
	"testing"

	"github.com/pressroom/pressroom/internal/mt"
)

// The machine-translation settings resolve like the rest: flags over the
// environment over dev.json over defaults, field by field.
func TestMTSettingsPrecedence(t *testing.T) {
	state := Config{MT: "es=apertium,*=pseudo", Providers: mt.Settings{ApertiumURL: "http://state:2737", DeepLURL: "http://state-deepl", AmazonFormality: "FORMAL"}}
	fullEnv := map[string]string{
		"PRESSROOM_MT":                 "fr=deepl,*=pseudo",
		"PRESSROOM_APERTIUM_URL":       "http://env:2737",
		"PRESSROOM_DEEPL_KEY":          "env-key",
		"PRESSROOM_DEEPL_URL":          "http://env-deepl",
		"PRESSROOM_DEEPL_FORMALITY":    "informal",
		"PRESSROOM_LIBRETRANSLATE_URL": "http://env-lt",
		"PRESSROOM_LIBRETRANSLATE_KEY": "lt-key",
		"PRESSROOM_AMAZON_FORMALITY":   "INFORMAL",
		"AWS_REGION":                   "eu-west-1",
	}
	fromEnv := mt.Settings{ApertiumURL: "http://env:2737", DeepLKey: "env-key", DeepLURL: "http://env-deepl", DeepLFormality: "informal",
		LibreTranslateURL: "http://env-lt", LibreTranslateKey: "lt-key", AmazonFormality: "INFORMAL", AWSRegion: "eu-west-1"}
	cases := []struct {
		name      string
		state     *Config
		env       map[string]string
		flags     Config
		routing   string
		providers mt.Settings
		source    string
	}{
		{name: "defaults", env: map[string]string{}, source: "defaults"},
		{name: "dev.json", state: &state, env: map[string]string{}, routing: state.MT, providers: state.Providers, source: "dev.json"},
		{name: "environment alone", env: fullEnv, routing: "fr=deepl,*=pseudo", providers: fromEnv, source: "environment"},
		{name: "environment over dev.json, field by field", state: &state, env: map[string]string{"PRESSROOM_APERTIUM_URL": "http://env:2737"},
			routing: state.MT, providers: mt.Settings{ApertiumURL: "http://env:2737", DeepLURL: "http://state-deepl", AmazonFormality: "FORMAL"}, source: "dev.json and environment"},
		{name: "flags over environment", state: &state, env: fullEnv, flags: Config{MT: "*=pseudo", Providers: mt.Settings{ApertiumURL: "http://flag:2737"}},
			routing: "*=pseudo", providers: func() mt.Settings { s := fromEnv; s.ApertiumURL = "http://flag:2737"; return s }(), source: "flags"},
		{name: "no flags leave the source", env: fullEnv, flags: Config{}, routing: "fr=deepl,*=pseudo", providers: fromEnv, source: "environment"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.state != nil {
				if err := WriteState(dir, *tc.state); err != nil {
					t.Fatal(err)
				}
			}
			c, err := Load(dir, env(noDefaultFile(t, tc.env)))
			if err != nil {
				t.Fatal(err)
			}
			ApplyFlags(&c, tc.flags)
			if c.MT != tc.routing || c.Providers != tc.providers {
				t.Fatalf("got routing %q providers %+v\nwant routing %q providers %+v", c.MT, c.Providers, tc.routing, tc.providers)
			}
			if !strings.Contains(c.Source, tc.source) {
				t.Fatalf("source %q, want it to name %q", c.Source, tc.source)
			}
		})
	}
}

// dev.json is readable by anyone who can read the folder: provider keys
// and the AWS region (which belongs to the AWS chain) stay out of it.
func TestDevStateNeverHoldsProviderKeys(t *testing.T) {
	dir := t.TempDir()
	c := Config{MT: "fr=deepl", Providers: mt.Settings{ApertiumURL: "http://apy:2737", DeepLKey: "deepl-secret", LibreTranslateKey: "lt-secret", AWSRegion: "eu-west-1"}}
	if err := WriteState(dir, c); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(StatePath(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"deepl-secret", "lt-secret", "eu-west-1"} {
		if strings.Contains(string(b), secret) {
			t.Fatalf("dev.json holds %q:\n%s", secret, b)
		}
	}
	if !strings.Contains(string(b), "http://apy:2737") {
		t.Fatalf("dev.json lost the Apertium URL:\n%s", b)
	}
	back, err := Load(dir, env(noDefaultFile(t, map[string]string{})))
	if err != nil {
		t.Fatal(err)
	}
	if back.Providers != (mt.Settings{ApertiumURL: "http://apy:2737"}) {
		t.Fatalf("read back %+v", back.Providers)
	}
}

// A dev.json written before the provider settings existed still loads.
func TestDevStateWithoutProviders(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(StatePath(dir), []byte(`{"temporal_address":"127.0.0.1:1111","mt":"es=apertium"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(dir, env(noDefaultFile(t, map[string]string{})))
	if err != nil {
		t.Fatal(err)
	}
	if c.MT != "es=apertium" || c.Providers != (mt.Settings{}) {
		t.Fatalf("%+v", c)
	}
}
