// Command pressroom runs and drives Pressroom: the dev stack, the worker,
// the reader site, and the editor and translator commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/pressroom/pressroom/internal/config"
	"github.com/pressroom/pressroom/internal/mt"
	"github.com/pressroom/pressroom/internal/report"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/internal/telemetry"
)

// Exit codes, so scripts can tell what happened.
const (
	exitOK       = 0
	exitFailure  = 1 // a service failed or could not be reached
	exitBadInput = 2 // the command line or the report was wrong
	exitRefused  = 3 // Pressroom understood and refused (validator, in progress)
	exitNotFound = 4 // no such report, task or object
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRoot().ExecuteContext(ctx)
	stop()
	os.Exit(exitCode(err))
}

func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(os.Stderr, "pressroom:", err)
	var bad report.Errors
	var one *report.Error
	var refused *service.RefusedError
	var conflict *service.ConflictError
	var usage usageError
	var cfg *config.Error
	switch {
	case errors.As(err, &bad), errors.As(err, &one), errors.As(err, &usage), errors.As(err, &cfg):
		return exitBadInput
	case errors.As(err, &refused), errors.As(err, &conflict):
		return exitRefused
	case errors.Is(err, service.ErrNotFound):
		return exitNotFound
	}
	return exitFailure
}

// usageError is a wrong command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// unknownCommand refuses arguments that name no command.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += "\n\nDid you mean this?\n\t" + strings.Join(s, "\n\t")
	}
	return usageError{msg}
}

// globals are the connection flags every command shares; they override
// the environment, which overrides .pressroom/dev.json.
type globals struct {
	stateDir        string
	temporalAddress string
	namespace       string
	taskQueue       string
	s3Endpoint      string
	bucket          string
	logFormat       string
	logLevel        string
	// mt and apertiumURL are flags of the commands that translate
	// (worker, dev) only.
	mt          string
	apertiumURL string
}

// registerMTFlags adds the machine-translation flags to a command that
// runs a worker. Provider keys have no flags: a command line is visible
// to every user of the machine.
func (g *globals) registerMTFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&g.mt, "mt", "", "machine-translation routing, e.g. 'es=apertium,*=pseudo' (env PRESSROOM_MT, default *=pseudo)")
	cmd.Flags().StringVar(&g.apertiumURL, "apertium-url", "", "Apertium APy server (env PRESSROOM_APERTIUM_URL, default http://127.0.0.1:2737)")
}

// flags are the configuration values given on the command line.
func (g *globals) flags() config.Config {
	return config.Config{
		TemporalAddress: g.temporalAddress, Namespace: g.namespace, TaskQueue: g.taskQueue,
		MT: g.mt, Providers: mt.Settings{ApertiumURL: g.apertiumURL},
		S3: config.S3{Endpoint: g.s3Endpoint, Bucket: g.bucket},
	}
}

// logger is the process logger of long-running commands (worker, serve,
// dev), on stderr.
func (g *globals) logger() (*slog.Logger, error) {
	return telemetry.NewLogger(os.Stderr, g.logFormat, g.logLevel)
}

func (g *globals) load() (config.Config, error) {
	c, err := config.Load(g.stateDir, os.Getenv)
	if err != nil {
		return c, err
	}
	config.ApplyFlags(&c, g.flags())
	return c, nil
}

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "pressroom",
		Short: "Multilingual publishing on durable workflows",
		Long: `Pressroom carries a report (news item, press release, event report) through
draft → translation → review → approval → publish, as Temporal workflows,
and publishes approved versions to S3 as reader pages and go-i18n catalogs.

Start here:
  pressroom dev                       run Temporal, S3, the worker and the site locally
  pressroom submit report.md --to fr,es --reviewer fr=claire
  pressroom status my-report          follow it
  pressroom tasks --assignee claire   what is waiting for review
  pressroom review my-report fr --as claire --approve

Commands run next to 'pressroom dev' find its stack through .pressroom/dev.json;
elsewhere set TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, AWS_ENDPOINT_URL_S3,
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION and PRESSROOM_BUCKET.

Exit codes: 0 ok, 1 failure, 2 bad input, 3 refused, 4 not found.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err.Error()} })
	// An unknown command is a usage error by type, with cobra's wording
	// and suggestions; with no command the root prints its help.
	root.Args = unknownCommand
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	pf := root.PersistentFlags()
	pf.StringVar(&g.stateDir, "state-dir", config.DefaultStateDir, "where `pressroom dev` keeps its data and dev.json")
	pf.StringVar(&g.temporalAddress, "temporal-address", "", "Temporal frontend host:port (env TEMPORAL_ADDRESS)")
	pf.StringVar(&g.namespace, "namespace", "", "Temporal namespace (env TEMPORAL_NAMESPACE)")
	pf.StringVar(&g.taskQueue, "task-queue", "", "Temporal task queue (env PRESSROOM_TASK_QUEUE, default pressroom)")
	pf.StringVar(&g.s3Endpoint, "s3-endpoint", "", "S3 endpoint URL (env AWS_ENDPOINT_URL_S3)")
	pf.StringVar(&g.bucket, "bucket", "", "bucket name (env PRESSROOM_BUCKET, default pressroom)")
	pf.StringVar(&g.logFormat, "log-format", envOr("PRESSROOM_LOG_FORMAT", telemetry.LogAuto), "log format of worker, serve and dev: auto (JSON unless stderr is a terminal), text or json (env PRESSROOM_LOG_FORMAT)")
	pf.StringVar(&g.logLevel, "log-level", envOr("PRESSROOM_LOG_LEVEL", "info"), "debug, info, warn or error (env PRESSROOM_LOG_LEVEL)")
	root.AddCommand(
		devCmd(g), demoCmd(g), workerCmd(g), serveCmd(g),
		scheduleCmd(g),
		benchCmd(g), submitCmd(g), statusCmd(g), tasksCmd(g), taskCmd(g), reviewCmd(g), approveCmd(g), getCmd(g), tmCmd(g), usersCmd(g), xliffCmd(g),
		releasesCmd(g), rollbackCmd(g), unpublishCmd(g), previewCmd(g),
	)
	return root
}
