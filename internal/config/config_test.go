package config

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

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
