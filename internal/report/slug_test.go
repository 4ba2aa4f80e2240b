package report

import (
	"strings"
	"testing"
)

func TestSlugify(t *testing.T) {
	words := strings.Repeat("word ", 30) // 150 characters
	tests := []struct{ in, want string }{
		{"Hello, World!", "hello-world"},
		{"  --Leading and trailing--  ", "leading-and-trailing"},
		{"China's “Global” Experience", "chinas-global-experience"},
		{"L’ONU à Genève: «Droits» de l'homme", "lonu-a-geneve-droits-de-lhomme"},
		{"Straße Ærø Łódź Øresund", "strasse-aero-lodz-oresund"},
		{"ＦＵＬＬ width ①", "full-width-1"},
		{"45th Session --- UPR", "45th-session-upr"},
		{"全球人权治理", ""},
		{"", ""},
		{"!!!", ""},
		{words, strings.TrimSuffix(strings.Repeat("word-", 20), "-")},
		{strings.Repeat("x", 150), strings.Repeat("x", 100)},
		{strings.Repeat("a", 99) + " b", strings.Repeat("a", 99)},
		{strings.Repeat("a", 100) + " b", strings.Repeat("a", 100)},
	}
	for _, tt := range tests {
		got := Slugify(tt.in)
		if got != tt.want {
			t.Errorf("Slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got != "" {
			if err := ValidSlug(got); err != nil {
				t.Errorf("Slugify(%q) = %q is not valid: %v", tt.in, got, err)
			}
		}
	}
}

func TestValidSlug(t *testing.T) {
	tests := []struct {
		in      string
		wantErr string // "" means valid
	}{
		{"side-event-2024", ""},
		{"a", ""},
		{strings.Repeat("a", 100), ""},
		{strings.Repeat("a", 101), "at most 100"},
		{"", "empty"},
		{"../x", "lowercase letters a-z, digits 0-9 and single hyphens"},
		{"has space", "URL-safe"},
		{"Upper", "URL-safe"},
		{"a--b", "URL-safe"},
		{"-a", "URL-safe"},
		{"a-", "URL-safe"},
		{"a/b", "URL-safe"},
		{"café", "URL-safe"},
	}
	for _, tt := range tests {
		err := ValidSlug(tt.in)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("ValidSlug(%q) = %v", tt.in, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("ValidSlug(%q) = %v, want error containing %q", tt.in, err, tt.wantErr)
		}
	}
}

func TestCanonicalLocale(t *testing.T) {
	tests := []struct {
		in, want string
		wantErr  string
	}{
		{in: "en", want: "en"},
		{in: "zh-Hans", want: "zh-Hans"},
		{in: "ZH-hans", want: "zh-Hans"},
		{in: "EN-gb", want: "en-GB"},
		{in: "en_US", want: "en-US"},
		{in: "ar", want: "ar"},
		{in: "iw", want: "he"},
		{in: "xx-!!", wantErr: `locale "xx-!!" is not a valid BCP 47 tag`},
		{in: "", wantErr: "empty"},
		{in: "und", wantErr: "names no language"},
	}
	for _, tt := range tests {
		got, err := CanonicalLocale(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("CanonicalLocale(%q) = %q, %v; want error containing %q", tt.in, got, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("CanonicalLocale(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if again, err := CanonicalLocale(got); err != nil || again != got {
			t.Errorf("CanonicalLocale(%q) is not stable: %q, %v", got, again, err)
		}
	}
}
