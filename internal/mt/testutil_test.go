package mt

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/pressroom/pressroom/internal/report"
)

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// upperMasked is what the fake services' upper-casing "translation" of a
// Markdown segment looks like once its protected spans are restored.
func upperMasked(text string) string {
	m := mask(strings.TrimSpace(text), report.FormatMarkdown)
	out, err := m.unmask(upperOutsideTags(m.text), true)
	if err != nil {
		panic(err)
	}
	return out
}
