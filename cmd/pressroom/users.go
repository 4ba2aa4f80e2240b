package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/pressroom/pressroom/internal/auth"
)

// usersPath is the users file: PRESSROOM_USERS, else users.json in the
// state directory.
func usersPath(g *globals) string {
	if p := os.Getenv("PRESSROOM_USERS"); p != "" {
		return p
	}
	return filepath.Join(g.stateDir, "users.json")
}

func usersCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Manage API users, roles and tokens",
		Long: `Users of the HTTP API and their roles: editor (submits, approves, cancels
reports), translator (reviews tasks of their locales), admin (everything).
They live in a JSON file (PRESSROOM_USERS, default .pressroom/users.json)
that holds only hashes of the tokens: a token is shown once, when created.`,
	}
	var role string
	var locales []string
	add := &cobra.Command{
		Use:     "add NAME --role editor|translator|admin [--locales fr,es]",
		Short:   "Add a user and print their new token",
		Example: "  pressroom users add claire --role translator --locales fr\n  pressroom users add edith --role editor",
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := usersPath(g)
			users, err := auth.Load(path)
			if err != nil {
				return err
			}
			token, err := users.Add(args[0], auth.Role(role), splitList(locales))
			if err != nil {
				return usagef("%v", err)
			}
			if err := users.Save(path); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "added %s (%s) to %s; the token is shown only now:\n", args[0], role, path)
			fmt.Fprintln(cmd.OutOrStdout(), token)
			return nil
		},
	}
	add.Flags().StringVar(&role, "role", "", "editor, translator or admin")
	add.Flags().StringSliceVar(&locales, "locales", nil, "a translator's locales, comma-separated")
	rotate := &cobra.Command{
		Use:   "rotate NAME",
		Short: "Give a user a new token; the old one stops working",
		Args:  exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := usersPath(g)
			users, err := auth.Load(path)
			if err != nil {
				return err
			}
			token, err := users.Rotate(args[0])
			if err != nil {
				return usagef("%v", err)
			}
			if err := users.Save(path); err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), token)
			return nil
		},
	}
	list := &cobra.Command{
		Use:   "list",
		Short: "List users and roles (never tokens)",
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
	cmd.AddCommand(add, rotate, list)
	return cmd
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
