package api

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/org"
	"narvard/internal/store"
)

// BenchmarkLoad runs 50 concurrent clients against the real handler on a
// SQLite file over loopback: each drafts and withdraws requisitions for
// its organisation and reads statuses and lists. It reports latency
// percentiles; the goal is p99 under 100 ms on a 2-core machine.
//
//	go test -run '^$' -bench Load -benchtime 4000x ./internal/api
func BenchmarkLoad(b *testing.B) {
	const clients = 50
	ctx := context.Background()
	s, err := store.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := app.New(ctx, s, agreement.Builtin(), clock.NewFrozen(time.Date(2023, 11, 15, 10, 0, 0, 0, clock.Stockholm)), log)
	if err != nil {
		b.Fatal(err)
	}
	hash, _ := auth.HashPassword("ett långt lösenord")
	var recipients []string
	for _, c := range agreement.Builtin().All()[0].Counties {
		recipients = append(recipients, org.RegionID(c.Code), org.RSSID(c.Code))
	}
	tokens := make([]string, clients)
	for i := range clients {
		r := recipients[i%len(recipients)]
		u := auth.User{Email: fmt.Sprintf("u%d@%s.se", i, r), Name: "U", Org: r, Role: auth.Signatory, PasswordHash: hash}
		if err := s.Update(ctx, func(tx *store.Tx) error { return tx.InsertUser(&u) }); err != nil {
			b.Fatal(err)
		}
		if tokens[i], err = a.CreateToken(ctx, u.Email, time.Hour); err != nil {
			b.Fatal(err)
		}
	}
	srv := httptest.NewServer(New(a, log))
	defer srv.Close()
	transport := &http.Transport{MaxIdleConnsPerHost: clients}
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}

	var mu sync.Mutex
	var latencies []time.Duration
	var failures int
	do := func(token, method, path, body string) string {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		start := time.Now()
		resp, err := client.Do(req)
		d := time.Since(start)
		var text string
		if err == nil {
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			text = string(raw)
			if resp.StatusCode >= 500 {
				err = fmt.Errorf("%d", resp.StatusCode)
			}
		}
		mu.Lock()
		latencies = append(latencies, d)
		if err != nil {
			failures++
		}
		mu.Unlock()
		return text
	}
	b.ResetTimer()
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := recipients[i%len(recipients)]
			body := strings.Replace(strings.Replace(reqBody, "%s", "1000", 1), "%s", "5050-1055", 1)
			body = strings.Replace(body, `"recipient":"region-25"`, `"recipient":"`+r+`"`, 1)
			for n := i; n < b.N; n += clients {
				switch n % 5 {
				case 0:
					out := do(tokens[i], "POST", "/api/v1/requisitions", body)
					if _, rest, ok := strings.Cut(out, `"id": "`); ok {
						id, _, _ := strings.Cut(rest, `"`)
						do(tokens[i], "POST", "/api/v1/requisitions/"+id+"/withdraw", "")
					}
				case 1, 2:
					do(tokens[i], "GET", "/api/v1/recipients/"+r+"/status", "")
				default:
					do(tokens[i], "GET", "/api/v1/requisitions?recipient="+r, "")
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		if len(latencies) == 0 {
			return 0
		}
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(len(latencies)), "requests")
	if failures > 0 {
		b.Errorf("%d requests failed", failures)
	}
}
