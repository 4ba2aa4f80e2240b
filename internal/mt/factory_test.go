package mt

import (
	"strings"
	"testing"
)

func TestNewProvider(t *testing.T) {
	get := Settings{
		ApertiumURL:       "http://apy.example:2737/",
		DeepLKey:          "k:fx",
		DeepLFormality:    "formal",
		LibreTranslateURL: "http://lt.example:5000",
		LibreTranslateKey: "lt",
		AmazonFormality:   "informal",
		AWSRegion:         "eu-west-1",
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")

	for _, name := range ProviderNames() {
		p, err := NewProvider(name, get, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.Name() != name {
			t.Errorf("%s: Name() = %s", name, p.Name())
		}
	}
	a, _ := NewProvider("apertium", get, nil)
	if a.(*Apertium).baseURL != "http://apy.example:2737" {
		t.Errorf("apertium URL %s", a.(*Apertium).baseURL)
	}
	if a, _ := NewProvider("apertium", Settings{}, nil); a.(*Apertium).baseURL != DefaultApertiumURL {
		t.Errorf("apertium default URL %s", a.(*Apertium).baseURL)
	}
	d, _ := NewProvider("deepl", get, nil)
	if dd := d.(*DeepL); dd.baseURL != DeepLFreeURL || dd.Formality != "prefer_more" || dd.authKey != "k:fx" {
		t.Errorf("deepl %+v", dd)
	}
	l, _ := NewProvider("libretranslate", get, nil)
	if ll := l.(*LibreTranslate); ll.baseURL != "http://lt.example:5000" || ll.apiKey != "lt" {
		t.Errorf("libretranslate %+v", ll)
	}
	am, _ := NewProvider("amazon", get, nil)
	if am.(*Amazon).formality != "INFORMAL" {
		t.Errorf("amazon formality %q", am.(*Amazon).formality)
	}

	noKey, polite, badFormality := get, get, get
	noKey.DeepLKey = " "
	polite.AmazonFormality = "polite"
	badFormality.DeepLFormality = "casual"
	for _, bad := range []struct {
		name, variable string
		settings       Settings
	}{
		{"deepl", EnvDeepLKey, noKey},
		{"deepl", EnvDeepLFormality, badFormality},
		{"amazon", EnvAmazonFormality, polite},
	} {
		// The error names the variable to fix.
		if _, err := NewProvider(bad.name, bad.settings, nil); err == nil || !strings.Contains(err.Error(), bad.variable) {
			t.Errorf("%s with bad %s: %v", bad.name, bad.variable, err)
		}
	}
	_, err := NewProvider("google", get, nil)
	if err == nil || !strings.Contains(err.Error(), "amazon, apertium, deepl, libretranslate, pseudo") {
		t.Errorf("unknown provider: %v", err)
	}

	r, err := ParseRouting("es=apertium,ca=apertium,fr=deepl|amazon|pseudo,ar=libretranslate|pseudo,*=pseudo", Lookup(get, nil))
	if err != nil {
		t.Fatal(err)
	}
	if r.String() != "ar=libretranslate|pseudo,ca=apertium,es=apertium,fr=deepl|amazon|pseudo,*=pseudo" {
		t.Errorf("routing %s", r)
	}
	if _, err := ParseRouting("fr=deepl", Lookup(Settings{}, nil)); err == nil || !strings.Contains(err.Error(), EnvDeepLKey) {
		t.Errorf("deepl without key: %v", err)
	}
}
