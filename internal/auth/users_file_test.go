package auth

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPasswords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.json")
	if err := Update(path, func(u *Users) error {
		if _, err := u.Add("claire", RoleTranslator, []string{"fr"}); err != nil {
			return err
		}
		if _, err := u.Add("edith", RoleEditor, nil); err != nil {
			return err
		}
		if err := u.SetPassword("claire", "short"); err == nil || !strings.Contains(err.Error(), "at least 8") {
			t.Errorf("a 5-character password was accepted: %v", err)
		}
		if err := u.SetPassword("nobody", "long enough pw"); !errors.Is(err, ErrUnknownUser) {
			t.Errorf("SetPassword(nobody) = %v", err)
		}
		return u.SetPassword("claire", "correct horse")
	}); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "correct horse") || !strings.Contains(string(raw), `"password_hash": "$argon2id$v=19$m=19456,t=2,p=1$`) {
		t.Fatalf("the file does not hold an Argon2id hash (or holds the password):\n%s", raw)
	}
	u, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := u.CheckPassword("claire", "correct horse")
	if err != nil || got.Name != "claire" || got.PasswordHash != "" || got.TokenHash != "" {
		t.Fatalf("CheckPassword(claire, right) = %+v, %v", got, err)
	}
	for _, c := range [][2]string{{"claire", "correct horsE"}, {"claire", ""}, {"edith", "correct horse"}, {"nobody", "correct horse"}} {
		if _, err := u.CheckPassword(c[0], c[1]); !errors.Is(err, ErrBadPassword) {
			t.Errorf("CheckPassword(%q, %q) = %v, want ErrBadPassword", c[0], c[1], err)
		}
	}
	// A second hash of the same password has its own salt.
	if err := u.SetPassword("edith", "correct horse"); err != nil {
		t.Fatal(err)
	}
	if u.byName["edith"].password == u.byName["claire"].password {
		t.Error("two hashes of one password are equal: no salt")
	}
}

func TestLoadRefusesBadPasswordHash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.json")
	hash := formatHash([32]byte{1})
	for _, bad := range []string{"plaintext", "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "$bcrypt$x"} {
		body := fmt.Sprintf(`{"users": [{"name": "a", "role": "editor", "token_hash": %q, "password_hash": %q}]}`, hash, bad)
		os.WriteFile(path, []byte(body), 0o600)
		if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "password_hash") || !strings.Contains(err.Error(), ":1:") {
			t.Errorf("password_hash %q: error %v, want one naming password_hash and the line", bad, err)
		}
	}
}

func TestLimiter(t *testing.T) {
	l := NewLimiter(3, time.Minute)
	now := time.Unix(1000, 0)
	l.now = func() time.Time { return now }
	for i := range 3 {
		if ok, _ := l.Allow("u:claire"); !ok {
			t.Fatalf("refused after %d failures", i)
		}
		l.Fail("u:claire")
	}
	if ok, wait := l.Allow("u:claire"); ok || wait != time.Minute {
		t.Fatalf("after 3 failures: allowed %v, wait %v", ok, wait)
	}
	if ok, _ := l.Allow("u:edith"); !ok {
		t.Error("one user's failures refused another")
	}
	now = now.Add(time.Minute)
	if ok, _ := l.Allow("u:claire"); !ok {
		t.Error("still refused after the window")
	}
	l.Fail("u:claire")
	l.Reset("u:claire")
	if _, ok := l.keys["u:claire"]; ok {
		t.Error("Reset kept the failures")
	}
}

// A server that opened the file sees another process's changes at once:
// an added user signs in, a rotated token stops working, a removed user
// is refused.
func TestOpenFollowsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.json")
	var claireToken string
	if err := Update(path, func(u *Users) (err error) {
		claireToken, err = u.Add("claire", RoleTranslator, []string{"fr"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	server, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := server.Authenticate(claireToken); !ok {
		t.Fatal("claire's token does not work")
	}
	var rotated, sofiaToken string
	if err := Update(path, func(u *Users) (err error) {
		if rotated, err = u.Rotate("claire"); err != nil {
			return err
		}
		if sofiaToken, err = u.Add("sofia", RoleTranslator, []string{"es"}); err != nil {
			return err
		}
		return u.SetPassword("sofia", "hola hola hola")
	}); err != nil {
		t.Fatal(err)
	}
	if _, ok := server.Authenticate(claireToken); ok {
		t.Error("a rotated token still works in the running server")
	}
	if _, ok := server.Authenticate(rotated); !ok {
		t.Error("the new token does not work in the running server")
	}
	if _, ok := server.Authenticate(sofiaToken); !ok {
		t.Error("an added user's token does not work in the running server")
	}
	if _, err := server.CheckPassword("sofia", "hola hola hola"); err != nil {
		t.Errorf("an added user cannot sign in: %v", err)
	}
	// A hand edit that breaks the file keeps the last good set.
	os.WriteFile(path, []byte("{not json"), 0o600)
	if _, ok := server.Authenticate(rotated); !ok {
		t.Error("a malformed file locked out everyone")
	}
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := Update(path, func(u *Users) error {
		_, err := u.Add("sofia", RoleTranslator, []string{"es"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, ok := server.Authenticate(rotated); ok {
		t.Error("a removed user still works in the running server")
	}
	if _, ok := server.Get("claire"); ok {
		t.Error("Get still finds a removed user")
	}
}

// The helper process of TestConcurrentUpdatesLoseNothing: one `users add`.
func TestMain(m *testing.M) {
	if name := os.Getenv("PRESSROOM_AUTH_TEST_ADD"); name != "" {
		err := Update(os.Getenv("PRESSROOM_USERS"), func(u *Users) error {
			_, err := u.Add(name, RoleEditor, nil)
			return err
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// 20 processes adding a user each at the same time leave 20 users.
func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.json")
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), fmt.Sprintf("PRESSROOM_AUTH_TEST_ADD=user%02d", i), "PRESSROOM_USERS="+path)
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("process %d: %v: %s", i, err, out)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	u, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(u.List()); got != n {
		t.Fatalf("%d processes added a user each; the file has %d users", n, got)
	}
}
