package integration

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pressroom/pressroom/workflows"
)

// The Temporal dev server (CLI v1.5.1) has no TLS flags, so the test puts
// a TLS-terminating proxy with its own CA in front of it and requires a
// client certificate (mTLS): `pressroom worker` and the CLI reach Temporal
// only through TEMPORAL_TLS_* variables, and a report is published.
func TestWorkerConnectsWithMutualTLS(t *testing.T) {
	pki := newTestPKI(t)
	proxy := startTLSProxy(t, pki.serverConfig(), env.cfg.TemporalAddress)
	queue := "pressroom-tls"
	tlsEnv := withEnv(cliEnv(queue),
		"TEMPORAL_ADDRESS="+proxy.addr,
		"TEMPORAL_TLS_SERVER_CA_CERT_PATH="+pki.caPath,
		"TEMPORAL_TLS_CLIENT_CERT_PATH="+pki.clientCertPath,
		"TEMPORAL_TLS_CLIENT_KEY_PATH="+pki.clientKeyPath,
		"TEMPORAL_CONFIG_FILE="+filepath.Join(t.TempDir(), "none.toml"),
	)
	dir := t.TempDir()

	// Refused without a client certificate, and with no CA to trust the server.
	for name, environ := range map[string][]string{
		"no client certificate": withEnv(tlsEnv, "TEMPORAL_TLS_CLIENT_CERT_PATH=", "TEMPORAL_TLS_CLIENT_KEY_PATH="),
		"server not trusted":    withEnv(tlsEnv, "TEMPORAL_TLS_SERVER_CA_CERT_PATH="),
		"plaintext to TLS":      withEnv(cliEnv(queue), "TEMPORAL_ADDRESS="+proxy.addr),
	} {
		w := startProcess(t, environ, "worker")
		err, exited := w.waitExit(90 * time.Second)
		if !exited {
			t.Fatalf("%s: worker kept running against the TLS proxy", name)
		}
		if err == nil || !strings.Contains(w.logs.String(), "cannot reach Temporal at "+proxy.addr) {
			t.Fatalf("%s: want a failed start naming the address; err %v, log:\n%s", name, err, w.logs)
		}
	}
	refused := proxy.handshakes.Load()

	w := startProcess(t, tlsEnv, "worker")
	src := writeTemp(t, "tls-notice.md", strings.Replace(notice, "slug: summer-hours", "slug: tls-notice", 1))
	mustRunPressroom(t, dir, tlsEnv, "submit", src, "--to", "fr", "--reviewer", "fr=claire")
	waitLocaleStage(t, dir, tlsEnv, "tls-notice", "fr", workflows.StageInReview)
	mustRunPressroom(t, dir, tlsEnv, "review", "tls-notice", "fr", "--as", "claire", "--approve")
	eventually(t, 2*time.Minute, "published through TLS", func() error {
		out := mustRunPressroom(t, dir, tlsEnv, "status", "tls-notice")
		if !strings.Contains(out, "stage: published") {
			return fmt.Errorf("status: %s", out)
		}
		return nil
	})
	if err := w.stop(); err != nil {
		t.Fatalf("worker stop: %v\n%s", err, w.logs)
	}
	if !strings.Contains(w.logs.String(), "TLS, client certificate") || !strings.Contains(w.logs.String(), "worker started") {
		t.Fatalf("worker log should say it connected with TLS and a client certificate:\n%s", w.logs)
	}
	if got := proxy.handshakes.Load(); got <= refused {
		t.Fatalf("no TLS handshake completed through the proxy (%d before, %d after)", refused, got)
	}
	if proxy.failed.Load() < 3 {
		t.Fatalf("the three misconfigured clients should each have failed a handshake; failed %d", proxy.failed.Load())
	}
}

// testPKI is a CA, a server certificate for 127.0.0.1 and a client
// certificate, written as PEM files.
type testPKI struct {
	caPool                                *x509.CertPool
	server                                tls.Certificate
	caPath, clientCertPath, clientKeyPath string
}

func newTestPKI(t *testing.T) *testPKI {
	t.Helper()
	dir := t.TempDir()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Pressroom test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	issue := func(serial int64, cn string, usage x509.ExtKeyUsage, ips []net.IP) (certPEM, keyPEM []byte) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage}, IPAddresses: ips,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kb, _ := x509.MarshalECPrivateKey(key)
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
	}
	p := &testPKI{caPool: x509.NewCertPool()}
	p.caPool.AddCert(caCert)
	serverCert, serverKey := issue(2, "temporal", x509.ExtKeyUsageServerAuth, []net.IP{net.ParseIP("127.0.0.1")})
	if p.server, err = tls.X509KeyPair(serverCert, serverKey); err != nil {
		t.Fatal(err)
	}
	clientCert, clientKey := issue(3, "pressroom-worker", x509.ExtKeyUsageClientAuth, nil)
	write := func(name string, b []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	p.caPath = write("ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}))
	p.clientCertPath = write("client.pem", clientCert)
	p.clientKeyPath = write("client.key", clientKey)
	return p
}

func (p *testPKI) serverConfig() *tls.Config {
	return &tls.Config{
		Certificates: []tls.Certificate{p.server},
		ClientCAs:    p.caPool,
		ClientAuth:   tls.RequireAndVerifyClientCert,
		NextProtos:   []string{"h2"}, // gRPC insists on ALPN h2
		MinVersion:   tls.VersionTLS12,
	}
}

// tlsProxy terminates TLS and forwards the bytes to a plaintext server.
type tlsProxy struct {
	addr               string
	handshakes, failed atomic.Int64
}

func startTLSProxy(t *testing.T, cfg *tls.Config, upstream string) *tlsProxy {
	t.Helper()
	ln, err := tls.Listen("tcp", "127.0.0.1:0", cfg)
	if err != nil {
		t.Fatal(err)
	}
	p := &tlsProxy{addr: ln.Addr().String()}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	track := func(c net.Conn) { mu.Lock(); conns = append(conns, c); mu.Unlock() }
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			track(c)
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				tc := c.(*tls.Conn)
				_ = tc.SetDeadline(time.Now().Add(10 * time.Second))
				if err := tc.Handshake(); err != nil {
					p.failed.Add(1)
					return
				}
				_ = tc.SetDeadline(time.Time{})
				p.handshakes.Add(1)
				up, err := net.Dial("tcp", upstream)
				if err != nil {
					return
				}
				track(up)
				defer up.Close()
				done := make(chan struct{}, 2)
				go func() { _, _ = io.Copy(up, tc); done <- struct{}{} }()
				go func() { _, _ = io.Copy(tc, up); done <- struct{}{} }()
				<-done
			}()
		}
	}()
	return p
}
