package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/service"
)

// usersPath is the users file: PRESSROOM_USERS, else users.json in the
// state directory.
func usersPath(g *globals) string {
	if p := os.Getenv(auth.EnvPath); p != "" {
		return p
	}
	return filepath.Join(g.stateDir, "users.json")
}

func usersCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Manage users, roles, passwords and API tokens",
		Long: `Users and their roles: editor (submits, approves, cancels reports),
translator (reviews tasks of their locales), admin (everything). People sign
in to the workbench with a password; scripts and CAT tools send a bearer
token. Both are kept only as hashes (Argon2id for passwords, SHA-256 for
tokens) in a JSON file (PRESSROOM_USERS, default .pressroom/users.json): a
token is shown once, when created. Every change takes a lock on the file,
so concurrent commands lose nothing, and a running server sees it on the
next request.`,
	}
	var role string
	var locales []string
	var pwStdin bool
	add := &cobra.Command{
		Use:     "add NAME --role editor|translator|admin [--locales fr,es] [--password-stdin]",
		Short:   "Add a user; print their new API token and set a workbench password",
		Example: "  pressroom users add claire --role translator --locales fr   # asks for a password on a terminal\n  echo \"$PW\" | pressroom users add edith --role editor --password-stdin",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, err := readPassword(cmd, pwStdin, false)
			if err != nil {
				return err
			}
			path := usersPath(g)
			var token string
			err = auth.Update(path, func(u *auth.Users) error {
				var err error
				if token, err = u.Add(args[0], auth.Role(role), splitList(locales)); err != nil {
					return usagef("%v", err)
				}
				if pw != "" {
					if err := u.SetPassword(args[0], pw); err != nil {
						return usagef("%v", err)
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			withPW := "no workbench password (set one with `pressroom users passwd`)"
			if pw != "" {
				withPW = "a workbench password"
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "added %s (%s) with %s to %s; the API token is shown only now:\n", args[0], role, withPW, path)
			fmt.Fprintln(cmd.OutOrStdout(), token)
			return nil
		},
	}
	add.Flags().StringVar(&role, "role", "", "editor, translator or admin")
	add.Flags().StringSliceVar(&locales, "locales", nil, "a translator's locales, comma-separated")
	add.Flags().BoolVar(&pwStdin, "password-stdin", false, "read the workbench password from the first line of standard input")

	var passwdStdin bool
	passwd := &cobra.Command{
		Use:   "passwd NAME [--password-stdin]",
		Short: "Set a user's workbench password (asks on a terminal)",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, err := readPassword(cmd, passwdStdin, true)
			if err != nil {
				return err
			}
			err = auth.Update(usersPath(g), func(u *auth.Users) error {
				if err := u.SetPassword(args[0], pw); err != nil {
					if errors.Is(err, auth.ErrUnknownUser) {
						return notFoundf("%v", err)
					}
					return usagef("%v", err)
				}
				return nil
			})
			if err == nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "password of %s changed\n", args[0])
			}
			return err
		},
	}
	passwd.Flags().BoolVar(&passwdStdin, "password-stdin", false, "read the password from the first line of standard input")

	rotate := &cobra.Command{
		Use:   "rotate NAME",
		Short: "Give a user a new API token; the old one stops working",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var token string
			err := auth.Update(usersPath(g), func(u *auth.Users) (err error) {
				if token, err = u.Rotate(args[0]); errors.Is(err, auth.ErrUnknownUser) {
					return notFoundf("%v", err)
				}
				return err
			})
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), token)
			return nil
		},
	}
	remove := &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a user: their token and password stop working, their sessions end",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			err := auth.Update(usersPath(g), func(u *auth.Users) error {
				if err := u.Remove(args[0]); errors.Is(err, auth.ErrUnknownUser) {
					return notFoundf("%v", err)
				} else if err != nil {
					return err
				}
				return nil
			})
			if err == nil {
				fmt.Fprintf(cmd.ErrOrStderr(), "removed %s\n", args[0])
			}
			return err
		},
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List users and roles (never tokens or passwords)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			users, err := auth.Load(usersPath(g))
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tROLE\tLOCALES")
			for _, u := range users.List() {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Name, u.Role, orDash(strings.Join(u.Locales, ",")))
			}
			return tw.Flush()
		},
	}
	cmd.AddCommand(add, passwd, rotate, remove, list)
	return cmd
}

// readPassword reads a password from the first line of stdin
// (--password-stdin) or, on a terminal, asks twice without echo. Without
// either it returns "" unless required.
func readPassword(cmd *cobra.Command, fromStdin, required bool) (string, error) {
	in := cmd.InOrStdin()
	if fromStdin {
		line, err := bufio.NewReader(io.LimitReader(in, auth.MaxPasswordLen+2)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		pw := strings.TrimRight(line, "\r\n")
		if pw == "" {
			return "", usagef("--password-stdin: standard input holds no password")
		}
		return pw, nil
	}
	f, ok := in.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		if required {
			return "", usagef("no password: give --password-stdin, or run on a terminal to be asked")
		}
		return "", nil
	}
	ask := func(prompt string) (string, error) {
		fmt.Fprint(cmd.ErrOrStderr(), prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(cmd.ErrOrStderr())
		return string(b), err
	}
	pw, err := ask("Workbench password: ")
	if err != nil {
		return "", err
	}
	again, err := ask("Again: ")
	if err != nil {
		return "", err
	}
	if pw != again {
		return "", usagef("the two passwords differ; nothing changed")
	}
	return pw, nil
}

func splitList(vals []string) []string {
	var out []string
	for _, v := range vals {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// notFoundf is an error that exits with the not-found code.
func notFoundf(format string, args ...any) error {
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), service.ErrNotFound)
}
