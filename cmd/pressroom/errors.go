package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pressroom/pressroom/internal/report"

	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/store"
)

// notFound maps the store's not-found to the CLI's exit code.
func notFound(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: %w", service.ErrNotFound, err)
	}
	return err
}

// exactArgs and noArgs are cobra's checks with errors that exit 2.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			return usagef("%s: %v (usage: %s)", cmd.CommandPath(), err, cmd.UseLine())
		}
		return nil
	}
}

func noArgs(cmd *cobra.Command, args []string) error {
	if err := cobra.NoArgs(cmd, args); err != nil {
		return usagef("%s: %v", cmd.CommandPath(), err)
	}
	return nil
}

// localeArg reads a locale argument as a canonical BCP 47 tag.
func localeArg(s string) (string, error) {
	l, err := report.CanonicalLocale(s)
	if err != nil {
		return "", usagef("locale %q: %v", s, err)
	}
	return l, nil
}
