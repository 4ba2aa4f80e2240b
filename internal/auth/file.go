package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// fileFormat is the users file.
type fileFormat struct {
	Users []User `json:"users"`
}

// Load reads the users file. A missing file is an empty set (the first
// `pressroom users add` creates it); a malformed one is an error naming
// the line.
func Load(path string) (*Users, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Users{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("users file: %w", err)
	}
	return parse(path, data)
}

// parse walks the document with json.Decoder so that each problem, a
// user's as well as a syntax error, comes with its line.
func parse(path string, data []byte) (*Users, error) {
	fail := func(offset int64, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", path, lineAt(data, offset), fmt.Sprintf(format, args...))
	}
	jsonErr := func(err error, at int64) error {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return fail(se.Offset, "not valid JSON: %v", err)
		case errors.As(err, &te):
			// Offset counts from the start of the value being decoded.
			return fail(at+te.Offset, "field %q: want a JSON %s", te.Field, te.Type)
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return fail(int64(len(data)), "not valid JSON: unexpected end of file")
		}
		return fail(at, "%v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	delim := func(want json.Delim) error {
		at := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return jsonErr(err, at)
		}
		if d, ok := tok.(json.Delim); !ok || d != want {
			return fail(at, "want %q, found %v", string(want), tok)
		}
		return nil
	}

	u := &Users{}
	if err := delim('{'); err != nil {
		return nil, err
	}
	for dec.More() {
		at := dec.InputOffset()
		key, err := dec.Token()
		if err != nil {
			return nil, jsonErr(err, at)
		}
		if key != "users" {
			return nil, fail(skipSpace(data, at), "unknown field %v; the file has only \"users\"", key)
		}
		if err := delim('['); err != nil {
			return nil, err
		}
		for dec.More() {
			at := skipSpace(data, dec.InputOffset())
			var usr User
			if err := dec.Decode(&usr); err != nil {
				return nil, jsonErr(err, at)
			}
			if err := u.load(usr); err != nil {
				return nil, fail(at, "%v", err)
			}
		}
		if err := delim(']'); err != nil {
			return nil, err
		}
	}
	if err := delim('}'); err != nil {
		return nil, err
	}
	if at := dec.InputOffset(); len(bytes.TrimSpace(data[at:])) > 0 {
		return nil, fail(skipSpace(data, at), "unexpected data after the closing }")
	}
	return u, nil
}

// load adds a user read from the file, checking it as Add does.
func (u *Users) load(usr User) error {
	clean, err := newUser(usr.Name, usr.Role, usr.Locales)
	if err != nil {
		return err
	}
	hash, ok := parseHash(usr.TokenHash)
	if !ok {
		return fmt.Errorf("user %q: token_hash must be \"sha256:\" and 64 hex digits; use `pressroom users rotate %s` for a new token", usr.Name, usr.Name)
	}
	if _, dup := u.byName[clean.Name]; dup {
		return fmt.Errorf("user %q is listed twice", clean.Name)
	}
	if other, dup := u.byHash[hash]; dup {
		return fmt.Errorf("user %q has the same token as %q; rotate one of them", clean.Name, other.user.Name)
	}
	e := &entry{user: clean, hash: hash}
	if usr.PasswordHash != "" {
		p, err := parsePHC(usr.PasswordHash)
		if err != nil {
			return fmt.Errorf("user %q: %v; use `pressroom users passwd %s`", usr.Name, err, usr.Name)
		}
		e.password, e.phc = usr.PasswordHash, &p
	}
	u.put(e)
	return nil
}

// Save writes the users file atomically: a temporary file in the same
// directory, synced, then renamed over the old one, so a crash leaves the
// old file or the new one, never half of one. It is created with mode
// 0600 (and the directory, when missing, 0700): the hashes do not let
// anyone in, but who has which role is nobody else's business.
func (u *Users) Save(path string) error {
	data, err := u.marshal()
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("users file: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("users file: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing to remove
	err = f.Chmod(0o600) // CreateTemp already uses 0600; say it anyway
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		return fmt.Errorf("users file: %w", err)
	}
	// Make the rename itself durable; not every system can sync a
	// directory, and the file is complete either way.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// marshal renders the file: users by name, two-space indent.
func (u *Users) marshal() ([]byte, error) {
	u.mu.RLock()
	var f fileFormat
	for _, e := range u.byName {
		usr := e.user.clone()
		usr.TokenHash = formatHash(e.hash)
		usr.PasswordHash = e.password
		f.Users = append(f.Users, usr)
	}
	u.mu.RUnlock()
	if f.Users == nil {
		f.Users = []User{}
	}
	sortUsers(f.Users)
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// lineAt is the 1-based line of a byte offset.
func lineAt(data []byte, offset int64) int {
	offset = min(max(offset, 0), int64(len(data)))
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

// skipSpace moves an offset past white space and a comma, to the start of
// the next value: json.Decoder's InputOffset stands just after the
// previous token.
func skipSpace(data []byte, at int64) int64 {
	for at < int64(len(data)) {
		switch data[at] {
		case ' ', '\t', '\r', '\n', ',', ':':
			at++
		default:
			return at
		}
	}
	return at
}
