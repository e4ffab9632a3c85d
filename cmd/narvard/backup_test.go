package main

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"narvard/internal/store"
)

// TestBackupDuringABurst runs the real server, sends a burst of
// requisitions, withdrawals and signatures from ten recipients at once,
// takes `narvard backup` in the middle of it, restores the backup into a
// new data directory with `narvard restore` (which verifies the chain and
// the books) and finds there every write acknowledged before the backup
// began.
func TestBackupDuringABurst(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	bin := buildNarvard(t)
	dir := t.TempDir()
	recipients, tokens := burstSignatories(t, bin, dir)
	addr := freeAddr(t)
	srv := startServer(t, bin, dir, addr)
	defer func() { srv.Process.Kill(); srv.Wait() }()

	type timedAck struct {
		ack
		at time.Time
	}
	var mu sync.Mutex
	var acks []timedAck
	backupFile := filepath.Join(t.TempDir(), "narvard.backup")
	var backupAt time.Time
	var backupOut []byte
	var backupErr error
	backupDone := make(chan struct{})
	acked := func(a ack) {
		mu.Lock()
		defer mu.Unlock()
		acks = append(acks, timedAck{a, time.Now()})
		if len(acks) == 60 { // in the middle of the burst
			backupAt = time.Now()
			go func() {
				defer close(backupDone)
				backupOut, backupErr = exec.Command(bin, "backup", "--data", dir, "--out", backupFile).CombinedOutput()
			}()
		}
	}
	var wg sync.WaitGroup
	for _, r := range recipients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf(`{"agreement":"gnv-2023","recipient":"%s","amount_kr":1000,"period_from":"2023-01-01","period_to":"2023-12-31",
				"account":{"type":"bankgiro","number":"5050-1055"},"payment_reference":"X","contact":{"name":"A","email":"a@b.se","phone":"1"},
				"agreement_dnr":"S1","payment_decision_dnr":"S2"}`, r)
			for i := range 20 {
				status, out := post(addr, tokens[r], "/api/v1/requisitions", body)
				if status != 201 {
					t.Errorf("%s: draft %d: %d %v", r, i, status, out)
					return
				}
				id := out["id"].(string)
				acked(ack{id, "draft"})
				action, want := "withdraw", "withdrawn"
				if i == 19 {
					action, want = "sign", "submitted"
				}
				if status, out := post(addr, tokens[r], "/api/v1/requisitions/"+id+"/"+action, ""); status != 200 {
					t.Errorf("%s: %s: %d %v", r, action, status, out)
					return
				}
				acked(ack{id, want})
			}
		}()
	}
	wg.Wait()
	<-backupDone
	if backupErr != nil {
		t.Fatalf("backup: %v\n%s", backupErr, backupOut)
	}
	var before, after int
	want := map[string]string{}
	for _, a := range acks {
		if !a.at.Before(backupAt) {
			after++
			continue
		}
		before++
		if want[a.id] == "" || want[a.id] == "draft" {
			want[a.id] = a.status
		}
	}
	t.Logf("%d writes acknowledged before the backup began, %d after; %s", before, after, strings.TrimSpace(string(backupOut)))
	if after == 0 {
		t.Fatal("the burst ended before the backup: not a backup under load")
	}

	restored := filepath.Join(t.TempDir(), "data")
	out, err := exec.Command(bin, "restore", "--in", backupFile, "--data", restored).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "Granskningsloggen är hel") || !strings.Contains(string(out), "Böckerna stämmer") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	// Into a directory that has a database: refused.
	if out, err := exec.Command(bin, "restore", "--in", backupFile, "--data", restored).CombinedOutput(); err == nil || !strings.Contains(string(out), "inte tomt") {
		t.Errorf("restore into a non-empty directory: %v %s", err, out)
	}
	if out := cli(t, bin, "", "audit", "verify", "--data", restored); !strings.Contains(out, "hel") {
		t.Errorf("audit verify of the restored data: %s", out)
	}
	s, err := store.Open(restored)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.View(context.Background(), func(tx *store.Tx) error {
		for id, status := range want {
			r, err := tx.Requisition(id)
			if err != nil {
				t.Errorf("requisition %s, acknowledged before the backup, not restored: %v", id, err)
				continue
			}
			if status != "draft" && string(r.Status) != status {
				t.Errorf("%s of %s acknowledged before the backup, restored as %s", status, id, r.Status)
			}
		}
		_, err := tx.Balances("")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
