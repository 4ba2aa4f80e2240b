package integration

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/web"
	"github.com/pressroom/pressroom/internal/workbench"
)

// needChromium returns Debian's chromium, skipping the test without it
// (a failure under CI=true, where make browser installs it).
func needChromium(t *testing.T) string {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is required under CI=true (make browser installs Debian's chromium)")
		}
		t.Skip("chromium not installed (make browser)")
	}
	return chromium
}

// headless starts chromium for one test at the given window size; its
// context ends after timeout or with the test.
func headless(t *testing.T, chromium string, width, height int, timeout time.Duration) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(width, height),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("lang", "en-US"), chromedp.UserDataDir(t.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(actx)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancel(); cancelBrowser(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatal(err)
	}
	return ctx
}

// testUser is a workbench user made for a test; its password is
// testPassword(name).
type testUser struct {
	name    string
	role    auth.Role
	locales []string
}

func testPassword(name string) string { return "pw-" + name + "-2026" }

// testUsers writes a users file with us, each with a password.
func testUsers(t *testing.T, us ...testUser) *auth.Users {
	t.Helper()
	path := filepath.Join(t.TempDir(), "users.json")
	if err := auth.Update(path, func(u *auth.Users) error {
		for _, c := range us {
			if _, err := u.Add(c.name, c.role, c.locales); err != nil {
				return err
			}
			if err := u.SetPassword(c.name, testPassword(c.name)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	users, err := auth.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return users
}

// workbenchSite serves the API, the workbench and the reader site as
// pressroom serve does, for the test's lifetime.
func workbenchSite(t *testing.T, svc *service.Service, users *auth.Users) *httptest.Server {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	site := httptest.NewServer(web.Routes(env.store, &web.API{Svc: svc, Users: users, Log: log}, workbench.New(svc, users, log).Handler()))
	t.Cleanup(site.Close)
	return site
}
