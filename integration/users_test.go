package integration

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/web"
	"github.com/pressroom/pressroom/internal/workbench"
)

// `pressroom users` processes against a running server: 20 concurrent
// adds leave 20 users, an added user signs in and their token works, a
// rotated token stops working and a removed user is refused — no restart.
func TestUsersCommandsReachRunningServer(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "users.json")
	users := func(stdin string, args ...string) result {
		t.Helper()
		cmd := exec.Command(env.pressroom, append([]string{"users"}, args...)...)
		cmd.Env = append(cliEnv("unused"), "PRESSROOM_USERS="+path)
		cmd.Stdin = strings.NewReader(stdin)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return result{out.String(), errb.String(), code}
	}
	var wg sync.WaitGroup
	errs := make([]string, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := users("", "add", fmt.Sprintf("editor%02d", i), "--role", "editor"); r.code != 0 {
				errs[i] = r.stderr
			}
		}()
	}
	wg.Wait()
	for i, e := range errs {
		if e != "" {
			t.Errorf("users add editor%02d: %s", i, e)
		}
	}
	loaded, err := auth.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(loaded.List()); n != 20 {
		t.Fatalf("20 concurrent `pressroom users add` left %d users", n)
	}

	server, err := auth.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	svc := &service.Service{Temporal: env.client, Store: env.store, TaskQueue: "unused"}
	srv := httptest.NewServer(web.Routes(env.store, &web.API{Svc: svc, Users: server, Log: log}, workbench.New(svc, server, log).Handler()))
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	signIn := func(name, pw string) *http.Cookie {
		res, err := client.PostForm(srv.URL+"/workbench/signin", url.Values{"username": {name}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		for _, c := range res.Cookies() {
			if c.Name == "pressroom_session" {
				return c
			}
		}
		return nil
	}
	apiStatus := func(token string) int {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/reports?stage=none", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	pageStatus := func(c *http.Cookie) string {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/workbench/reports/new", nil)
		req.AddCookie(c)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return fmt.Sprint(res.StatusCode, " ", res.Header.Get("Location"))
	}

	r := users("a long password\n", "add", "nadia", "--role", "editor", "--password-stdin")
	if r.code != 0 {
		t.Fatalf("users add nadia: %s", r.stderr)
	}
	token := strings.TrimSpace(r.stdout)
	session := signIn("nadia", "a long password")
	if session == nil || apiStatus(token) != http.StatusOK {
		t.Fatalf("a user added while the server runs: session %v, API %d", session, apiStatus(token))
	}
	if r := users("", "rotate", "nadia"); r.code != 0 || apiStatus(token) != http.StatusUnauthorized || apiStatus(strings.TrimSpace(r.stdout)) != http.StatusOK {
		t.Errorf("after rotate: old token %d, new token %d (%s)", apiStatus(token), apiStatus(strings.TrimSpace(r.stdout)), r.stderr)
	}
	if got := pageStatus(session); got != "200 " {
		t.Fatalf("nadia's session: %s", got)
	}
	if r := users("another password\n", "passwd", "nadia", "--password-stdin"); r.code != 0 || signIn("nadia", "a long password") != nil {
		t.Errorf("after passwd the old password still works (%s)", r.stderr)
	}
	if got := pageStatus(session); !strings.HasPrefix(got, "303 /workbench/signin") {
		t.Errorf("a session from before passwd: %s, want a redirect to sign in", got)
	}
	if session = signIn("nadia", "another password"); session == nil || pageStatus(session) != "200 " {
		t.Fatalf("the new password does not sign in")
	}
	if r := users("", "remove", "nadia"); r.code != 0 {
		t.Fatalf("users remove: %s", r.stderr)
	}
	if got := pageStatus(session); !strings.HasPrefix(got, "303 /workbench/signin") {
		t.Errorf("a removed user's session: %s, want a redirect to sign in", got)
	}
	if r := users("", "remove", "nadia"); r.code != 4 {
		t.Errorf("removing an unknown user: exit %d, want 4", r.code)
	}
}
