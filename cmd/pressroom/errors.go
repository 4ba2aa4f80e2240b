package main

import (
	"errors"
	"fmt"

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
