package devstack

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"time"
)

// ApertiumModes is where Debian's apertium language pairs install their modes.
const ApertiumModes = "/usr/share/apertium/modes"

// APy is a running apertium-apy.
type APy struct {
	URL  string
	stop func() error
}

// Stop ends apertium-apy.
func (a *APy) Stop() error { return a.stop() }

// StartAPy runs `apertium-apy -p PORT /usr/share/apertium/modes` and waits
// until it lists its pairs. The packages come from Debian
// (apertium-apy apertium-eng-spa apertium-eng-cat; `make apertium`).
func StartAPy(ctx context.Context, host string, port int, log io.Writer) (*APy, error) {
	bin, err := exec.LookPath("apertium-apy")
	if err != nil {
		return nil, fmt.Errorf("apertium-apy not found: install it with `make apertium` (Debian packages apertium-apy apertium-eng-spa apertium-eng-cat)")
	}
	if _, err := os.Stat(ApertiumModes); err != nil {
		return nil, fmt.Errorf("no Apertium language pairs in %s: %w", ApertiumModes, err)
	}
	if log == nil {
		log = io.Discard
	}
	s := &Stack{}
	if err := s.spawn("apertium-apy", bin, []string{"-p", strconv.Itoa(port), ApertiumModes}, log); err != nil {
		return nil, err
	}
	url := "http://" + net.JoinHostPort(host, strconv.Itoa(port))
	ctx, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	p := s.procs[0]
	err = retry(ctx, func() error {
		select {
		case <-p.done:
			return fmt.Errorf("apertium-apy exited during start-up: %v", p.err)
		default:
			return nil
		}
	}, func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/listPairs", nil)
		if err != nil {
			return err
		}
		resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		return nil
	})
	if err != nil {
		s.Stop()
		return nil, fmt.Errorf("apertium-apy at %s: %w", url, err)
	}
	return &APy{URL: url, stop: s.Stop}, nil
}
