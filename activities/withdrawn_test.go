package activities_test

import (
	"context"
	"testing"
	"time"

	"github.com/pressroom/pressroom/internal/releases"
	"github.com/pressroom/pressroom/workflows"
)

// A revision carries approved text into every locale but one that was
// unpublished: text taken down is drafted and reviewed again.
func TestRevisionCarriesNothingIntoAWithdrawnLocale(t *testing.T) {
	f := newFixture(t, pseudo(t))
	f.publish(f.publishInput(publishedAt))
	revise := func() map[string]workflows.TranslateOutput {
		outs := run[[]workflows.TranslateOutput](f, f.acts.TranslateReport, workflows.TranslateReportInput{
			Slug: f.src.Slug, Source: f.ref, SourceLocale: "en", Locales: []string{"fr", "es"}})
		by := map[string]workflows.TranslateOutput{}
		for _, o := range outs {
			by[o.Locale] = o
		}
		return by
	}
	before := revise()
	if !before["fr"].Unchanged() || !before["es"].Unchanged() {
		t.Fatalf("the same source again should carry everything: fr %+v es %+v", before["fr"], before["es"])
	}
	if _, err := releases.Unpublish(context.Background(), f.st, f.src.Slug, []string{"fr"}, "edith", "legal hold", publishedAt.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	after := revise()
	if fr := after["fr"]; fr.CarriedFrom != 0 || fr.Unchanged() || fr.Provenance["mt:pseudo"] != fr.Segments {
		t.Errorf("withdrawn fr carried: %+v", fr)
	}
	if !after["es"].Unchanged() {
		t.Errorf("es should still be carried: %+v", after["es"])
	}
}
