package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pressroom/pressroom/internal/auth"
	"github.com/pressroom/pressroom/internal/service"
	"github.com/pressroom/pressroom/workflows"
)

// apiClient speaks the HTTP API as one user.
type apiClient struct {
	base  string
	token string
	http  *http.Client
}

func (a apiClient) do(ctx context.Context, method, path, contentType string, body []byte, out any) (int, error) {
	status, _, err := a.send(ctx, method, path, contentType, body, out)
	return status, err
}

// send is do that also returns the response's headers.
func (a apiClient) send(ctx context.Context, method, path, contentType string, body []byte, out any) (int, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return resp.StatusCode, resp.Header, err
	}
	if resp.StatusCode >= 300 {
		return resp.StatusCode, resp.Header, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, strings.TrimSpace(string(b)))
	}
	if out != nil {
		return resp.StatusCode, resp.Header, json.Unmarshal(b, out)
	}
	return resp.StatusCode, resp.Header, nil
}

// Report returns the Markdown of bench report i: distinct per report (so
// the translation memory sees new and similar text, as in real use).
func Report(tag string, i, paragraphs int) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: Benchmark report %d of %s\ndate: 2026-06-01\nsource: en\nsummary: A generated report for measuring throughput.\n---\n\n", i, tag)
	for p := range paragraphs {
		fmt.Fprintf(&b, "Paragraph %d of report %d: the working group met on day %d and agreed on %d measures, which the secretariat will publish with the figures for every region.\n\n", p+1, i, p%28+1, (i+p)%50+2)
	}
	return []byte(b.String())
}

// pressroomSide makes the run's users and serves the API and the reader
// site for them.
func (r *Runner) pressroomSide(cfg Config) (*side, error) {
	targets := Locales[:cfg.Targets]
	users := &auth.Users{}
	editor := cfg.Tag + "-editor"
	tokens := map[string]string{}
	tok, err := users.Add(editor, auth.RoleEditor, nil)
	if err != nil {
		return nil, err
	}
	tokens[editor] = tok
	for _, l := range targets {
		name := cfg.Tag + "-" + strings.ToLower(l)
		tok, err := users.Add(name, auth.RoleTranslator, []string{l})
		if err != nil {
			return nil, err
		}
		tokens[l] = tok
	}
	base, stop, err := serve(r.Svc, users)
	if err != nil {
		return nil, err
	}
	httpc := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 2 * cfg.Concurrency * (cfg.Targets + 1)}}
	ed := apiClient{base: base, token: tokens[editor], http: httpc}
	r.progressf("pressroom: %d reports × %d targets (%s), %d paragraphs, concurrency %d, queue %s; API and reader site at %s",
		cfg.Reports, cfg.Targets, strings.Join(targets, ","), cfg.Paragraphs, cfg.Concurrency, r.Svc.TaskQueue, base)
	slug := func(i int) string { return fmt.Sprintf("%s-%04d", cfg.Tag, i) }
	return &side{
		name: "pressroom",
		one: func(ctx context.Context, i int) sample {
			return r.onePressroom(ctx, cfg, ed, httpc, base, tokens, slug(i), i)
		},
		finish: func(ctx context.Context, samples []sample) (Histories, error) {
			var ids [][]string
			for i, s := range samples {
				if s.err == nil {
					tree := []string{workflows.ReportID(slug(i))}
					for _, l := range targets {
						tree = append(tree, workflows.LocaleID(slug(i), l))
					}
					ids = append(ids, tree)
				}
			}
			return countHistories(ctx, r.Svc.Temporal, ids)
		},
		stop: stop,
	}, nil
}

func (r *Runner) onePressroom(ctx context.Context, cfg Config, ed apiClient, httpc *http.Client, base string, tokens map[string]string, slug string, i int) sample {
	targets := Locales[:cfg.Targets]
	q := url.Values{"slug": {slug}, "to": {strings.Join(targets, ",")}}
	for _, l := range targets {
		q.Add("reviewer", l+":"+cfg.Tag+"-"+strings.ToLower(l))
	}
	start := time.Now()
	if _, err := ed.do(ctx, "POST", "/api/reports?"+q.Encode(), "text/markdown", Report(cfg.Tag, i, cfg.Paragraphs), nil); err != nil {
		return sample{err: fmt.Errorf("submit %s: %w", slug, err)}
	}
	// Every task in the task list (Temporal's visibility store).
	for {
		var tasks []service.Task
		if _, err := ed.do(ctx, "GET", "/api/tasks?slug="+url.QueryEscape(slug), "", nil, &tasks); err != nil {
			return sample{err: err}
		}
		if len(tasks) == len(targets) {
			break
		}
		if err := sleep(ctx, cfg.Poll); err != nil {
			return sample{err: fmt.Errorf("%s: %d of %d tasks in review when the time ran out (is a worker serving task queue %s?)", slug, len(tasks), len(targets), r.Svc.TaskQueue)}
		}
	}
	toReview := time.Since(start)
	if cfg.Park {
		return sample{toReview: toReview}
	}
	// Each translator approves, at the same time.
	var wg sync.WaitGroup
	errs := make([]error, len(targets))
	for j, l := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tr := apiClient{base: base, token: tokens[l], http: httpc}
			_, errs[j] = tr.do(ctx, "POST", "/api/tasks/"+slug+"/"+l+"/approve", "", nil, nil)
		}()
	}
	wg.Wait()
	approved := time.Now()
	for _, err := range errs {
		if err != nil {
			return sample{err: err}
		}
	}
	// Every reader page served.
	reader := apiClient{base: base, http: httpc}
	for _, l := range targets {
		for {
			code, err := reader.do(ctx, "GET", "/"+l+"/"+slug+"/", "", nil, nil)
			if err == nil && code == http.StatusOK {
				break
			}
			if err := sleep(ctx, cfg.Poll); err != nil {
				return sample{err: fmt.Errorf("%s: the %s page was not served in time", slug, l)}
			}
		}
	}
	return sample{toReview: toReview, toServed: time.Since(approved)}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
