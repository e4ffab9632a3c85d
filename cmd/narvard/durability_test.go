package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"narvard/internal/store"
)

// buildNarvard builds the real binary into a temporary folder.
func buildNarvard(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "narvard")
	cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startServer starts `narvard serve` and waits until /healthz answers.
func startServer(t *testing.T, bin, dir, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", dir, "--addr", addr, "--now", "2023-11-15T10:00:00+01:00")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatal("server did not start")
	return nil
}

// burstSignatories adds a signatory with an API token for each of ten
// recipients, for the tests that send bursts of writes.
func burstSignatories(t *testing.T, bin, dir string) (recipients []string, tokens map[string]string) {
	t.Helper()
	recipients = []string{"region-01", "region-03", "region-12", "region-14", "region-23", "region-25", "rss-01", "rss-12", "rss-23", "skr"}
	tokens = map[string]string{}
	for _, r := range recipients {
		email := "s@" + r + ".se"
		cli(t, bin, "ett långt lösenord\n", "user", "add", "--data", dir, "--email", email, "--org", r, "--role", "signatory")
		tokens[r] = cli(t, bin, "", "token", "create", "--data", dir, "--email", email)
	}
	return recipients, tokens
}

func cli(t *testing.T, bin, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("narvard %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

type ack struct {
	id     string
	status string
}

// TestKillDashNineLosesNoAcknowledgedWrite starts the real server, sends a
// burst of requisitions and signatures, kills the server with SIGKILL in the
// middle of it, restarts it and checks that every answered write is there,
// that the ledger balances and that the audit chain is intact.
func TestKillDashNineLosesNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	bin := buildNarvard(t)
	dir := t.TempDir()
	recipients, tokens := burstSignatories(t, bin, dir)
	cli(t, bin, "ett långt lösenord\n", "user", "add", "--data", dir, "--email", "p@kk.se", "--org", "kammarkollegiet", "--role", "payer")
	payer := cli(t, bin, "", "token", "create", "--data", dir, "--email", "p@kk.se")

	addr := freeAddr(t)
	srv := startServer(t, bin, dir, addr)
	var mu sync.Mutex
	var acks []ack
	var wg sync.WaitGroup
	killed := make(chan struct{})
	acked := func(a ack) {
		mu.Lock()
		defer mu.Unlock()
		acks = append(acks, a)
		if len(acks) == 60 {
			srv.Process.Signal(os.Kill) // in the middle of the burst
			close(killed)
		}
	}
	for _, r := range recipients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"agreement":"gnv-2023","recipient":"%s","amount_kr":1000,"period_from":"2023-01-01","period_to":"2023-12-31",
				"account":{"type":"bankgiro","number":"5050-1055"},"payment_reference":"X","contact":{"name":"A","email":"a@b.se","phone":"1"},
				"agreement_dnr":"S1","payment_decision_dnr":"S2"}`, r)
			// Draft and withdraw again and again, then draft and sign;
			// the kill comes somewhere in between.
			for i := range 20 {
				status, out := post(addr, tokens[r], "/api/v1/requisitions", body)
				if status != 201 {
					return
				}
				id := out["id"].(string)
				acked(ack{id, "draft"})
				action, want := "withdraw", "withdrawn"
				if i == 19 {
					action, want = "sign", "submitted"
				}
				if status, _ := post(addr, tokens[r], "/api/v1/requisitions/"+id+"/"+action, ""); status != 200 {
					return
				}
				acked(ack{id, want})
			}
		}()
	}
	wg.Wait()
	select {
	case <-killed:
	default:
		t.Fatal("the burst ended before the kill")
	}
	srv.Wait()

	srv = startServer(t, bin, dir, addr)
	defer func() { srv.Process.Kill(); srv.Wait() }()
	t.Logf("%d writes were acknowledged before the kill", len(acks))
	want := map[string]string{}
	for _, a := range acks {
		if want[a.id] == "" || want[a.id] == "draft" {
			want[a.id] = a.status
		}
	}
	for id, status := range want {
		st, out := get(addr, payer, "/api/v1/requisitions/"+id)
		if st != 200 {
			t.Errorf("acknowledged requisition %s lost: %d", id, st)
			continue
		}
		if status != "draft" && out["status"] != status {
			t.Errorf("acknowledged %s of %s lost: now %v", status, id, out["status"])
		}
	}
	srv.Process.Kill()
	srv.Wait()
	s, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(context.Background(), func(tx *store.Tx) error {
		txs, err := tx.LedgerTxs()
		if err != nil {
			return err
		}
		var sum int64
		for _, x := range txs {
			if err := x.Check(); err != nil {
				t.Errorf("tx %d: %v", x.ID, err)
			}
			for _, p := range x.Postings {
				sum += int64(p.Amount)
			}
		}
		if sum != 0 {
			t.Errorf("ledger sums to %d", sum)
		}
		var signed int
		for _, status := range want {
			if status == "submitted" {
				signed++
			}
		}
		bal, err := tx.Balances("mottagare:")
		var requisitioned int64
		for acct, v := range bal {
			if strings.HasSuffix(acct, ":rekvirerat") {
				requisitioned += int64(v)
			}
		}
		if requisitioned < int64(signed)*1000 {
			t.Errorf("requisitioned %d kr, but %d signatures of 1 000 kr were acknowledged", requisitioned, signed)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if out := cli(t, bin, "", "audit", "verify", "--data", dir); !strings.Contains(out, "hel") {
		t.Errorf("audit verify: %s", out)
	}
}

func post(addr, token, path, body string) (int, map[string]any) {
	return call("POST", addr, token, path, body)
}

func get(addr, token, path string) (int, map[string]any) {
	return call("GET", addr, token, path, "")
}

func call(method, addr, token, path, body string) (int, map[string]any) {
	req, _ := http.NewRequest(method, "http://"+addr+path, bytes.NewBufferString(body))
	req.Header.Set("Authorization", "Bearer "+token)
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}
