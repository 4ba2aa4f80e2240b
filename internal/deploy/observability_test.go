package deploy

import (
	"encoding/json"
	"maps"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"

	"github.com/pressroom/pressroom/internal/telemetry"
)

// The observability block of docker-compose.yml: Prometheus scraping both
// Pressroom processes where they serve /metrics, Grafana provisioned with
// that Prometheus and a dashboard of metrics Pressroom really exports.

// mountedFile is the host file or folder bind-mounted at target.
func mountedFile(t *testing.T, s types.ServiceConfig, target string) string {
	t.Helper()
	for _, v := range s.Volumes {
		if v.Type == types.VolumeTypeBind && v.Target == target {
			if _, err := os.Stat(v.Source); err != nil {
				t.Fatalf("service %q mounts %s at %s: %v", s.Name, v.Source, target, err)
			}
			return v.Source
		}
	}
	t.Fatalf("service %q mounts nothing from the repository at %s (volumes: %+v)", s.Name, target, s.Volumes)
	return ""
}

// metricsPort is the port a Pressroom service serves /metrics on.
func metricsPort(t *testing.T, s types.ServiceConfig) string {
	t.Helper()
	addr := mustEnv(t, s, "PRESSROOM_METRICS_ADDR")
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("service %q: PRESSROOM_METRICS_ADDR=%q is not [host]:port: %v", s.Name, addr, err)
	}
	return port
}

type promConfig struct {
	ScrapeConfigs []struct {
		JobName      string `yaml:"job_name"`
		MetricsPath  string `yaml:"metrics_path"`
		DNSSDConfigs []struct {
			Names []string `yaml:"names"`
			Port  int      `yaml:"port"`
		} `yaml:"dns_sd_configs"`
		StaticConfigs []struct {
			Targets []string `yaml:"targets"`
		} `yaml:"static_configs"`
	} `yaml:"scrape_configs"`
}

func TestComposePrometheusScrapesPressroom(t *testing.T) {
	p := defaultProject(t)
	prom := service(t, p, "prometheus")
	configPath := ""
	for _, arg := range prom.Command {
		if v, ok := strings.CutPrefix(arg, "--config.file="); ok {
			configPath = v
		}
	}
	if configPath == "" {
		t.Fatalf(`service "prometheus": no --config.file in its command %q`, prom.Command)
	}
	raw, err := os.ReadFile(mountedFile(t, prom, configPath))
	if err != nil {
		t.Fatal(err)
	}
	var cfg promConfig
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf("prometheus config: %v", err)
	}
	scraped := map[string]bool{}
	for _, job := range cfg.ScrapeConfigs {
		if job.MetricsPath != "" && job.MetricsPath != "/metrics" {
			t.Errorf("job %s scrapes %s; Pressroom serves /metrics", job.JobName, job.MetricsPath)
		}
		var targets []string
		for _, sd := range job.DNSSDConfigs {
			for _, n := range sd.Names {
				targets = append(targets, net.JoinHostPort(n, strconv.Itoa(sd.Port)))
			}
		}
		for _, sc := range job.StaticConfigs {
			targets = append(targets, sc.Targets...)
		}
		for _, target := range targets {
			host, port, err := net.SplitHostPort(target)
			if err != nil {
				t.Errorf("job %s: target %q: %v", job.JobName, target, err)
				continue
			}
			name, ok := serviceForHost(p, host)
			if !ok {
				if host != "localhost" {
					t.Errorf("job %s: target %q names no service", job.JobName, target)
				}
				continue
			}
			if slices.Contains(pressroomServices, name) {
				if want := metricsPort(t, p.Services[name]); port != want {
					t.Errorf("job %s: scrapes %s on port %s, but it serves /metrics on %s (PRESSROOM_METRICS_ADDR)", job.JobName, name, port, want)
				}
				scraped[name] = true
			}
		}
	}
	for _, name := range pressroomServices {
		if !scraped[name] {
			t.Errorf("Prometheus does not scrape %s", name)
		}
		requireSharedNetwork(t, p, "prometheus", name)
	}
}

// requireSharedNetwork: a can reach b only on a network both are on.
func requireSharedNetwork(t *testing.T, p *types.Project, a, b string) {
	t.Helper()
	for n := range service(t, p, a).Networks {
		if _, ok := service(t, p, b).Networks[n]; ok {
			return
		}
	}
	t.Errorf("services %q and %q share no network (%v, %v)", a, b, slices.Sorted(maps.Keys(p.Services[a].Networks)), slices.Sorted(maps.Keys(p.Services[b].Networks)))
}

func TestComposeGrafanaDashboard(t *testing.T) {
	p := defaultProject(t)
	grafana := service(t, p, "grafana")
	requireDependency(t, p, "grafana", "prometheus", types.ServiceConditionHealthy)
	provisioning := mountedFile(t, grafana, "/etc/grafana/provisioning")

	// The datasource is the compose Prometheus, under the uid the panels use.
	var ds struct {
		Datasources []struct {
			UID, Type, URL string
		} `yaml:"datasources"`
	}
	readYAML(t, filepath.Join(provisioning, "datasources", "prometheus.yml"), &ds)
	if len(ds.Datasources) != 1 || ds.Datasources[0].Type != "prometheus" {
		t.Fatalf("want one prometheus datasource, got %+v", ds.Datasources)
	}
	u, err := url.Parse(ds.Datasources[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	if name, ok := serviceForHost(p, u.Hostname()); !ok || name != "prometheus" || !listensOn(p.Services[name], mustPort(t, u.Port())) {
		t.Errorf("datasource URL %s does not reach the prometheus service", u)
	}
	uid := ds.Datasources[0].UID
	requireSharedNetwork(t, p, "grafana", "prometheus")

	// The dashboard provider reads the folder mounted with the dashboards.
	var prov struct {
		Providers []struct {
			Options struct{ Path string } `yaml:"options"`
		} `yaml:"providers"`
	}
	readYAML(t, filepath.Join(provisioning, "dashboards", "pressroom.yml"), &prov)
	if len(prov.Providers) != 1 {
		t.Fatalf("want one dashboard provider, got %d", len(prov.Providers))
	}
	dashboards := mountedFile(t, grafana, prov.Providers[0].Options.Path)
	raw, err := os.ReadFile(filepath.Join(dashboards, "pressroom.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		UID    string `json:"uid"`
		Panels []struct {
			Type, Title string
			Datasource  struct{ UID string }    `json:"datasource"`
			Targets     []struct{ Expr string } `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("pressroom.json: %v", err)
	}

	m, err := telemetry.NewMetrics()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, n := range m.Names() {
		for _, suffix := range []string{"", "_bucket", "_count", "_sum"} {
			known[n+suffix] = true
		}
	}
	metric := regexp.MustCompile(`\b(?:pressroom|temporal)_[a-z0-9_]+`)
	used := map[string]bool{}
	for _, panel := range dash.Panels {
		if panel.Type == "row" {
			continue
		}
		if panel.Datasource.UID != uid {
			t.Errorf("panel %q uses datasource %q, want the provisioned %q", panel.Title, panel.Datasource.UID, uid)
		}
		if len(panel.Targets) == 0 {
			t.Errorf("panel %q has no query", panel.Title)
		}
		for _, target := range panel.Targets {
			names := metric.FindAllString(target.Expr, -1)
			if len(names) == 0 {
				t.Errorf("panel %q: query %q uses no Pressroom or Temporal metric", panel.Title, target.Expr)
			}
			for _, n := range names {
				if strings.HasPrefix(n, "pressroom_") && !known[n] {
					t.Errorf("panel %q: %s is not a metric Pressroom exports", panel.Title, n)
				}
				used[strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(n, "_bucket"), "_count"), "_sum")] = true
			}
		}
	}
	for _, n := range m.Names() {
		if !used[n] && n != "pressroom_reports_count_errors" {
			t.Errorf("the dashboard shows nothing of %s", n)
		}
	}
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func mustPort(t *testing.T, s string) uint32 {
	t.Helper()
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		t.Fatalf("port %q: %v", s, err)
	}
	return uint32(n)
}
