package auth

import (
	"bytes"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var tokenRE = regexp.MustCompile(`^prt_[A-Za-z0-9_-]{43}$`)

func mustAdd(t *testing.T, u *Users, name string, role Role, locales ...string) string {
	t.Helper()
	token, err := u.Add(name, role, locales)
	if err != nil {
		t.Fatalf("Add(%s): %v", name, err)
	}
	if !tokenRE.MatchString(token) {
		t.Fatalf("token %q is not prt_ and 32 bytes of base64url", token)
	}
	return token
}

func TestAddAuthenticateRotate(t *testing.T) {
	var u Users // the zero value is an empty set
	claire := mustAdd(t, &u, "claire", RoleTranslator, "fr", "FR", "zh-hans")
	edith := mustAdd(t, &u, "edith", RoleEditor)
	if claire == edith {
		t.Fatal("two users got the same token")
	}

	got, ok := u.Authenticate(claire)
	if !ok || got.Name != "claire" || got.Role != RoleTranslator {
		t.Fatalf("Authenticate(claire) = %+v, %v", got, ok)
	}
	if fmt.Sprint(got.Locales) != "[fr zh-Hans]" {
		t.Errorf("locales not canonical and deduplicated: %q", got.Locales)
	}
	if got.TokenHash != "" {
		t.Error("Authenticate exposes the token hash")
	}
	for _, bad := range []string{"", "prt_", claire + "x", claire[:len(claire)-1], strings.ToUpper(claire), "Bearer " + claire, strings.Repeat("a", 10000)} {
		if _, ok := u.Authenticate(bad); ok {
			t.Errorf("Authenticate accepted %q", bad)
		}
	}

	fresh, err := u.Rotate("claire")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := u.Authenticate(claire); ok {
		t.Error("the old token still works after Rotate")
	}
	if got, ok := u.Authenticate(fresh); !ok || got.Name != "claire" {
		t.Error("the new token does not work")
	}
	if got, ok := u.Authenticate(edith); !ok || got.Name != "edith" {
		t.Error("rotating claire broke edith's token")
	}
	if _, err := u.Rotate("nobody"); !errors.Is(err, ErrUnknownUser) {
		t.Errorf("Rotate(nobody) = %v", err)
	}

	if err := u.Remove("edith"); err != nil {
		t.Fatal(err)
	}
	if _, ok := u.Authenticate(edith); ok {
		t.Error("a removed user's token still works")
	}
	if names := fmt.Sprint(u.List()); !strings.Contains(names, "claire") || strings.Contains(names, "edith") {
		t.Errorf("List = %s", names)
	}
}

func TestAddRefuses(t *testing.T) {
	var u Users
	mustAdd(t, &u, "claire", RoleTranslator, "fr")
	for _, tt := range []struct {
		name    string
		role    Role
		locales []string
		want    string
	}{
		{"claire", RoleTranslator, []string{"es"}, `user "claire" already exists`},
		{"Claire", RoleEditor, nil, `user name "Claire"`},
		{"", RoleEditor, nil, `user name ""`},
		{"a b", RoleEditor, nil, `user name "a b"`},
		{"../root", RoleEditor, nil, `user name "../root"`},
		{strings.Repeat("a", 65), RoleEditor, nil, "user name"},
		{"boss", "owner", nil, `role "owner": want editor, translator or admin`},
		{"sofia", RoleTranslator, nil, "a translator needs at least one locale"},
		{"sofia", RoleTranslator, []string{"es", "not a tag"}, `locale "not a tag" is not a valid BCP 47 tag`},
		{"sofia", RoleTranslator, []string{"und"}, `locale "und" names no language`},
		{"edith", RoleEditor, []string{"fr"}, "locales apply only to translators"},
	} {
		if _, err := u.Add(tt.name, tt.role, tt.locales); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Add(%q, %q, %q) = %v, want %q", tt.name, tt.role, tt.locales, err, tt.want)
		}
	}
	if n := len(u.List()); n != 1 {
		t.Errorf("refused adds changed the set: %d users", n)
	}
	// 64 characters of every allowed kind is fine.
	mustAdd(t, &u, "a.b_c-9"+strings.Repeat("x", 57), RoleAdmin)
}

func TestRoles(t *testing.T) {
	translator := User{Name: "claire", Role: RoleTranslator, Locales: []string{"fr", "zh-Hans"}}
	editor := User{Name: "edith", Role: RoleEditor}
	admin := User{Name: "root", Role: RoleAdmin}
	for _, tt := range []struct {
		u      User
		locale string
		want   bool
	}{
		{translator, "fr", true},
		{translator, "zh-Hans", true},
		{translator, "zh-hans", true}, // compared canonically
		{translator, "fr-CA", false},
		{translator, "es", false},
		{translator, "", false},
		{editor, "fr", false},
		{admin, "fr", true},
		{admin, "es", true},
		{User{Role: "owner", Locales: []string{"fr"}}, "fr", false},
	} {
		if got := tt.u.CanTranslate(tt.locale); got != tt.want {
			t.Errorf("%s (%s).CanTranslate(%q) = %v", tt.u.Name, tt.u.Role, tt.locale, got)
		}
	}
	if translator.IsEditor() || !editor.IsEditor() || !admin.IsEditor() {
		t.Error("IsEditor: only editors and admins")
	}
}

func TestSaveLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), ".pressroom")
	path := filepath.Join(dir, "users.json")

	missing, err := Load(path)
	if err != nil || len(missing.List()) != 0 {
		t.Fatalf("Load(missing) = %v, %v; want an empty set", missing.List(), err)
	}

	var u Users
	tokens := map[string]string{
		"claire": mustAdd(t, &u, "claire", RoleTranslator, "fr"),
		"amal":   mustAdd(t, &u, "amal", RoleTranslator, "ar", "fr"),
		"edith":  mustAdd(t, &u, "edith", RoleEditor),
		"root":   mustAdd(t, &u, "root", RoleAdmin),
	}
	if err := u.Save(path); err != nil {
		t.Fatal(err)
	}

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, token := range tokens {
		secret := strings.TrimPrefix(token, TokenPrefix)
		if bytes.Contains(data, []byte(secret)) || bytes.Contains(data, []byte(secret[:16])) {
			t.Errorf("the file contains %s's token", name)
		}
	}
	if !bytes.Contains(data, []byte(`"token_hash": "sha256:`)) {
		t.Errorf("no hashes in the file:\n%s", data)
	}
	if i, j := bytes.Index(data, []byte(`"amal"`)), bytes.Index(data, []byte(`"root"`)); i < 0 || j < i {
		t.Errorf("users are not sorted by name:\n%s", data)
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("file mode %v, want 0600", fi.Mode().Perm())
		}
		if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
			t.Errorf("directory mode %v, want 0700", fi.Mode().Perm())
		}
	}

	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, token := range tokens {
		got, ok := loaded.Authenticate(token)
		if !ok || got.Name != name {
			t.Errorf("after Load, %s's token gives %+v, %v", name, got, ok)
		}
	}
	if amal, _ := loaded.Get("amal"); fmt.Sprint(amal.Locales) != "[ar fr]" || amal.Role != RoleTranslator {
		t.Errorf("amal after Load: %+v", amal)
	}

	// Saving again replaces a file someone made world-readable, and
	// leaves no temporary files behind.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loaded.Rotate("edith"); err != nil {
		t.Fatal(err)
	}
	if err := loaded.Save(path); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("after a second Save, mode %v", fi.Mode().Perm())
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left in %s: %v", dir, entries)
	}
	again, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := again.Authenticate(tokens["edith"]); ok {
		t.Error("edith's rotated token survived Save and Load")
	}
}

func TestLoadMalformed(t *testing.T) {
	const hash = `"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"`
	const hash2 = `"sha256:0000000000000000000000000000000000000000000000000000000000000000"`
	for _, tt := range []struct {
		name, doc, want string
	}{
		{"syntax", "{\n  \"users\": [\n    {\"name\": \"claire\",}\n  ]\n}\n", "users.json:3: not valid JSON"},
		{"truncated", "{\n  \"users\": [\n", "users.json:3: not valid JSON: unexpected end of file"},
		{"not an object", "[]\n", `users.json:1: want "{"`},
		{"unknown top field", "{\n  \"people\": []\n}\n", `users.json:2: unknown field people`},
		{"unknown user field", "{\"users\": [\n  {\"name\": \"a\", \"role\": \"editor\", \"token_hash\": " + hash + "},\n  {\"name\": \"b\", \"role\": \"editor\", \"token\": \"prt_x\"}\n]}", `users.json:3: json: unknown field "token"`},
		{"wrong type", "{\"users\": [\n  {\"name\": 7}\n]}", `users.json:2: field "name": want a JSON string`},
		{"bad role", "{\"users\": [\n\n  {\"name\": \"a\", \"role\": \"boss\", \"token_hash\": " + hash + "}\n]}", `users.json:3: user "a": role "boss"`},
		{"bad locale", "{\"users\": [\n  {\"name\": \"a\", \"role\": \"translator\", \"locales\": [\"fr_FR!\"], \"token_hash\": " + hash + "}\n]}", `users.json:2: user "a": locale "fr_FR!"`},
		{"bad hash", "{\"users\": [\n  {\"name\": \"a\", \"role\": \"editor\", \"token_hash\": \"prt_plaintext\"}\n]}", `users.json:2: user "a": token_hash must be`},
		{"duplicate name", "{\"users\": [\n  {\"name\": \"a\", \"role\": \"editor\", \"token_hash\": " + hash + "},\n  {\"name\": \"a\", \"role\": \"admin\", \"token_hash\": " + hash2 + "}\n]}", `users.json:3: user "a" is listed twice`},
		{"shared token", "{\"users\": [\n  {\"name\": \"a\", \"role\": \"editor\", \"token_hash\": " + hash + "},\n  {\"name\": \"b\", \"role\": \"admin\", \"token_hash\": " + hash + "}\n]}", `users.json:3: user "b" has the same token as "a"`},
		{"trailing data", "{\"users\": []}\n{}", "users.json:2: unexpected data after the closing }"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "users.json")
			if err := os.WriteFile(path, []byte(tt.doc), 0o600); err != nil {
				t.Fatal(err)
			}
			u, err := Load(path)
			if err == nil {
				t.Fatalf("Load accepted it: %v", u.List())
			}
			want := filepath.Join(filepath.Dir(path), tt.want)
			if !strings.HasPrefix(err.Error(), want) {
				t.Errorf("got  %v\nwant %s…", err, want)
			}
		})
	}
}

func TestFromRequest(t *testing.T) {
	var u Users
	token := mustAdd(t, &u, "claire", RoleTranslator, "fr")
	wrong := "prt_" + strings.Repeat("A", 43)
	for _, tt := range []struct {
		name   string
		header []string
		want   error
	}{
		{"missing header", nil, ErrNoToken},
		{"empty header", []string{""}, ErrNoToken},
		{"basic auth", []string{"Basic Y2xhaXJlOnNlY3JldA=="}, ErrNoToken},
		{"token without scheme", []string{token}, ErrNoToken},
		{"empty bearer", []string{"Bearer "}, ErrNoToken},
		{"wrong token", []string{"Bearer " + wrong}, ErrBadToken},
		{"truncated token", []string{"Bearer " + token[:20]}, ErrBadToken},
		{"two headers", []string{"Bearer " + token, "Bearer " + token}, ErrBadToken},
		{"good", []string{"Bearer " + token}, nil},
		{"scheme in lower case, extra spaces", []string{"  bearer   " + token + " "}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/api/tasks", nil)
			for _, h := range tt.header {
				r.Header.Add("Authorization", h)
			}
			got, err := FromRequest(r, &u)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("FromRequest = %+v, %v; want %v", got, err, tt.want)
			}
			if err == nil && got.Name != "claire" {
				t.Errorf("user %+v", got)
			}
			if err != nil {
				msg := err.Error()
				for _, secret := range []string{token, wrong, strings.TrimPrefix(token, "prt_")[:12], "Y2xhaXJl"} {
					if strings.Contains(msg, secret) {
						t.Errorf("error %q echoes the credentials", msg)
					}
				}
			}
		})
	}
	if _, err := FromRequest(httptest.NewRequest("GET", "/", nil), nil); !errors.Is(err, ErrNoToken) {
		t.Errorf("nil users, no header: %v", err)
	}
	if c := Challenge(ErrBadToken); c != `Bearer realm="pressroom", error="invalid_token"` {
		t.Errorf("Challenge(ErrBadToken) = %s", c)
	}
	if c := Challenge(ErrNoToken); c != `Bearer realm="pressroom"` {
		t.Errorf("Challenge(ErrNoToken) = %s", c)
	}
}

// Every Authenticate, hit or miss, ends in one constant-time comparison of
// two full SHA-256 hashes; none short-circuits on a prefix.
func TestAuthenticateIsConstantTime(t *testing.T) {
	var u Users
	token := mustAdd(t, &u, "claire", RoleTranslator, "fr")

	var calls, equal int
	orig := constantTimeCompare
	constantTimeCompare = func(x, y []byte) int {
		calls++
		if len(x) != 32 || len(y) != 32 {
			t.Errorf("compared %d and %d bytes, want two SHA-256 hashes", len(x), len(y))
		}
		r := orig(x, y)
		equal += r
		return r
	}
	t.Cleanup(func() { constantTimeCompare = orig })

	last := "A"
	if strings.HasSuffix(token, "A") {
		last = "B"
	}
	lastCharWrong := token[:len(token)-1] + last
	for _, tt := range []struct {
		token string
		ok    bool
	}{
		{token, true},
		{lastCharWrong, false},
		{"prt_" + strings.Repeat("A", 43), false},
		{"x", false},
	} {
		before := calls
		if _, ok := u.Authenticate(tt.token); ok != tt.ok {
			t.Errorf("Authenticate(%q) = %v", tt.token, ok)
		}
		if calls != before+1 {
			t.Errorf("Authenticate(%q) made %d constant-time comparisons, want 1", tt.token, calls-before)
		}
	}
	if equal != 1 {
		t.Errorf("%d comparisons matched, want 1", equal)
	}
}

func TestConcurrentAuthenticate(t *testing.T) {
	var u Users
	token := mustAdd(t, &u, "claire", RoleTranslator, "fr")
	path := filepath.Join(t.TempDir(), "users.json")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				usr, ok := u.Authenticate(token)
				if !ok || usr.Name != "claire" {
					t.Errorf("goroutine %d: Authenticate failed", g)
					return
				}
				usr.Locales[0] = "xx" // a caller's copy: must not reach the set
				if _, ok := u.Authenticate(fmt.Sprintf("prt_bad%d", i)); ok {
					t.Error("a bad token passed")
				}
			}
		})
	}
	// Meanwhile an admin adds and rotates other users and saves.
	wg.Go(func() {
		for i := range 50 {
			name := fmt.Sprintf("user-%d", i)
			if _, err := u.Add(name, RoleEditor, nil); err != nil {
				t.Error(err)
			}
			if _, err := u.Rotate(name); err != nil {
				t.Error(err)
			}
			_ = u.List()
			if err := u.Save(path); err != nil {
				t.Error(err)
			}
		}
	})
	wg.Wait()
	if c, _ := u.Get("claire"); c.Locales[0] != "fr" {
		t.Errorf("a caller's change reached the set: %v", c.Locales)
	}
}
