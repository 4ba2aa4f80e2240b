package workbench

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The release actions are editors' routes: a translator is refused before
// any service call (the test server has no Temporal or store behind it),
// and a cross-site form post is refused for anyone.
func TestReleaseActionsAreForEditorsOnly(t *testing.T) {
	_, srv := testServer(t)
	c := noRedirect()
	res := post(t, c, srv.URL+"/workbench/signin", url.Values{"username": {"claire"}, "password": {"correct horse"}}, nil)
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == sessionCookie {
			session = ck
		}
	}
	if session == nil {
		t.Fatal("no session cookie")
	}
	form := url.Values{"to": {"1"}, "reason": {"x"}, "confirm": {"1"}, "at": {"2030-01-01T10:00"}, "zone": {"UTC"}}
	for _, action := range []string{"schedule", "rollback", "unpublish"} {
		for _, site := range []string{"", "cross-site"} {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/workbench/reports/some-report/"+action, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if site != "" {
				req.Header.Set("Sec-Fetch-Site", site)
			}
			req.AddCookie(session)
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("translator %s %s: %d, want 403", action, site, res.StatusCode)
			}
		}
	}
}

func TestActionFlashKeepsQueryPlain(t *testing.T) {
	p := page{tr: newTr("en")}
	got := actionFlash(&p, url.Values{"done": {"unpublish"}, "from": {"3"}, "locales": {"fr,<script>,ar"}})
	if want := "Withdrawn from readers: fr, ar. Roll back to v3 to put them back."; got != want {
		t.Errorf("flash %q, want %q", got, want)
	}
	if got := actionFlash(&p, url.Values{"done": {"rollback"}, "to": {"1"}, "from": {"2"}}); got != "Readers now get v1 (was v2)." {
		t.Errorf("rollback flash %q", got)
	}
	if got := actionFlash(&p, url.Values{"done": {"nonsense"}}); got != "" {
		t.Errorf("unknown action flash %q", got)
	}
}
