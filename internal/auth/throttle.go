package auth

import (
	"context"
	"net/netip"
	"sync"
	"time"
)

// Sign-in throttling. Failed sign-ins are counted per account, per client
// address and per account and address together. After a number of free
// failures each further attempt must wait, the wait doubling with every
// failure up to MaxDelay; there is no hard lock. An address that has never
// failed at an account is not held back by that account's count, so an
// attacker guessing from one address cannot lock the owner out from
// another.
//
// An attempt is counted as a failure when it begins, before the password
// is checked, and taken back when it succeeds: parallel guesses each count.
// Records live in memory, at most MaxRecords of each kind, and are
// forgotten after Forget without a failure.
const (
	PairFree    = 5  // failures of one address at one account before the delay
	AddressFree = 20 // failures of one address, at any account
	AccountFree = 20 // failures at one account, from any address
	BaseDelay   = time.Second
	MaxDelay    = 15 * time.Minute
	Forget      = time.Hour
	MaxRecords  = 20000
)

// Throttle counts failed sign-ins. Its zero value is ready to use.
type Throttle struct {
	mu                     sync.Mutex
	pairs, accounts, addrs map[string]*failures
}

type failures struct {
	n    int
	last time.Time
}

// wait is how long after now an attempt must wait given free failures.
func (f *failures) wait(free int, now time.Time) time.Duration {
	if f == nil || f.n < free {
		return 0
	}
	d := MaxDelay
	if shift := f.n - free; shift < 20 {
		d = min(BaseDelay<<shift, MaxDelay)
	}
	return f.last.Add(d).Sub(now)
}

// Attempt is a sign-in attempt the throttle let through.
type Attempt struct {
	t                   *Throttle
	pair, account, addr string
}

// Begin counts an attempt by the address at the account. It returns the
// attempt, or how long to wait when the attempt must not be made now
// (then it is counted against the address, not the account).
func (t *Throttle) Begin(account, addr string, now time.Time) (*Attempt, time.Duration) {
	addr = addressKey(addr)
	pair := account + "\x00" + addr
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.pairs == nil {
		t.pairs, t.accounts, t.addrs = map[string]*failures{}, map[string]*failures{}, map[string]*failures{}
	}
	p, ac, ad := t.get(t.pairs, pair, now), t.get(t.accounts, account, now), t.get(t.addrs, addr, now)
	wait := max(p.wait(PairFree, now), ad.wait(AddressFree, now))
	if p != nil && p.n > 0 {
		wait = max(wait, ac.wait(AccountFree, now))
	}
	if wait > 0 {
		t.count(t.pairs, pair, now)
		t.count(t.addrs, addr, now)
		return nil, wait
	}
	t.count(t.pairs, pair, now)
	t.count(t.accounts, account, now)
	t.count(t.addrs, addr, now)
	return &Attempt{t: t, pair: pair, account: account, addr: addr}, 0
}

// Succeeded takes the attempt back: the account's and the pair's failures
// are forgotten; the address keeps those it had before.
func (a *Attempt) Succeeded() {
	a.t.mu.Lock()
	defer a.t.mu.Unlock()
	delete(a.t.pairs, a.pair)
	delete(a.t.accounts, a.account)
	if f := a.t.addrs[a.addr]; f != nil {
		if f.n--; f.n <= 0 {
			delete(a.t.addrs, a.addr)
		}
	}
}

// Records returns how many records the throttle holds (for tests).
func (t *Throttle) Records() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.pairs) + len(t.accounts) + len(t.addrs)
}

// get returns the key's live record, forgetting an expired one.
func (t *Throttle) get(m map[string]*failures, key string, now time.Time) *failures {
	f := m[key]
	if f != nil && now.Sub(f.last) > Forget {
		delete(m, key)
		return nil
	}
	return f
}

func (t *Throttle) count(m map[string]*failures, key string, now time.Time) {
	f := m[key]
	if f == nil {
		if len(m) >= MaxRecords {
			prune(m, now)
		}
		f = &failures{}
		m[key] = f
	}
	f.n++
	if now.After(f.last) {
		f.last = now
	}
}

// prune drops the expired records, and if none was, the oldest one.
func prune(m map[string]*failures, now time.Time) {
	var oldest string
	var at time.Time
	for k, f := range m {
		if now.Sub(f.last) > Forget {
			delete(m, k)
			continue
		}
		if oldest == "" || f.last.Before(at) {
			oldest, at = k, f.last
		}
	}
	if len(m) >= MaxRecords {
		delete(m, oldest)
	}
}

// addressKey is what the throttle counts an address as: an IPv4 address
// itself, an IPv6 address's /64 network (one host usually has a whole
// one).
func addressKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if ip.Is4() {
		return ip.String()
	}
	p, _ := ip.Prefix(64)
	return p.String()
}

// Limiter bounds how many passwords are hashed at once: each argon2id hash
// takes 64 MiB.
type Limiter struct {
	slots chan struct{}
	wait  time.Duration
}

// NewLimiter allows n hashes at once; a further one waits at most wait for
// a slot.
func NewLimiter(n int, wait time.Duration) *Limiter {
	return &Limiter{slots: make(chan struct{}, max(n, 1)), wait: wait}
}

// Wait is how long Acquire waits for a slot.
func (l *Limiter) Wait() time.Duration { return l.wait }

// Acquire takes a slot, waiting at most the limiter's wait; ok is false
// when none came free in time or ctx ended. release gives the slot back.
func (l *Limiter) Acquire(ctx context.Context) (release func(), ok bool) {
	select {
	case l.slots <- struct{}{}:
		return l.release, true
	default:
	}
	timer := time.NewTimer(l.wait)
	defer timer.Stop()
	select {
	case l.slots <- struct{}{}:
		return l.release, true
	case <-timer.C:
	case <-ctx.Done():
	}
	return nil, false
}

func (l *Limiter) release() { <-l.slots }

// Cancel takes the attempt back entirely: it was not made (the server was
// busy).
func (a *Attempt) Cancel() {
	a.t.mu.Lock()
	defer a.t.mu.Unlock()
	for _, k := range []struct {
		m   map[string]*failures
		key string
	}{{a.t.pairs, a.pair}, {a.t.accounts, a.account}, {a.t.addrs, a.addr}} {
		if f := k.m[k.key]; f != nil {
			if f.n--; f.n <= 0 {
				delete(k.m, k.key)
			}
		}
	}
}
