package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"

	"github.com/pressroom/pressroom/internal/devstack"
)

// repoRoot is the repository root relative to this package directory, which
// is the working directory of `go test`.
const repoRoot = "../.."

var (
	// expectedServices is the whole stack (DESIGN.md, "Running it").
	expectedServices = []string{
		"postgresql",
		"temporal",
		"temporal-setup",
		"temporal-ui",
		"minio",
		"minio-setup",
		"pressroom-worker",
		"pressroom-server",
	}
	pressroomServices = []string{"pressroom-worker", "pressroom-server"}

	// pressroomSearchAttributes are the custom search attributes the
	// workflows set; each must be registered as Keyword.
	pressroomSearchAttributes = devstack.SearchAttributes
)

const (
	temporalService = "temporal"
	temporalPort    = 7233
	minioService    = "minio"
	minioPort       = 9000
)

// loadProject loads docker-compose.yml with compose-go, interpolating only
// from env (never from the process environment or a .env file), so the
// result is deterministic.
func loadProject(t *testing.T, env map[string]string) *types.Project {
	t.Helper()
	vars := make([]string, 0, len(env))
	for k, v := range env {
		vars = append(vars, k+"="+v)
	}
	sort.Strings(vars)

	opts, err := cli.NewProjectOptions(
		[]string{filepath.Join(repoRoot, "docker-compose.yml")},
		cli.WithWorkingDirectory(repoRoot),
		cli.WithEnv(vars),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		t.Fatalf("compose options: %v", err)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("docker-compose.yml does not load with compose-go: %v", err)
	}
	return project
}

// requiredSecrets have no defaults: `docker compose` refuses to start
// without them (${VAR:?message}).
var requiredSecrets = []string{"POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD", "GRAFANA_ADMIN_PASSWORD"}

// secretsOnly is the least environment the stack comes up with.
var secretsOnly = map[string]string{"POSTGRES_PASSWORD": "pg-test-secret", "MINIO_ROOT_PASSWORD": "minio-test-secret", "GRAFANA_ADMIN_PASSWORD": "grafana-test-secret"}

// defaultProject loads the file with only the required secrets set: the
// rest of the stack must come up on its defaults.
func defaultProject(t *testing.T) *types.Project {
	t.Helper()
	return loadProject(t, secretsOnly)
}

func service(t *testing.T, p *types.Project, name string) types.ServiceConfig {
	t.Helper()
	s, ok := p.Services[name]
	if !ok {
		t.Fatalf("service %q is missing from docker-compose.yml (services: %s)", name, strings.Join(serviceNames(p), ", "))
	}
	return s
}

func serviceNames(p *types.Project) []string {
	names := make([]string, 0, len(p.Services))
	for name := range p.Services {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// envValue returns the value of key in the service's environment.
func envValue(s types.ServiceConfig, key string) (string, bool) {
	v, ok := s.Environment[key]
	if !ok || v == nil {
		return "", false
	}
	return *v, true
}

func mustEnv(t *testing.T, s types.ServiceConfig, key string) string {
	t.Helper()
	v, ok := envValue(s, key)
	if !ok {
		t.Fatalf("service %q: environment variable %s is not set", s.Name, key)
	}
	if v == "" {
		t.Fatalf("service %q: environment variable %s is empty", s.Name, key)
	}
	return v
}

// shellText is everything the container runs: entrypoint and command.
func shellText(s types.ServiceConfig) string {
	return strings.Join(append(slices.Clone([]string(s.Entrypoint)), s.Command...), "\n")
}

// serviceForHost returns the service a container on the project network
// reaches under host: a service name, a hostname, a container name or a
// network alias.
func serviceForHost(p *types.Project, host string) (string, bool) {
	for name, s := range p.Services {
		if name == host || s.Hostname == host || s.ContainerName == host {
			return name, true
		}
		for _, n := range s.Networks {
			if n != nil && slices.Contains(n.Aliases, host) {
				return name, true
			}
		}
	}
	return "", false
}

// listensOn reports whether the service publishes or exposes the container
// port.
func listensOn(s types.ServiceConfig, port uint32) bool {
	for _, p := range s.Ports {
		if p.Target == port {
			return true
		}
	}
	for _, e := range s.Expose {
		if e == strconv.FormatUint(uint64(port), 10) || e == fmt.Sprintf("%d/tcp", port) {
			return true
		}
	}
	return false
}

func TestComposeHasEveryService(t *testing.T) {
	p := defaultProject(t)
	for _, name := range expectedServices {
		if _, ok := p.Services[name]; !ok {
			t.Errorf("service %q is missing from docker-compose.yml (services: %s)", name, strings.Join(serviceNames(p), ", "))
		}
	}
}

func TestComposeImagesArePinned(t *testing.T) {
	p := defaultProject(t)
	for _, name := range serviceNames(p) {
		s := p.Services[name]
		if s.Image == "" {
			if s.Build == nil {
				t.Errorf("service %q has neither an image nor a build section", name)
			}
			continue
		}
		if problem := imageTagProblem(s.Image); problem != "" {
			t.Errorf("service %q: image %q %s", name, s.Image, problem)
		}
	}
}

// imageTagProblem returns why ref is not pinned, or "" if it is: it must name
// a tag (or a digest) and the tag must not be "latest".
func imageTagProblem(ref string) string {
	name, digest, hasDigest := strings.Cut(ref, "@")
	if hasDigest && !strings.HasPrefix(digest, "sha256:") {
		return "has a malformed digest"
	}
	lastSlash := strings.LastIndex(name, "/")
	repo, tag, hasTag := strings.Cut(name[lastSlash+1:], ":")
	switch {
	case repo == "":
		return "has no repository name"
	case hasTag && tag == "":
		return "has an empty tag"
	case hasTag && strings.EqualFold(tag, "latest"):
		return `uses the floating tag "latest"; pin a version`
	case !hasTag && !hasDigest:
		return "has no tag (defaults to latest); pin a version"
	}
	return ""
}

func TestImageTagProblem(t *testing.T) {
	for ref, wantPinned := range map[string]bool{
		"postgres:16":                     true,
		"temporalio/auto-setup:1.29.1":    true,
		"localhost:5000/team/app:v1":      true,
		"minio/minio@sha256:0123abcd":     true,
		"postgres":                        false,
		"postgres:latest":                 false,
		"localhost:5000/team/app":         false,
		"registry.example.com/app:LATEST": false,
	} {
		if got := imageTagProblem(ref) == ""; got != wantPinned {
			t.Errorf("imageTagProblem(%q): pinned=%v, want %v", ref, got, wantPinned)
		}
	}
}

func requireDependency(t *testing.T, p *types.Project, from, to, condition string) {
	t.Helper()
	s := service(t, p, from)
	dep, ok := s.DependsOn[to]
	if !ok {
		t.Errorf("service %q does not depend on %q (want depends_on.%s.condition: %s)", from, to, to, condition)
		return
	}
	if dep.Condition != condition {
		t.Errorf("service %q depends on %q with condition %q, want %q", from, to, dep.Condition, condition)
	}
	if !dep.Required {
		t.Errorf("service %q: dependency on %q is marked required: false; the service cannot work without it", from, to)
	}
}

func TestComposeStartOrder(t *testing.T) {
	p := defaultProject(t)
	requireDependency(t, p, "temporal", "postgresql", types.ServiceConditionHealthy)
	requireDependency(t, p, "temporal-setup", "temporal", types.ServiceConditionHealthy)
	requireDependency(t, p, "temporal-ui", "temporal", types.ServiceConditionHealthy)
	requireDependency(t, p, "minio-setup", "minio", types.ServiceConditionHealthy)
	for _, name := range pressroomServices {
		requireDependency(t, p, name, "temporal", types.ServiceConditionHealthy)
		requireDependency(t, p, name, "temporal-setup", types.ServiceConditionCompletedSuccessfully)
		requireDependency(t, p, name, "minio-setup", types.ServiceConditionCompletedSuccessfully)
	}
}

// TestComposeConditionsAreSatisfiable checks every depends_on edge in the
// file, not only the ones above: a service_healthy target needs a
// healthcheck, a service_completed_successfully target must be a one-shot.
func TestComposeConditionsAreSatisfiable(t *testing.T) {
	p := defaultProject(t)
	for _, name := range serviceNames(p) {
		for depName, dep := range p.Services[name].DependsOn {
			target, ok := p.Services[depName]
			if !ok {
				t.Errorf("service %q depends on %q, which is not a service", name, depName)
				continue
			}
			switch dep.Condition {
			case types.ServiceConditionHealthy:
				if !hasHealthcheck(target) {
					t.Errorf("service %q waits for %q to be healthy, but %q has no healthcheck", name, depName, depName)
				}
			case types.ServiceConditionCompletedSuccessfully:
				switch target.Restart {
				case "", types.RestartPolicyNo, types.RestartPolicyOnFailure:
				default:
					t.Errorf("service %q waits for %q to complete, but %q has restart: %s and is not a one-shot", name, depName, depName, target.Restart)
				}
			}
		}
	}
}

func hasHealthcheck(s types.ServiceConfig) bool {
	hc := s.HealthCheck
	return hc != nil && !hc.Disable && len(hc.Test) > 0 && hc.Test[0] != "NONE"
}

func TestComposeHealthchecks(t *testing.T) {
	p := defaultProject(t)
	for name, want := range map[string]string{
		"postgresql": "pg_isready",
		"temporal":   "cluster health",
		"minio":      "ready",
	} {
		s := service(t, p, name)
		if !hasHealthcheck(s) {
			t.Errorf("service %q has no healthcheck", name)
			continue
		}
		if test := strings.Join(s.HealthCheck.Test, " "); !strings.Contains(test, want) {
			t.Errorf("service %q: healthcheck %q does not run %q", name, test, want)
		}
	}
	temporal := service(t, p, temporalService)
	if hasHealthcheck(temporal) {
		test := strings.Join(temporal.HealthCheck.Test, " ")
		want := fmt.Sprintf("--address %s:%d", temporalService, temporalPort)
		if !strings.Contains(test, want) {
			t.Errorf("service %q: healthcheck %q does not probe %s", temporalService, test, want)
		}
	}
}

// checkTemporalAddress verifies that the service reaches the Temporal
// frontend through TEMPORAL_ADDRESS.
func checkTemporalAddress(t *testing.T, p *types.Project, name string) {
	t.Helper()
	s := service(t, p, name)
	addr := mustEnv(t, s, "TEMPORAL_ADDRESS")
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Errorf("service %q: TEMPORAL_ADDRESS=%q is not host:port: %v", name, addr, err)
		return
	}
	target, ok := serviceForHost(p, host)
	if !ok {
		t.Errorf("service %q: TEMPORAL_ADDRESS=%q names host %q, which is no service in docker-compose.yml", name, addr, host)
		return
	}
	if target != temporalService {
		t.Errorf("service %q: TEMPORAL_ADDRESS=%q points at service %q, want %q", name, addr, target, temporalService)
	}
	if port != strconv.Itoa(temporalPort) {
		t.Errorf("service %q: TEMPORAL_ADDRESS=%q uses port %s, want the frontend port %d", name, addr, port, temporalPort)
	}
	if !listensOn(p.Services[target], temporalPort) {
		t.Errorf("service %q: TEMPORAL_ADDRESS=%q, but service %q neither publishes nor exposes port %d", name, addr, target, temporalPort)
	}
}

func TestComposeTemporalAddress(t *testing.T) {
	p := defaultProject(t)
	for _, name := range append(slices.Clone(pressroomServices), "temporal-ui", "temporal-setup") {
		checkTemporalAddress(t, p, name)
	}
}

func TestComposeS3Endpoint(t *testing.T) {
	p := defaultProject(t)
	minio := service(t, p, minioService)
	if !minioListensOn(minio, minioPort) {
		t.Errorf("service %q: command %q does not serve the S3 API on port %d", minioService, strings.Join(minio.Command, " "), minioPort)
	}
	for _, name := range pressroomServices {
		s := service(t, p, name)
		raw := mustEnv(t, s, "AWS_ENDPOINT_URL_S3")
		u, err := url.Parse(raw)
		if err != nil {
			t.Errorf("service %q: AWS_ENDPOINT_URL_S3=%q is not a URL: %v", name, raw, err)
			continue
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			t.Errorf("service %q: AWS_ENDPOINT_URL_S3=%q has scheme %q, want http or https", name, raw, u.Scheme)
		}
		target, ok := serviceForHost(p, u.Hostname())
		switch {
		case !ok:
			t.Errorf("service %q: AWS_ENDPOINT_URL_S3=%q names host %q, which is no service in docker-compose.yml", name, raw, u.Hostname())
		case target != minioService:
			t.Errorf("service %q: AWS_ENDPOINT_URL_S3=%q points at service %q, want %q", name, raw, target, minioService)
		}
		if u.Port() != strconv.Itoa(minioPort) {
			t.Errorf("service %q: AWS_ENDPOINT_URL_S3=%q uses port %q, want MinIO's API port %d", name, raw, u.Port(), minioPort)
		}
		if v, _ := envValue(s, "AWS_REGION"); v == "" {
			t.Errorf("service %q: AWS_REGION is not set; the AWS SDK refuses to sign requests without a region", name)
		}
	}
}

// minioListensOn reports whether `minio server` serves the S3 API on port:
// its default is :9000 unless --address says otherwise.
func minioListensOn(s types.ServiceConfig, port int) bool {
	cmd := []string(s.Command)
	if !slices.Contains(cmd, "server") {
		return false
	}
	addr := ":9000"
	for i, arg := range cmd {
		if arg == "--address" && i+1 < len(cmd) {
			addr = cmd[i+1]
		} else if v, ok := strings.CutPrefix(arg, "--address="); ok {
			addr = v
		}
	}
	_, p, err := net.SplitHostPort(addr)
	return err == nil && p == strconv.Itoa(port)
}

func TestComposePressroomServices(t *testing.T) {
	p := defaultProject(t)
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	wantCommand := map[string][]string{
		"pressroom-worker": {"worker"},
		"pressroom-server": {"serve"},
	}
	for _, name := range pressroomServices {
		s := service(t, p, name)
		if s.Build == nil {
			t.Errorf("service %q has no build section; want build: .", name)
		} else {
			if filepath.Clean(s.Build.Context) != root {
				t.Errorf("service %q: build context %q, want the repository root %q", name, s.Build.Context, root)
			}
			dockerfile := s.Build.Dockerfile
			if dockerfile == "" {
				dockerfile = "Dockerfile"
			}
			if !filepath.IsAbs(dockerfile) {
				dockerfile = filepath.Join(s.Build.Context, dockerfile)
			}
			if _, err := os.Stat(dockerfile); err != nil {
				t.Errorf("service %q: Dockerfile %s: %v", name, dockerfile, err)
			}
		}
		if !slices.Equal(s.Command, wantCommand[name]) {
			t.Errorf("service %q: command %q, want %q", name, s.Command, wantCommand[name])
		}
		for _, key := range []string{"TEMPORAL_NAMESPACE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "PRESSROOM_BUCKET"} {
			if v, _ := envValue(s, key); v == "" {
				t.Errorf("service %q: environment variable %s is not set", name, key)
			}
		}
	}
	server := service(t, p, "pressroom-server")
	published := false
	for _, port := range server.Ports {
		if port.Target == 8088 && port.Published == "8088" {
			published = true
		}
	}
	if !published {
		t.Errorf(`service "pressroom-server" does not publish 8088:8088 (ports: %+v)`, server.Ports)
	}
}

// Only the reader site and the API are reachable from the host: Temporal's
// frontend (no TLS, no authorization in this file) would let anyone send
// review Updates under any name, MinIO holds every draft.
func TestComposePublishesOnlyTheServer(t *testing.T) {
	p := defaultProject(t)
	for _, name := range serviceNames(p) {
		s := p.Services[name]
		if name == "pressroom-server" {
			if len(s.Ports) != 1 || s.Ports[0].Target != 8088 {
				t.Errorf(`service "pressroom-server" publishes %+v; want port 8088 only`, s.Ports)
			} else if ip := s.Ports[0].HostIP; ip != "127.0.0.1" {
				t.Errorf(`service "pressroom-server" publishes on %q by default; want 127.0.0.1, for a TLS proxy in front`, ip)
			}
			continue
		}
		if len(s.Ports) > 0 {
			t.Errorf("service %q publishes %+v on the host; only pressroom-server may", name, s.Ports)
		}
	}
	// PRESSROOM_LISTEN opens it wider, on purpose.
	env := maps.Clone(secretsOnly)
	env["PRESSROOM_LISTEN"] = "0.0.0.0"
	if got := service(t, loadProject(t, env), "pressroom-server").Ports[0].HostIP; got != "0.0.0.0" {
		t.Errorf("PRESSROOM_LISTEN=0.0.0.0 gives host IP %q", got)
	}
}

// Temporal, its UI, PostgreSQL, MinIO and the setup jobs are only on
// internal networks; the server and the worker reach them there and the
// outside world through networks of their own.
func TestComposeBackendIsInternal(t *testing.T) {
	p := defaultProject(t)
	internal := func(n string) bool { c, ok := p.Networks[n]; return ok && c.Internal }
	backendOnly := []string{"postgresql", temporalService, "temporal-setup", "temporal-ui", minioService, "minio-setup"}
	for _, name := range backendOnly {
		s := service(t, p, name)
		if len(s.Networks) == 0 {
			t.Errorf("service %q is on the default network, which is not internal; put it on an internal network", name)
		}
		for n := range s.Networks {
			if !internal(n) {
				t.Errorf("service %q is on network %q, which is not internal", name, n)
			}
		}
	}
	for _, name := range pressroomServices {
		s := service(t, p, name)
		in, out := false, false
		for n := range s.Networks {
			if internal(n) {
				in = true
			} else {
				out = true
			}
		}
		if !in || !out {
			t.Errorf("service %q networks %v: want an internal one (to reach Temporal and MinIO) and one that is not", name, slices.Sorted(maps.Keys(s.Networks)))
		}
	}
	// Every service a Pressroom service or a setup job talks to shares an
	// internal network with it.
	for _, pair := range [][2]string{{"pressroom-server", temporalService}, {"pressroom-server", minioService}, {"pressroom-worker", temporalService}, {"pressroom-worker", minioService}, {temporalService, "postgresql"}, {"temporal-ui", temporalService}, {"temporal-setup", temporalService}, {"minio-setup", minioService}} {
		a, b := service(t, p, pair[0]), service(t, p, pair[1])
		shared := false
		for n := range a.Networks {
			if _, ok := b.Networks[n]; ok && internal(n) {
				shared = true
			}
		}
		if !shared {
			t.Errorf("services %q and %q share no internal network", pair[0], pair[1])
		}
	}
}

// The secrets have no defaults: without them compose stops and names the
// variable.
func TestComposeSecretsAreRequired(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range requiredSecrets {
		if regexp.MustCompile(`\$\{` + secret + `:?-`).Match(raw) {
			t.Errorf("docker-compose.yml gives %s a default; write ${%s:?message}", secret, secret)
		}
		env := maps.Clone(secretsOnly)
		delete(env, secret)
		opts, err := cli.NewProjectOptions([]string{filepath.Join(repoRoot, "docker-compose.yml")},
			cli.WithWorkingDirectory(repoRoot), cli.WithEnv(envList(env)), cli.WithResolvedPaths(true))
		if err != nil {
			t.Fatal(err)
		}
		_, err = opts.LoadProject(context.Background())
		if err == nil || !strings.Contains(err.Error(), secret) {
			t.Errorf("without %s: %v; want an error naming it", secret, err)
		}
	}
	// Every variable that names a password, secret or key is required, or
	// optional and empty by default (the webhook's, for a stack without
	// one): never a default value someone could guess.
	names := regexp.MustCompile(`\$\{([A-Z0-9_]*(?:PASSWORD|SECRET|PWD|KEY)[A-Z0-9_]*)(:?[-?])(.)`)
	for _, m := range names.FindAllStringSubmatch(string(raw), -1) {
		if !strings.HasSuffix(m[2], "?") && m[3] != "}" {
			t.Errorf("${%s%s...}: a secret must be required, not defaulted", m[1], m[2])
		}
	}
}

func envList(env map[string]string) []string {
	vars := make([]string, 0, len(env))
	for k, v := range env {
		vars = append(vars, k+"="+v)
	}
	sort.Strings(vars)
	return vars
}

// TestComposeSharedEnvironment checks that the x-pressroom-env extension is
// what both Pressroom services get, so worker and server never disagree.
func TestComposeSharedEnvironment(t *testing.T) {
	p := defaultProject(t)
	raw, ok := p.Extensions["x-pressroom-env"]
	if !ok {
		t.Fatalf("docker-compose.yml has no x-pressroom-env extension holding the shared Pressroom environment")
	}
	shared, ok := raw.(map[string]any)
	if !ok || len(shared) == 0 {
		t.Fatalf("x-pressroom-env is %T, want a non-empty mapping", raw)
	}
	for key, want := range shared {
		for _, name := range pressroomServices {
			got, ok := envValue(service(t, p, name), key)
			if !ok {
				t.Errorf("service %q: %s from x-pressroom-env is not set", name, key)
			} else if got != fmt.Sprint(want) {
				t.Errorf("service %q: %s=%q, but x-pressroom-env says %q", name, key, got, want)
			}
		}
	}
}

var (
	mcAliasSet = regexp.MustCompile(`mc alias set (\S+) (\S+)`)
	mcMakeBuck = regexp.MustCompile(`mc mb(?: --\S+)* "?([A-Za-z0-9_-]+)/([^"\s/]+)"?`)
)

// createdBucket returns the bucket minio-setup creates and the endpoint of
// the mc alias it creates it through.
func createdBucket(t *testing.T, p *types.Project) (bucket, endpoint string) {
	t.Helper()
	setup := service(t, p, "minio-setup")
	script := shellText(setup)
	mb := mcMakeBuck.FindStringSubmatch(script)
	if mb == nil {
		t.Fatalf(`service "minio-setup": command does not create a bucket with "mc mb <alias>/<bucket>":%s`, "\n"+script)
	}
	for _, m := range mcAliasSet.FindAllStringSubmatch(script, -1) {
		if m[1] == mb[1] {
			endpoint = m[2]
		}
	}
	if endpoint == "" {
		t.Fatalf(`service "minio-setup": "mc mb" uses alias %q, but the command never runs "mc alias set %s <url> ..."`, mb[1], mb[1])
	}
	return mb[2], endpoint
}

func TestComposeBucket(t *testing.T) {
	p := defaultProject(t)
	bucket, endpoint := createdBucket(t, p)
	if bucket != "pressroom" {
		t.Errorf(`service "minio-setup" creates bucket %q; the default bucket is "pressroom" (DESIGN.md, object layout)`, bucket)
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		t.Fatalf(`service "minio-setup": mc alias endpoint %q: %v`, endpoint, err)
	}
	if target, _ := serviceForHost(p, u.Hostname()); target != minioService || u.Port() != strconv.Itoa(minioPort) {
		t.Errorf(`service "minio-setup": creates the bucket through %q, want service %q on port %d`, endpoint, minioService, minioPort)
	}
	for _, name := range pressroomServices {
		if got := mustEnv(t, service(t, p, name), "PRESSROOM_BUCKET"); got != bucket {
			t.Errorf("service %q: PRESSROOM_BUCKET=%q, but minio-setup creates bucket %q", name, got, bucket)
		}
	}
}

// checkCredentials verifies that the Pressroom services and minio-setup use
// MinIO's root credentials, and that they equal user/password.
func checkCredentials(t *testing.T, p *types.Project, user, password string) {
	t.Helper()
	minio := service(t, p, minioService)
	if got := mustEnv(t, minio, "MINIO_ROOT_USER"); got != user {
		t.Errorf("service %q: MINIO_ROOT_USER=%q, want %q", minioService, got, user)
	}
	if got := mustEnv(t, minio, "MINIO_ROOT_PASSWORD"); got != password {
		t.Errorf("service %q: MINIO_ROOT_PASSWORD=%q, want %q", minioService, got, password)
	}
	if len(password) < 8 {
		t.Errorf("service %q: MINIO_ROOT_PASSWORD %q is shorter than the 8 characters MinIO requires", minioService, password)
	}
	for _, name := range pressroomServices {
		s := service(t, p, name)
		if got := mustEnv(t, s, "AWS_ACCESS_KEY_ID"); got != user {
			t.Errorf("service %q: AWS_ACCESS_KEY_ID=%q, but MinIO's root user is %q", name, got, user)
		}
		if got := mustEnv(t, s, "AWS_SECRET_ACCESS_KEY"); got != password {
			t.Errorf("service %q: AWS_SECRET_ACCESS_KEY=%q, but MinIO's root password is %q", name, got, password)
		}
	}
	setup := service(t, p, "minio-setup")
	if got, _ := envValue(setup, "MINIO_ROOT_USER"); got != user {
		t.Errorf(`service "minio-setup": MINIO_ROOT_USER=%q, but MinIO's root user is %q`, got, user)
	}
	if got, _ := envValue(setup, "MINIO_ROOT_PASSWORD"); got != password {
		t.Errorf(`service "minio-setup": MINIO_ROOT_PASSWORD=%q, but MinIO's root password is %q`, got, password)
	}
}

func TestComposeDefaultCredentialsAgree(t *testing.T) {
	// Set in the process environment to prove the loader does not read it:
	// the result depends only on the map given to loadProject.
	t.Setenv("MINIO_ROOT_USER", "from-process-environment")
	t.Setenv("POSTGRES_PASSWORD", "")
	p := defaultProject(t)
	user := mustEnv(t, service(t, p, minioService), "MINIO_ROOT_USER")
	if user == "from-process-environment" {
		t.Fatalf("loading docker-compose.yml read the process environment; the test environment must be fixed")
	}
	checkCredentials(t, p, user, mustEnv(t, service(t, p, minioService), "MINIO_ROOT_PASSWORD"))
}

// TestComposeInterpolation sets custom values and checks that they reach
// every consumer: MinIO and its clients, and Temporal and its database.
func TestComposeInterpolation(t *testing.T) {
	env := map[string]string{
		"MINIO_ROOT_USER":        "editor-ops",
		"MINIO_ROOT_PASSWORD":    "s3cret-from-env",
		"PRESSROOM_BUCKET":       "newsroom-releases",
		"POSTGRES_USER":          "temporal_prod",
		"POSTGRES_PASSWORD":      "pg-secret-from-env",
		"GRAFANA_ADMIN_PASSWORD": "grafana-secret-from-env",
	}
	p := loadProject(t, env)
	checkCredentials(t, p, env["MINIO_ROOT_USER"], env["MINIO_ROOT_PASSWORD"])

	bucket, _ := createdBucket(t, p)
	if bucket != env["PRESSROOM_BUCKET"] {
		t.Errorf(`service "minio-setup" creates bucket %q, want PRESSROOM_BUCKET=%q from the environment`, bucket, env["PRESSROOM_BUCKET"])
	}
	for _, name := range pressroomServices {
		if got := mustEnv(t, service(t, p, name), "PRESSROOM_BUCKET"); got != env["PRESSROOM_BUCKET"] {
			t.Errorf("service %q: PRESSROOM_BUCKET=%q, want %q from the environment", name, got, env["PRESSROOM_BUCKET"])
		}
	}

	pg := service(t, p, "postgresql")
	temporal := service(t, p, temporalService)
	for _, c := range []struct {
		s         types.ServiceConfig
		key, want string
	}{
		{pg, "POSTGRES_USER", env["POSTGRES_USER"]},
		{pg, "POSTGRES_PASSWORD", env["POSTGRES_PASSWORD"]},
		{temporal, "POSTGRES_USER", env["POSTGRES_USER"]},
		{temporal, "POSTGRES_PWD", env["POSTGRES_PASSWORD"]},
	} {
		if got, _ := envValue(c.s, c.key); got != c.want {
			t.Errorf("service %q: %s=%q, want %q from the environment", c.s.Name, c.key, got, c.want)
		}
	}
}

// TestComposeVariablesHaveDefaults keeps `docker compose up` working without
// a .env file: every ${VAR} has a default (or fails loudly with :?).
func TestComposeVariablesHaveDefaults(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(repoRoot, "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	reference := regexp.MustCompile(`\$\{([^}]*)\}`)
	withDefault := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(:?-|:?\?)`)
	bare := regexp.MustCompile(`\$[A-Za-z_][A-Za-z0-9_]*`)
	for i, line := range strings.Split(string(raw), "\n") {
		// $$ is an escaped dollar for the container's shell; drop it first.
		line = strings.ReplaceAll(line, "$$", "")
		for _, m := range reference.FindAllStringSubmatch(line, -1) {
			if !withDefault.MatchString(m[1]) {
				t.Errorf("docker-compose.yml:%d: ${%s} has no default; write ${%s:-value}", i+1, m[1], m[1])
			}
		}
		if m := bare.FindString(line); m != "" {
			t.Errorf("docker-compose.yml:%d: bare %s; write ${%s:-default} for compose or $%s for the container's shell", i+1, m, m[1:], m)
		}
	}
}

var saCreate = regexp.MustCompile(`temporal operator search-attribute create --namespace (\S+) --name (\S+) --type (\S+)`)

func TestComposeSearchAttributes(t *testing.T) {
	p := defaultProject(t)
	setup := service(t, p, "temporal-setup")
	if !strings.HasPrefix(setup.Image, "temporalio/admin-tools:") {
		t.Errorf(`service "temporal-setup": image %q, want temporalio/admin-tools (it has the temporal CLI)`, setup.Image)
	}
	namespace := mustEnv(t, service(t, p, pressroomServices[0]), "TEMPORAL_NAMESPACE")
	script := shellText(setup)
	registered := map[string]string{}
	for _, m := range saCreate.FindAllStringSubmatch(script, -1) {
		if m[1] != namespace {
			t.Errorf(`service "temporal-setup": registers %s in namespace %q, but the Pressroom services use TEMPORAL_NAMESPACE=%q`, m[2], m[1], namespace)
		}
		registered[m[2]] = m[3]
	}
	for _, name := range pressroomSearchAttributes {
		typ, ok := registered[name]
		switch {
		case !ok:
			t.Errorf(`service "temporal-setup": command does not run "temporal operator search-attribute create --namespace %s --name %s --type Keyword"`, namespace, name)
		case typ != "Keyword":
			t.Errorf(`service "temporal-setup": registers %s with type %s, want Keyword`, name, typ)
		}
	}
	if !strings.Contains(script, "already exists") {
		t.Errorf(`service "temporal-setup": command does not tolerate "already exists"; re-running the stack would fail`)
	}
}

func TestComposeDynamicConfig(t *testing.T) {
	p := defaultProject(t)
	temporal := service(t, p, temporalService)
	if db, _ := envValue(temporal, "DB"); db != "postgres12" {
		t.Errorf("service %q: DB=%q, want postgres12", temporalService, db)
	}
	if seeds, _ := envValue(temporal, "POSTGRES_SEEDS"); seeds != "postgresql" {
		t.Errorf("service %q: POSTGRES_SEEDS=%q, want the postgresql service", temporalService, seeds)
	}

	configPath := mustEnv(t, temporal, "DYNAMIC_CONFIG_FILE_PATH")
	if !path.IsAbs(configPath) {
		// The server resolves relative paths against its working directory,
		// /etc/temporal in the temporalio images.
		configPath = path.Join("/etc/temporal", configPath)
	}
	var hostPath string
	for _, v := range temporal.Volumes {
		if v.Type != types.VolumeTypeBind {
			continue
		}
		rel, ok := strings.CutPrefix(configPath, strings.TrimSuffix(v.Target, "/")+"/")
		if ok || configPath == v.Target {
			hostPath = filepath.Join(v.Source, filepath.FromSlash(rel))
		}
	}
	if hostPath == "" {
		t.Fatalf("service %q: DYNAMIC_CONFIG_FILE_PATH=%s is not inside any bind-mounted volume (volumes: %+v)", temporalService, configPath, temporal.Volumes)
	}
	data, err := os.ReadFile(hostPath)
	if err != nil {
		t.Fatalf("service %q: dynamic config %s is mounted from %s, which cannot be read: %v", temporalService, configPath, hostPath, err)
	}
	var settings map[string][]map[string]any
	if err := yaml.Unmarshal(data, &settings); err != nil {
		t.Fatalf("service %q: dynamic config %s is not a map of setting -> [{value, constraints}]: %v", temporalService, hostPath, err)
	}
	if len(settings) == 0 {
		t.Errorf("service %q: dynamic config %s sets nothing", temporalService, hostPath)
	}
	for key, entries := range settings {
		for _, e := range entries {
			if _, ok := e["value"]; !ok {
				t.Errorf("dynamic config %s: %s has an entry without a value", hostPath, key)
			}
		}
	}
	if _, ok := settings["system.forceSearchAttributesCacheRefreshOnRead"]; ok {
		t.Errorf("dynamic config %s: system.forceSearchAttributesCacheRefreshOnRead is a development-only setting", hostPath)
	}
}

// dockerfileStage is one FROM section of a Dockerfile.
type dockerfileStage struct {
	image, name  string
	instructions [][2]string // keyword (upper case), arguments
}

func parseDockerfile(t *testing.T, file string) []dockerfileStage {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var (
		stages  []dockerfileStage
		logical strings.Builder
	)
	flush := func() {
		line := strings.TrimSpace(logical.String())
		logical.Reset()
		if line == "" {
			return
		}
		keyword, args, _ := strings.Cut(line, " ")
		keyword = strings.ToUpper(keyword)
		args = strings.TrimSpace(args)
		if keyword == "FROM" {
			var st dockerfileStage
			fields := strings.Fields(args)
			for i := 0; i < len(fields); i++ {
				switch {
				case strings.HasPrefix(fields[i], "--"):
				case st.image == "":
					st.image = fields[i]
				case strings.EqualFold(fields[i], "AS") && i+1 < len(fields):
					st.name = fields[i+1]
					i++
				}
			}
			stages = append(stages, st)
			return
		}
		if len(stages) == 0 {
			if keyword != "ARG" {
				t.Errorf("%s: %s before the first FROM", file, keyword)
			}
			return
		}
		last := &stages[len(stages)-1]
		last.instructions = append(last.instructions, [2]string{keyword, args})
	}
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "#") {
			continue
		}
		if body, ok := strings.CutSuffix(trimmed, `\`); ok {
			logical.WriteString(body + " ")
			continue
		}
		logical.WriteString(trimmed)
		flush()
	}
	flush()
	return stages
}

// stageSetsEnv reports whether the stage sets assignment (KEY=VALUE) with ENV.
func stageSetsEnv(st dockerfileStage, assignment string) bool {
	for _, in := range st.instructions {
		if in[0] == "ENV" && slices.Contains(strings.Fields(in[1]), assignment) {
			return true
		}
	}
	return false
}

func TestDockerfile(t *testing.T) {
	file := filepath.Join(repoRoot, "Dockerfile")
	stages := parseDockerfile(t, file)
	if len(stages) < 2 {
		t.Fatalf("%s: want a multi-stage build (builder + runtime), found %d stage(s)", file, len(stages))
	}
	for _, st := range stages {
		if problem := imageTagProblem(st.image); problem != "" {
			t.Errorf("%s: FROM %s %s", file, st.image, problem)
		}
	}

	// The builder: golang:1.26, CGO disabled, builds ./cmd/pressroom.
	var builder *dockerfileStage
	var binary string
	buildCmd := regexp.MustCompile(`go build .*-o (\S+) .*\./cmd/pressroom\b`)
	for i := range stages {
		for _, in := range stages[i].instructions {
			if in[0] != "RUN" {
				continue
			}
			if m := buildCmd.FindStringSubmatch(in[1]); m != nil {
				builder, binary = &stages[i], m[1]
				if !strings.Contains(in[1], "CGO_ENABLED=0") && !stageSetsEnv(stages[i], "CGO_ENABLED=0") {
					t.Errorf("%s: the go build of ./cmd/pressroom does not set CGO_ENABLED=0: %s", file, in[1])
				}
			}
		}
	}
	if builder == nil {
		t.Fatalf("%s: no RUN instruction builds ./cmd/pressroom with go build -o <file> ./cmd/pressroom", file)
	}
	if !strings.HasPrefix(builder.image, "golang:1.26") {
		t.Errorf("%s: ./cmd/pressroom is built FROM %s, want golang:1.26 (go.mod says go 1.26)", file, builder.image)
	}
	if _, err := os.Stat(filepath.Join(repoRoot, "cmd", "pressroom")); err != nil {
		t.Errorf("%s builds ./cmd/pressroom, which does not exist: %v", file, err)
	}

	// The runtime: copies the binary, runs it as a non-root user.
	final := stages[len(stages)-1]
	if strings.HasPrefix(final.image, "golang:") {
		t.Errorf("%s: the final stage is %s; ship only the binary", file, final.image)
	}
	var copied, user bool
	var entrypoint []string
	for _, in := range final.instructions {
		switch in[0] {
		case "COPY":
			f := strings.Fields(in[1])
			if len(f) >= 3 && slices.Contains(f, "--from="+builder.name) && slices.Contains(f, binary) && f[len(f)-1] == "/usr/local/bin/pressroom" {
				copied = true
			}
		case "USER":
			u, _, _ := strings.Cut(in[1], ":")
			if u == "root" || u == "0" {
				t.Errorf("%s: the final stage runs as %s; want a non-root user", file, in[1])
			}
			user = true
		case "ENTRYPOINT":
			if err := json.Unmarshal([]byte(in[1]), &entrypoint); err != nil {
				t.Errorf("%s: ENTRYPOINT %s is not exec (JSON) form: %v", file, in[1], err)
			}
		}
	}
	if !copied {
		t.Errorf("%s: the final stage does not COPY --from=%s %s /usr/local/bin/pressroom", file, builder.name, binary)
	}
	if !user {
		t.Errorf("%s: the final stage sets no USER; it would run as root", file)
	}
	if !slices.Equal(entrypoint, []string{"/usr/local/bin/pressroom"}) {
		t.Errorf(`%s: ENTRYPOINT is %q, want ["/usr/local/bin/pressroom"] (compose passes worker/serve as the command)`, file, entrypoint)
	}
}

func TestDockerignore(t *testing.T) {
	file := filepath.Join(repoRoot, ".dockerignore")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	patterns := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		patterns[strings.Trim(line, "/")] = true
	}
	for _, want := range []string{".git", "bin", ".pressroom"} {
		if !patterns[want] {
			t.Errorf("%s does not exclude %s", file, want)
		}
	}
	for _, needed := range []string{"go.mod", "go.sum", "cmd", "*", "**", "*.go", "**/*.go"} {
		if patterns[needed] {
			t.Errorf("%s excludes %s, which the build needs", file, needed)
		}
	}
}

// The server decides at submit time whether a report sends events and the
// worker delivers them: both must see the same webhook settings, from the
// operator's .env.
func TestComposeWebhookReachesBothProcesses(t *testing.T) {
	env := map[string]string{"PRESSROOM_WEBHOOK_URL": "https://hooks.example/pressroom", "PRESSROOM_WEBHOOK_SECRET": "0123456789abcdef0123"}
	for k, v := range secretsOnly {
		env[k] = v
	}
	p := loadProject(t, env)
	for _, name := range pressroomServices {
		s := service(t, p, name)
		if got, _ := envValue(s, "PRESSROOM_WEBHOOK_URL"); got != "https://hooks.example/pressroom" {
			t.Errorf("service %q: PRESSROOM_WEBHOOK_URL=%q, want the value from the environment", name, got)
		}
		if got, _ := envValue(s, "PRESSROOM_WEBHOOK_SECRET"); got != "0123456789abcdef0123" {
			t.Errorf("service %q: PRESSROOM_WEBHOOK_SECRET=%q, want the value from the environment", name, got)
		}
	}
}
