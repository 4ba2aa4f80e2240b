package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pressroom/pressroom/internal/app"
	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/config"
	"github.com/pressroom/pressroom/internal/devstack"
	"github.com/pressroom/pressroom/internal/web"
	"github.com/pressroom/pressroom/internal/workbench"
)

type devFlags struct {
	binDir       string
	temporalPort int
	uiPort       int
	s3Port       int
	sitePort     int
	verbose      bool
}

func (d *devFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&d.binDir, "bin-dir", "bin", "where `make tools` installed temporal and versitygw (PATH is searched too)")
	f.IntVar(&d.temporalPort, "temporal-port", 7233, "Temporal frontend port")
	f.IntVar(&d.uiPort, "ui-port", 8233, "Temporal Web UI port (-1 for none)")
	f.IntVar(&d.s3Port, "s3-port", 7070, "S3 (versitygw) port")
	f.IntVar(&d.sitePort, "site-port", 8088, "reader site port")
	f.BoolVarP(&d.verbose, "verbose", "v", false, "show the servers' own logs")
}

// devEnv is a running local stack with a worker and the reader site.
type devEnv struct {
	cfg    config.Config
	stack  *devstack.Stack
	proc   *app.Process
	site   *http.Server
	log    *slog.Logger
	tokens []demoToken
	apy    *devstack.APy
	obs    app.Observability
}

// The demo users pressroom dev creates: an editor, an admin and a
// translator for each UN language other than English.
var demoCast = []struct {
	name   string
	role   auth.Role
	locale string
}{
	{"edith", auth.RoleEditor, ""}, {"admin", auth.RoleAdmin, ""},
	{"amal", auth.RoleTranslator, "ar"}, {"wei", auth.RoleTranslator, "zh-Hans"}, {"claire", auth.RoleTranslator, "fr"},
	{"dmitri", auth.RoleTranslator, "ru"}, {"sofia", auth.RoleTranslator, "es"},
}

type demoToken struct{ name, role, locale, password, token string }

// demoUsers makes sure the demo users exist and gives each a fresh token
// and workbench password, printed at start: both are stored only as
// hashes, so a restart cannot show the old ones. It returns the users
// file opened for the server, which follows later changes to it.
func demoUsers(path string) (*auth.Users, []demoToken, error) {
	var out []demoToken
	err := auth.Update(path, func(users *auth.Users) error {
		for _, c := range demoCast {
			var token string
			var err error
			if _, ok := users.Get(c.name); ok {
				token, err = users.Rotate(c.name)
			} else {
				var locales []string
				if c.locale != "" {
					locales = []string{c.locale}
				}
				token, err = users.Add(c.name, c.role, locales)
			}
			if err != nil {
				return err
			}
			pw, err := auth.NewPassword()
			if err != nil {
				return err
			}
			if err := users.SetPassword(c.name, pw); err != nil {
				return err
			}
			out = append(out, demoToken{c.name, string(c.role), c.locale, pw, token})
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	users, err := auth.Open(path)
	return users, out, err
}

func startDev(ctx context.Context, g *globals, d devFlags, out io.Writer) (*devEnv, error) {
	logw := io.Discard
	if d.verbose {
		logw = os.Stderr
	}
	stateDir := g.stateDir
	fmt.Fprintf(out, "starting Temporal dev server and versitygw (data in %s/) ...\n", stateDir)
	stack, err := devstack.Start(ctx, devstack.Options{
		StateDir: stateDir, BinDir: d.binDir,
		TemporalPort: d.temporalPort, UIPort: d.uiPort, S3Port: d.s3Port, Log: logw,
	})
	if err != nil {
		return nil, err
	}
	obs, err := devObservability(g)
	if err != nil {
		_ = stack.Stop()
		return nil, err
	}
	e := &devEnv{stack: stack, log: obs.Log, obs: obs}
	// The stack's own addresses; machine translation from the flags and
	// the environment (dev.json is what this writes, not what it reads).
	env, flags := config.Environment(os.Getenv), g.flags()
	mtCfg := config.Config{MT: env.MT, Providers: env.Providers}
	config.ApplyFlags(&mtCfg, config.Config{MT: flags.MT, Providers: flags.Providers})
	e.cfg = config.Config{
		TemporalAddress: stack.TemporalAddress, Namespace: config.DefaultNamespace, TaskQueue: config.DefaultTaskQueue,
		TemporalUI: stack.UIURL, SiteURL: "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(d.sitePort)),
		MT: mtCfg.MT, Providers: mtCfg.Providers,
		S3: config.S3{Endpoint: stack.S3Endpoint, Region: "us-east-1", AccessKey: stack.AccessKey, SecretKey: stack.SecretKey, Bucket: stack.Bucket},
	}
	if err := config.WriteState(stateDir, e.cfg); err != nil {
		e.stop()
		return nil, err
	}
	e.cfg.Source = config.StatePath(stateDir)
	// Routing a locale to Apertium with no server named: run one, if installed.
	if strings.Contains(e.cfg.MT, "apertium") && e.cfg.Providers.ApertiumURL == "" {
		apy, err := devstack.StartAPy(ctx, "127.0.0.1", 2737, logw)
		if err != nil {
			e.stop()
			return nil, fmt.Errorf("PRESSROOM_MT routes to apertium: %w", err)
		}
		e.apy = apy
		e.cfg.Providers.ApertiumURL = apy.URL
	}
	if e.proc, err = app.Start(ctx, e.cfg, obs, app.Parts{Worker: true}); err != nil {
		e.stop()
		return nil, err
	}
	c, st := e.proc.Client, e.proc.Store
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(d.sitePort)))
	if err != nil {
		e.stop()
		return nil, fmt.Errorf("reader site: %w", err)
	}
	users, tokens, err := demoUsers(usersPath(g))
	if err != nil {
		ln.Close()
		e.stop()
		return nil, err
	}
	e.tokens = tokens
	svc := app.NewService(e.cfg, c, st)
	_ = obs.Metrics.WatchReports(c, e.cfg.Namespace, e.log)
	api := &web.API{Svc: svc, Users: users, Log: e.log, SiteURL: e.cfg.SiteURL}
	wb := workbench.New(svc, users, e.log)
	e.site = web.NewServer("", app.ServeHandler(web.Routes(st, api, wb.Handler()), api.Routes(), obs, app.ReadinessChecks(c, st), true))
	go func() { _ = e.site.Serve(ln) }()
	return e, nil
}

func (e *devEnv) printAddresses(w io.Writer, stateDir string) {
	abs, _ := filepath.Abs(stateDir)
	fmt.Fprintf(w, "\nWorkbench: %s/workbench/  (sign in with a demo user below)\n", e.cfg.SiteURL)
	fmt.Fprintf(w, `
Pressroom dev stack is running:
  Temporal       %s  (namespace %s, task queue %s)
  Temporal UI    %s
  S3 (versitygw) %s  bucket %s  access key %s
  Reader site    %s/en/
  API            %s/api/  (see README; Authorization: Bearer TOKEN)
  Worker         running in this process (machine translation: %s)
  State          %s  (kept across restarts; delete it to start afresh)
Other pressroom commands run from this folder find the stack through %s.
`, e.cfg.TemporalAddress, e.cfg.Namespace, e.cfg.TaskQueue, orDash(e.cfg.TemporalUI), e.cfg.S3.Endpoint, e.cfg.S3.Bucket, e.cfg.S3.AccessKey,
		e.cfg.SiteURL, e.cfg.SiteURL, mtRouting(e.cfg), abs, config.StatePath(stateDir))
	fmt.Fprintln(w, "Demo users (new passwords and API tokens at every start):")
	fmt.Fprintf(w, "  %-7s %-10s %-8s %-21s %s\n", "NAME", "ROLE", "LOCALE", "PASSWORD", "API TOKEN")
	for _, t := range e.tokens {
		fmt.Fprintf(w, "  %-7s %-10s %-8s %-21s %s\n", t.name, t.role, orDash(t.locale), t.password, t.token)
	}
}

// stop ends everything in order: the site, the worker (finishing
// in-flight tasks), the client, then the servers.
func (e *devEnv) stop() error {
	if e.site != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = e.site.Shutdown(ctx)
		cancel()
	}
	if e.proc != nil {
		e.proc.Close()
	} else {
		e.obs.Shutdown() // the Process was not started: obs is still ours
	}
	var err error
	if e.apy != nil {
		_ = e.apy.Stop()
	}
	if e.stack != nil {
		err = e.stack.Stop()
	}
	return err
}

func devCmd(g *globals) *cobra.Command {
	var d devFlags
	cmd := &cobra.Command{
		Use:   "dev",
		Short: "Run the whole stack locally: Temporal, S3, the worker and the reader site",
		Long: `Run Pressroom on one machine with no Docker: the Temporal dev server and
versitygw (an S3 server) as child processes storing under --state-dir, a
worker, and the reader site. Ctrl-C stops everything; starting again keeps
the data. The tools come from ./bin (make tools) or PATH.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			e, err := startDev(cmd.Context(), g, d, out)
			if err != nil {
				return err
			}
			e.printAddresses(out, g.stateDir)
			fmt.Fprintln(out, "\nPress Ctrl-C to stop.")
			<-cmd.Context().Done()
			fmt.Fprintln(out, "\nstopping worker, site, Temporal and versitygw ...")
			err = e.stop()
			if err == nil {
				fmt.Fprintln(out, "stopped; data kept in", g.stateDir)
			}
			return err
		},
	}
	d.register(cmd)
	g.registerMTFlags(cmd)
	return cmd
}

func workerCmd(g *globals) *cobra.Command {
	var metricsAddr string
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run a worker: executes Pressroom's workflows and activities",
		Long: `Run a worker against a Temporal cluster and an S3 bucket. Scale by running
more. It registers Pressroom's search attributes if the cluster lacks them.
Machine translation routing comes from --mt or PRESSROOM_MT (default
"*=pseudo"); provider settings from the PRESSROOM_* variables of the README.
With --metrics-addr it serves /metrics, /healthz and /readyz there.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runWorker(cmd.Context(), g, metricsAddr)
		},
	}
	cmd.Flags().StringVar(&metricsAddr, "metrics-addr", os.Getenv("PRESSROOM_METRICS_ADDR"), "serve /metrics, /healthz and /readyz on this address, e.g. :9090 (env PRESSROOM_METRICS_ADDR; default none)")
	g.registerMTFlags(cmd)
	return cmd
}

func serveCmd(g *globals) *cobra.Command {
	var listen, metricsAddr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the HTTP API and the reader site",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := g.load()
			if err != nil {
				return err
			}
			users, err := auth.Open(usersPath(g))
			if err != nil {
				return err
			}
			obs, err := g.observability(cmd.Context(), "pressroom-serve")
			if err != nil {
				return err
			}
			logger := obs.Log
			p, err := app.Start(cmd.Context(), cfg, obs, app.Parts{})
			if err != nil {
				return err
			}
			defer p.Close()
			ops, err := serveOps(p, metricsAddr)
			if err != nil {
				return err
			}
			p.OnClose(ops.Close)
			c, st := p.Client, p.Store
			svc := app.NewService(cfg, c, st)
			api := &web.API{Svc: svc, Users: users, Log: logger, SiteURL: cfg.SiteURL}
			if cfg.SiteURL == "" {
				logger.Warn("PRESSROOM_SITE_URL is not set: sitemaps and feeds take their absolute URLs from each request's Host header; set it to the reader site's public URL")
			}
			wb := workbench.New(svc, users, logger)
			srv := web.NewServer(listen, app.ServeHandler(web.Routes(st, api, wb.Handler()), api.Routes(), obs, app.ReadinessChecks(c, st), metricsAddr == ""))
			errc := make(chan error, 1)
			go func() { errc <- srv.ListenAndServe() }()
			fmt.Fprintf(cmd.OutOrStdout(), "serving the workbench (/workbench/), the API (/api/) and the reader site on %s; users from %s\n", listen, usersPath(g))
			select {
			case err := <-errc:
				return err
			case <-cmd.Context().Done():
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&listen, "listen", envOr("PRESSROOM_LISTEN", ":8088"), "address to listen on (env PRESSROOM_LISTEN)")
	cmd.Flags().StringVar(&metricsAddr, "metrics-addr", os.Getenv("PRESSROOM_METRICS_ADDR"), "serve /metrics (and the probes) on this address instead of --listen (env PRESSROOM_METRICS_ADDR)")
	return cmd
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func mtRouting(cfg config.Config) string {
	spec := cfg.MT
	if spec == "" {
		return "*=pseudo"
	}
	if url := cfg.Providers.ApertiumURL; strings.Contains(spec, "apertium") && url != "" {
		return spec + ", apertium at " + url
	}
	return spec
}
