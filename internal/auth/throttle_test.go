package auth

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestThrottleGrowsAndLetsOthersIn(t *testing.T) {
	var th Throttle
	now := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	const victim = "anna@region.se"
	for i := range PairFree {
		if a, w := th.Begin(victim, "192.0.2.1", now); a == nil {
			t.Fatalf("attempt %d refused (%v)", i+1, w)
		}
	}
	a, wait := th.Begin(victim, "192.0.2.1", now)
	if a != nil || wait != BaseDelay {
		t.Fatalf("sixth attempt at once: %v, wait %v", a, wait)
	}
	// The refused attempt counted: the next wait is twice as long.
	if _, wait = th.Begin(victim, "192.0.2.1", now.Add(BaseDelay)); wait != BaseDelay {
		t.Errorf("wait after a refused attempt: %v", wait)
	}
	if a, _ := th.Begin(victim, "192.0.2.1", now.Add(10*time.Second)); a == nil {
		t.Error("the delay does not end")
	}
	// The owner, from another address, is let in at once.
	a, wait = th.Begin(victim, "198.51.100.9", now)
	if a == nil {
		t.Fatalf("the owner is held back %v from another address", wait)
	}
	a.Succeeded()
	// The delay never exceeds MaxDelay, and lifts after Forget.
	now = now.Add(10 * time.Second)
	for range 100 {
		th.Begin(victim, "192.0.2.1", now)
	}
	if _, wait = th.Begin(victim, "192.0.2.1", now); wait != MaxDelay {
		t.Errorf("wait %v beyond MaxDelay", wait)
	}
	if a, _ := th.Begin(victim, "192.0.2.1", now.Add(Forget+MaxDelay+time.Second)); a == nil {
		t.Error("the failures are never forgotten")
	}
}

func TestThrottleCountsParallelAttempts(t *testing.T) {
	var th Throttle
	now := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	let := 0
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if a, _ := th.Begin("x@y.se", "192.0.2.1", now); a != nil {
				mu.Lock()
				let++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if let != PairFree {
		t.Errorf("%d of 50 parallel attempts let through, want %d", let, PairFree)
	}
}

func TestThrottleAddressAndAccount(t *testing.T) {
	var th Throttle
	now := time.Now()
	// Spraying many accounts from one address is held back by the address.
	for i := range AddressFree {
		if a, _ := th.Begin(fmt.Sprint(i, "@x.se"), "192.0.2.1", now); a == nil {
			t.Fatalf("attempt %d refused", i)
		}
	}
	if a, _ := th.Begin("ny@x.se", "192.0.2.1", now); a != nil {
		t.Error("the address is not held back")
	}
	// IPv6 addresses count by /64.
	for range AddressFree {
		th.Begin("v6@x.se", fmt.Sprintf("2001:db8::%x", time.Now().UnixNano()&0xffff), now)
	}
	if a, _ := th.Begin("annan@x.se", "2001:db8::ffff", now); a != nil {
		t.Error("an IPv6 /64 is not one address")
	}
	// Many addresses at one account: those that failed there wait, a new
	// one does not.
	for i := range AccountFree {
		th.Begin("mal@x.se", fmt.Sprintf("198.51.100.%d", i), now)
	}
	if a, _ := th.Begin("mal@x.se", "198.51.100.1", now); a != nil {
		t.Error("an address that failed at the account is not held back")
	}
	if a, _ := th.Begin("mal@x.se", "203.0.113.5", now); a == nil {
		t.Error("a fresh address is held back by the account")
	}
}

func TestThrottleIsBounded(t *testing.T) {
	var th Throttle
	now := time.Now()
	for i := range MaxRecords + 100 {
		th.Begin(fmt.Sprint(i, "@x.se"), fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), now.Add(time.Duration(i)))
	}
	if n := th.Records(); n > 3*MaxRecords {
		t.Errorf("%d records", n)
	}
}

func TestLimiter(t *testing.T) {
	l := NewLimiter(2, 50*time.Millisecond)
	r1, ok1 := l.Acquire(context.Background())
	_, ok2 := l.Acquire(context.Background())
	start := time.Now()
	if _, ok := l.Acquire(context.Background()); ok || !ok1 || !ok2 {
		t.Fatal("a third slot was given")
	}
	if d := time.Since(start); d < 40*time.Millisecond {
		t.Errorf("gave up after %v", d)
	}
	r1()
	if _, ok := l.Acquire(context.Background()); !ok {
		t.Error("a released slot was not given")
	}
}
