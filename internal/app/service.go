package app

import (
	"go.temporal.io/sdk/client"

	"github.com/pressroom/pressroom/internal/config"
	"github.com/pressroom/pressroom/internal/preview"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/store"
)

// NewService is the one way every process builds the service the CLI, the
// API and the workbench call. Events follows the webhook configuration:
// workflows learn at submit time, deterministically, whether to schedule
// webhook deliveries at all.
func NewService(cfg config.Config, c client.Client, st *store.Store) *service.Service {
	return &service.Service{Temporal: c, Store: st, TaskQueue: cfg.TaskQueue, Events: cfg.WebhookURL != "",
		Previews: &preview.Keys{Store: st, Secret: cfg.PreviewSecret}}
}
