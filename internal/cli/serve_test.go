package cli_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongjian/internal/auth"
	"gongjian/internal/cli"
)

// startServe runs `serve` (or `demo`) in-process on a free port and returns
// its base URL and a function that cancels it and returns the exit status
// and output.
func startServe(t *testing.T, s *site, args ...string) (string, func() result) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	bound := make(chan net.Addr, 1)
	var out, errb syncBuffer
	env := cli.Env{
		Stdio:          cli.Stdio{In: strings.NewReader(""), Out: &out, Err: &errb},
		Getenv:         func(k string) string { return s.env[k] },
		PasswordParams: auth.TestParams,
		Listening:      func(a net.Addr) { bound <- a },
	}
	args = append(args, "--addr", "127.0.0.1:0", "--data-dir", filepath.Join(s.dir, "data"))
	done := make(chan int, 1)
	go func() { done <- cli.RunEnv(ctx, append(args, s.common()...), env) }()
	var addr net.Addr
	select {
	case addr = <-bound:
	case code := <-done:
		cancel()
		t.Fatalf("serve ended with %d before listening\nstdout: %s\nstderr: %s", code, out.String(), errb.String())
	case <-time.After(30 * time.Second):
		cancel()
		t.Fatal("serve did not listen within 30s")
	}
	stop := func() result {
		cancel()
		select {
		case code := <-done:
			return result{code: code, out: out.String(), err: errb.String()}
		case <-time.After(30 * time.Second):
			t.Fatal("serve did not shut down within 30s of the cancel")
			return result{}
		}
	}
	t.Cleanup(func() { cancel() })
	return "http://" + addr.String(), stop
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestServeAnswersAndShutsDown(t *testing.T) {
	eachDB(t, func(t *testing.T, s *site) {
		base, stop := startServe(t, s, "serve")
		for _, path := range []string{"/healthz", "/readyz"} {
			if code, body := get(t, base+path); code != http.StatusOK {
				t.Errorf("%s: %d %s", path, code, body)
			}
		}
		r := stop()
		r.want(t, 0, "gongjian is running at "+base)
		if !strings.Contains(r.err, `"msg":"stopped"`) {
			t.Errorf("no clean stop in the log:\n%s", r.err)
		}
		if _, err := http.Get(base + "/healthz"); err == nil {
			t.Error("the server still answers after shutdown")
		}
	})
}

func TestDemoServes(t *testing.T) {
	s := sqliteSite(t)
	base, stop := startServe(t, s, "demo", "--people", "2000")
	if code, _ := get(t, base+"/readyz"); code != http.StatusOK {
		t.Fatalf("readyz %d", code)
	}
	r := stop()
	r.want(t, 0, "Loaded the Guannan demo scenario", "sysadmin", "running at "+base)
	if strings.Index(r.out, "sysadmin") > strings.Index(r.out, "running at") {
		t.Error("the URL should come after the accounts, as the last line")
	}
}

// writeCert writes a self-signed certificate and key for 127.0.0.1.
func writeCert(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	return certFile, keyFile
}

func TestServeTLS(t *testing.T) {
	s := sqliteSite(t)
	cert, key := writeCert(t, s.dir)
	base, stop := startServe(t, s, "serve", "--tls-cert", cert, "--tls-key", key)
	base = strings.Replace(base, "http://", "https://", 1)
	client := func(max uint16) *http.Client {
		return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true, MaxVersion: max}}}
	}
	resp, err := client(0).Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.TLS == nil || resp.TLS.Version < tls.VersionTLS12 {
		t.Fatalf("status %d, TLS %+v", resp.StatusCode, resp.TLS)
	}
	if _, err := client(tls.VersionTLS11).Get(base + "/healthz"); err == nil {
		t.Error("a TLS 1.1 client was accepted")
	}
	stop().want(t, 0, "running at "+base)

	s.run(ctx, "serve", "--tls-cert", cert, "--tls-key", cert).want(t, 2, "--tls-cert and --tls-key")
}
