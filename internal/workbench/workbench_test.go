package workbench

import (
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/locales"
	"github.com/pressroom/pressroom/workflows"
)

// Every message the workbench names exists in all six catalogs, so no
// interface shows a bare message ID.
func TestEveryMessageInEveryLocale(t *testing.T) {
	idRE := regexp.MustCompile(`"(Wb[A-Za-z_]+)"`)
	prefixRE := regexp.MustCompile(`printf "(Wb[A-Za-z]+_)%s"`)
	ids := map[string]bool{}
	var prefixes []string
	files, _ := filepath.Glob("*.go")
	tmpls, _ := fs.Glob(templateFiles, "templates/*.html")
	for _, n := range append(files, tmpls...) {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		for _, m := range idRE.FindAllStringSubmatch(string(b), -1) {
			ids[m[1]] = true
		}
		for _, m := range prefixRE.FindAllStringSubmatch(string(b), -1) {
			prefixes = append(prefixes, m[1])
		}
	}
	for _, p := range prefixes {
		switch p {
		case "WbStage_":
			for _, s := range []workflows.Stage{workflows.StageDraft, workflows.StageTranslating, workflows.StageChecking, workflows.StageInReview,
				workflows.StageAwaitingApproval, workflows.StageScheduled, workflows.StageApproved, workflows.StagePublishing, workflows.StagePublished, workflows.StageFailed, workflows.StageCancelled} {
				ids[p+string(s)] = true
			}
		case "WbKind_":
			for _, k := range []string{"title", "summary", "heading", "paragraph", "list_item"} {
				ids[p+k] = true
			}
		default:
			t.Errorf("unknown message prefix %s in a template", p)
		}
	}
	if len(ids) < 100 {
		t.Fatalf("found only %d workbench messages; the scan is broken", len(ids))
	}
	for _, l := range locales.Supported() {
		loc := locales.Localizer(l)
		for id := range ids {
			if _, tag, err := loc.LocalizeWithTag(&i18n.LocalizeConfig{MessageID: id, TemplateData: map[string]any{"Count": 2}}); err != nil || tag.String() != l {
				t.Errorf("%s: message %s missing (got %v from %v)", l, id, err, tag)
			}
		}
	}
}

func testServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "users.json")
	if err := auth.Update(path, func(u *auth.Users) error {
		if _, err := u.Add("claire", auth.RoleTranslator, []string{"fr"}); err != nil {
			return err
		}
		return u.SetPassword("claire", "correct horse")
	}); err != nil {
		t.Fatal(err)
	}
	users, err := auth.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s := New(&service.Service{}, users, slog.New(slog.DiscardHandler))
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return s, srv
}

func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func post(t *testing.T, c *http.Client, u string, form url.Values, hdr map[string]string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

func TestSignInSessionSignOut(t *testing.T) {
	_, srv := testServer(t)
	c := noRedirect()
	res := post(t, c, srv.URL+"/workbench/signin", url.Values{"username": {"claire"}, "password": {"wrong password"}}, nil)
	if res.StatusCode != http.StatusUnauthorized || len(res.Cookies()) != 0 {
		t.Fatalf("wrong password: %d, cookies %v", res.StatusCode, res.Cookies())
	}
	res = post(t, c, srv.URL+"/workbench/signin", url.Values{"username": {"claire"}, "password": {"correct horse"}, "next": {"https://evil.example/"}},
		map[string]string{"X-Forwarded-Proto": "https"})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/workbench/tasks" {
		t.Fatalf("sign-in: %d to %q (an off-site next must not be followed)", res.StatusCode, res.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == sessionCookie {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || !session.Secure {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, Secure behind TLS", session)
	}
	get := func() int {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/workbench/", nil)
		req.AddCookie(session)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.Header.Get("Location") == "/workbench/tasks" {
			return 1
		}
		return 0
	}
	if get() != 1 {
		t.Fatal("the session does not sign the user in")
	}
	// A cross-site form post is refused, and the session stays.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/workbench/signout", nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.AddCookie(session)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden || get() != 1 {
		t.Fatalf("cross-site sign-out: %d; session still valid: %v", res.StatusCode, get() == 1)
	}
	req, _ = http.NewRequest(http.MethodPost, srv.URL+"/workbench/signout", nil)
	req.AddCookie(session)
	res, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if get() != 0 {
		t.Fatal("the session cookie still works after sign-out")
	}
}

func TestSignInRateLimit(t *testing.T) {
	_, srv := testServer(t)
	c := noRedirect()
	for i := range maxFailuresPerUser {
		if res := post(t, c, srv.URL+"/workbench/signin", url.Values{"username": {"claire"}, "password": {"guess " + string(rune('a'+i))}}, nil); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, res.StatusCode)
		}
	}
	res := post(t, c, srv.URL+"/workbench/signin", url.Values{"username": {"claire"}, "password": {"correct horse"}}, nil)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("after %d failures the right password got %d (want 429 with Retry-After)", maxFailuresPerUser, res.StatusCode)
	}
}

func TestPagesAreLocalizedAndStrict(t *testing.T) {
	_, srv := testServer(t)
	for _, c := range []struct{ accept, lang, dir, text string }{
		{"ar,en;q=0.5", "ar", "rtl", "تسجيل الدخول"},
		{"zh-CN", "zh-Hans", "ltr", "登录"},
		{"ru-RU,ru", "ru", "ltr", "Войти"},
		{"de", "en", "ltr", "Sign in"},
	} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/workbench/signin", nil)
		req.Header.Set("Accept-Language", c.accept)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		body := string(b)
		if !strings.Contains(body, `<html lang="`+c.lang+`" dir="`+c.dir+`">`) || !strings.Contains(body, c.text) {
			t.Errorf("Accept-Language %s: want lang %s dir %s and %q", c.accept, c.lang, c.dir, c.text)
		}
		for _, want := range []string{`name="username" autocomplete="username"`, `name="password" type="password" autocomplete="current-password"`} {
			if !strings.Contains(body, want) {
				t.Errorf("sign-in form lacks %s", want)
			}
		}
		csp := res.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") || strings.Contains(body, "<script>") || strings.Contains(body, " style=") {
			t.Errorf("CSP %q, or inline script/style in the page", csp)
		}
	}
	// The switcher's choice wins over Accept-Language.
	res, err := noRedirect().Get(srv.URL + "/workbench/lang/fr?next=/workbench/signin")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || len(res.Cookies()) == 0 || res.Cookies()[0].Value != "fr" {
		t.Fatalf("language switch: %d %v", res.StatusCode, res.Cookies())
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/workbench/signin", nil)
	req.Header.Set("Accept-Language", "ar")
	req.AddCookie(res.Cookies()[0])
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(b), `<html lang="fr" dir="ltr">`) {
		t.Error("the language cookie did not win over Accept-Language")
	}
}

func TestLocalNext(t *testing.T) {
	for in, want := range map[string]string{
		"/workbench/tasks/x/fr": "/workbench/tasks/x/fr", "https://evil.example/": Prefix, "//evil.example/": Prefix,
		"/workbench/\\evil": Prefix, "/api/tasks": Prefix, "": Prefix,
	} {
		if got := localNext(in); got != want {
			t.Errorf("localNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWordDiff(t *testing.T) {
	got := wordDiff("The garden opens at ten", "The reading garden opens at noon")
	var b strings.Builder
	for _, p := range got {
		b.WriteString(p.Op + "[" + p.Text + "]")
	}
	if want := "=[The]+[reading]=[garden opens at]-[ten]+[noon]"; b.String() != want {
		t.Errorf("wordDiff = %s, want %s", b.String(), want)
	}
}
