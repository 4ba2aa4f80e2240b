package mt

import (
	"strings"

	"golang.org/x/text/language"
)

// Each service names languages its own way. These map a BCP 47 tag to the
// service's codes, most specific first where the service has variants.

// apertiumCodes returns Apertium codes for tag: ISO 639-3 (en → eng) with
// the variant or region suffixes Apertium uses for some targets
// (ca-ES-valencia → cat_valencia, en-US → eng_US), most specific first.
func apertiumCodes(tag string) []string {
	t, err := language.Parse(tag)
	if err != nil {
		return nil
	}
	base, _ := t.Base()
	iso3 := base.ISO3()
	if iso3 == "" {
		return nil
	}
	var codes []string
	for _, v := range t.Variants() {
		codes = append(codes, iso3+"_"+v.String())
	}
	if r, conf := t.Region(); conf == language.Exact {
		codes = append(codes, iso3+"_"+r.String())
	}
	return append(codes, iso3)
}

// deeplSource is DeepL's source_lang: the base language, upper case.
func deeplSource(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return strings.ToUpper(tag)
	}
	base, _ := t.Base()
	return strings.ToUpper(base.String())
}

// deeplTarget is DeepL's target_lang. DeepL wants a variant for English,
// Portuguese and Chinese: en → EN-GB unless the tag says US (the UN and
// most international bodies write British English), pt → PT-BR unless it
// says Portugal, zh → ZH-HANS unless the script is Traditional.
func deeplTarget(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return strings.ToUpper(tag)
	}
	base, _ := t.Base()
	region, rconf := t.Region()
	exact := rconf == language.Exact
	switch base.String() {
	case "en":
		if exact && region.String() == "US" {
			return "EN-US"
		}
		return "EN-GB"
	case "pt":
		if exact && region.String() == "PT" {
			return "PT-PT"
		}
		return "PT-BR"
	case "zh":
		if script, _ := t.Script(); script.String() == "Hant" {
			return "ZH-HANT"
		}
		return "ZH-HANS"
	}
	return strings.ToUpper(base.String())
}

// amazonCode is Amazon Translate's language code: ISO 639-1 except for the
// variants it lists (zh-TW, fr-CA, es-MX, pt-PT, fa-AF) and a few
// deviations (Norwegian "no", Tagalog "tl").
func amazonCode(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	base, _ := t.Base()
	region, rconf := t.Region()
	r := ""
	if rconf == language.Exact {
		r = region.String()
	}
	switch b := base.String(); b {
	case "zh":
		if script, _ := t.Script(); script.String() == "Hant" {
			return "zh-TW"
		}
		return "zh"
	case "fr":
		if r == "CA" {
			return "fr-CA"
		}
	case "es":
		if r == "MX" || r == "419" {
			return "es-MX"
		}
	case "pt":
		if r == "PT" {
			return "pt-PT"
		}
	case "fa":
		if r == "AF" {
			return "fa-AF"
		}
	case "nb", "nn", "no":
		return "no"
	case "fil":
		return "tl"
	}
	return base.String()
}

// amazonFormalityTargets are the target codes for which Amazon Translate
// honours Settings.Formality (Amazon Translate Developer Guide, "Setting
// formality").
var amazonFormalityTargets = map[string]bool{
	"nl": true, "fr": true, "fr-CA": true, "de": true, "hi": true, "it": true,
	"ja": true, "ko": true, "pt-PT": true, "es": true, "es-MX": true,
}

// libreCandidates returns LibreTranslate codes to try for tag, most
// specific first. Recent servers name Chinese zh-Hans/zh-Hant and
// Portuguese pt-BR; older ones zh, zt and pt.
func libreCandidates(tag string) []string {
	t, err := language.Parse(tag)
	if err != nil {
		return []string{strings.ToLower(tag)}
	}
	base, _ := t.Base()
	b := base.String()
	var c []string
	if b == "zh" {
		if script, _ := t.Script(); script.String() == "Hant" {
			return []string{"zh-Hant", "zt"}
		}
		return []string{"zh-Hans", "zh"}
	}
	if r, conf := t.Region(); conf == language.Exact {
		c = append(c, b+"-"+r.String())
	}
	if b == "nb" || b == "no" {
		c = append(c, "nb", "no")
	}
	return append(c, b)
}
