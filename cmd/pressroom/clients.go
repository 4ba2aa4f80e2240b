package main

import (
	"context"
	"encoding/json"
	"io"

	"github.com/pressroom/pressroom/internal/app"
	"github.com/pressroom/pressroom/internal/config"
	"github.com/pressroom/pressroom/internal/service"
)

// connect opens the service for a client command; close it when done.
func connect(ctx context.Context, g *globals) (*service.Service, config.Config, func(), error) {
	cfg, err := g.load()
	if err != nil {
		return nil, cfg, nil, err
	}
	p, err := app.Start(ctx, cfg, app.Observability{}, app.Parts{})
	if err != nil {
		return nil, cfg, nil, err
	}
	return app.NewService(cfg, p.Client, p.Store), cfg, p.Close, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// openTask connects and reads the review task named by SLUG and LOCALE
// arguments; close the service when done.
func openTask(ctx context.Context, g *globals, slug, localeText string) (*service.Service, service.TaskDetail, func(), error) {
	locale, err := localeArg(localeText)
	if err != nil {
		return nil, service.TaskDetail{}, nil, err
	}
	svc, _, closeFn, err := connect(ctx, g)
	if err != nil {
		return nil, service.TaskDetail{}, nil, err
	}
	d, err := svc.TaskDetail(ctx, slug, locale)
	if err != nil {
		closeFn()
		return nil, service.TaskDetail{}, nil, err
	}
	return svc, d, closeFn, nil
}
