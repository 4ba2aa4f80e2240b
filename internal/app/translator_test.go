package app

import (
	"strings"
	"testing"

	"github.com/pressroom/pressroom/internal/config"
	"github.com/pressroom/pressroom/internal/mt"
)

// The providers are built from the configuration passed in, not from the
// process environment.
func TestTranslatorUsesTheConfiguration(t *testing.T) {
	t.Setenv(mt.EnvDeepLKey, "from-the-environment") // must not be read
	cfg := config.Config{MT: "fr=deepl,*=pseudo"}
	if _, err := Translator(cfg, nil); err == nil || !strings.Contains(err.Error(), mt.EnvDeepLKey) {
		t.Fatalf("deepl without a key in the configuration: %v", err)
	}
	cfg.Providers.DeepLKey = "k:fx"
	r, err := Translator(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.String() != "fr=deepl,*=pseudo" {
		t.Fatalf("routing %s", r)
	}
}
