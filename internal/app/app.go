// Package app is what the product does, for the JSON API, the web pages and
// the command line alike: every use case (sign a requisition, pay a batch,
// show a recipient's status) is one method that checks the actor's right in
// the domain package, changes state in one database transaction, posts the
// money to the ledger and appends to the audit log.
package app

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/audit"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/followup"
	"narvard/internal/grant"
	"narvard/internal/ledger"
	"narvard/internal/money"
	"narvard/internal/org"
	"narvard/internal/questionnaire"
	"narvard/internal/store"
)

// App is the product's use cases over one database.
type App struct {
	db         *store.Store
	Agreements *agreement.Set
	Clock      clock.Clock
	Log        *slog.Logger

	// BaseURL is where the links in mails point (DefaultBaseURL if empty).
	BaseURL string

	// FollowUps runs the follow-up computations started from the web.
	FollowUps *FollowUps

	// Timer is the clock of sign-in security: throttling, sessions and
	// tokens. It is the real clock even when Clock is frozen (--now), so
	// a rehearsal's sessions end and its throttles lift.
	Timer clock.Clock

	hashing  *auth.Limiter // bounds the argon2id hashes running at once
	throttle auth.Throttle // failed sign-ins

	// templates are the question templates shipped with the product for
	// the agreements above; those published since are in the database.
	templates *questionnaire.Library

	mu          sync.Mutex
	allocations map[string]map[string]grant.Allocation // by agreement, then recipient
}

// New returns the app over the store, seeding organisations and posting the
// agreements' allocations to the ledger the first time.
func New(ctx context.Context, s *store.Store, agreements *agreement.Set, c clock.Clock, log *slog.Logger) (*App, error) {
	a := &App{db: s, Agreements: agreements, Clock: c, Log: log,
		allocations: map[string]map[string]grant.Allocation{},
		Timer:       clock.System{},
		hashing:     auth.NewLimiter(DefaultHashes, DefaultHashWait)}
	a.FollowUps = a.NewFollowUps(followup.Compute, log)
	tl, err := questionnaire.Builtin(agreements)
	if err != nil {
		return nil, err
	}
	a.templates = tl
	for _, ag := range agreements.All() {
		al, err := grant.Allocations(ag)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ag.ID, err)
		}
		a.allocations[ag.ID] = al
	}
	if err := a.bootstrap(ctx); err != nil {
		return nil, err
	}
	return a, nil
}

// bootstrap seeds the organisations and posts each agreement's binding
// allocation once, per recipient and component. If the ledger already
// holds an allocation that departs from the agreement file's binding
// amounts, it refuses: the change must be recorded as a correction
// (CorrectAllocation) first, never silently.
func (a *App) bootstrap(ctx context.Context) error {
	now := a.Clock.Now()
	return a.db.Update(ctx, func(tx *store.Tx) error {
		// A database written before rows were sealed has its rows sealed
		// once, as they are, so that from now on a row changed outside
		// the program is found.
		sealed, err := tx.HasSeals()
		if err != nil {
			return err
		}
		if !sealed {
			n, err := tx.SealAll()
			if err != nil {
				return err
			}
			if n > 0 {
				if _, err := tx.Audit(audit.Entry{At: now, Actor: "system", Org: "narvard", Action: "books.seal",
					Object: "books", Detail: detail(map[string]any{"rows": n})}); err != nil {
					return err
				}
			}
		}
		for _, ag := range a.Agreements.All() {
			orgs, err := org.Seed(ag)
			if err != nil {
				return err
			}
			added, err := tx.SeedOrganisations(orgs, now)
			if err != nil {
				return err
			}
			if added > 0 {
				if _, err := tx.Audit(audit.Entry{At: now, Actor: "system", Org: "narvard", Action: "organisation.seed",
					Object: "agreement:" + ag.ID, Detail: detail(map[string]any{"organisations": added})}); err != nil {
					return err
				}
			}
			posted, err := postedAllocations(tx, ag.ID)
			if err != nil {
				return err
			}
			if len(posted) > 0 {
				if d := grant.AllocationDepartures(a.allocations[ag.ID], posted); len(d) > 0 {
					return departureError(ag.ID, d)
				}
				continue
			}
			if err := postAllocations(tx, ag.ID, a.allocations[ag.ID], now); err != nil {
				return err
			}
			if _, err := tx.Audit(audit.Entry{At: now, Actor: "system", Org: "narvard", Action: "agreement.allocate",
				Object: "agreement:" + ag.ID, Detail: detail(map[string]any{"recipients": len(a.allocations[ag.ID])})}); err != nil {
				return err
			}
		}
		return nil
	})
}

// postAllocations posts every recipient's binding allocation from the
// agreement's appropriation, one transaction per component, referenced by
// the component's id.
func postAllocations(tx *store.Tx, agreementID string, all map[string]grant.Allocation, now time.Time) error {
	for _, id := range sortedKeys(all) {
		for _, c := range all[id].Components {
			if c.Amount == 0 {
				continue
			}
			t := ledger.Move(ledger.KindAllocation, agreementID, id, c.ID, now,
				ledger.Appropriation(agreementID), ledger.Allocated(agreementID, id), c.Amount)
			if _, err := tx.Post(t); err != nil {
				return err
			}
		}
	}
	return nil
}

// postedAllocations reads what the ledger holds as each recipient's
// allocation under the agreement: what allocations and corrections posted
// to the recipient's allocated account, by component. A transaction
// referenced by the agreement's own id is the whole allocation (allocations
// were posted as one sum per recipient before they were posted per
// component).
func postedAllocations(tx *store.Tx, agreementID string) (map[string]grant.PostedAllocation, error) {
	totals, err := tx.RefTotals(agreementID, ledger.KindAllocation, ledger.KindAllocationCorrection)
	if err != nil {
		return nil, err
	}
	out := map[string]grant.PostedAllocation{}
	for _, t := range totals {
		if t.Account != ledger.Allocated(agreementID, t.Recipient) {
			continue
		}
		p := out[t.Recipient]
		switch {
		case t.Ref == agreementID && t.Kind == ledger.KindAllocation:
			p.Whole += t.Amount
		case t.Ref == agreementID:
			p.WholeCorrection += t.Amount
		default:
			if p.ByComponent == nil {
				p.ByComponent = map[string]money.Kr{}
			}
			p.ByComponent[t.Ref] += t.Amount
		}
		out[t.Recipient] = p
	}
	return out, nil
}

// ErrAllocationDeparts is returned when the ledger's allocation departs
// from the agreement file's binding amounts.
var ErrAllocationDeparts = errors.New("den bokförda tilldelningen skiljer sig från överenskommelsens bindande belopp")

// departureError names every departure, in Swedish, and what to do.
func departureError(agreementID string, d []grant.AllocationDeparture) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %v i %d fall; servern startar inte förrän ändringen är bokförd som en rättelse "+
		"(narvard allocation correct --agreement %s --reason \"…\"):", agreementID, ErrAllocationDeparts, len(d), agreementID)
	for _, x := range d {
		b.WriteString("\n  " + x.String())
	}
	return &departures{msg: b.String(), list: d}
}

// departures is the error listing the departures.
type departures struct {
	msg  string
	list []grant.AllocationDeparture
}

func (e *departures) Error() string { return e.msg }
func (e *departures) Unwrap() error { return ErrAllocationDeparts }

// Allocation returns the recipient's allocation under the agreement.
func (a *App) Allocation(agreementID, recipient string) (grant.Allocation, bool) {
	al, ok := a.allocations[agreementID][recipient]
	return al, ok
}

// agreement returns the agreement or a NotFound fault.
func (a *App) agreement(id string) (*agreement.Agreement, error) {
	ag, err := a.Agreements.Get(id)
	if err != nil {
		return nil, fault.New(fault.NotFound, "Överenskommelsen %q finns inte.", id)
	}
	return ag, nil
}

// deadline returns the agreement's deadline with the id and whether it has
// passed now.
func (a *App) deadline(ag *agreement.Agreement, id agreement.DeadlineID) (time.Time, bool) {
	d, ok := ag.Deadline(id)
	if !ok {
		return time.Time{}, false
	}
	return d.Date.Time, clock.Passed(d.Date.Time, a.Clock.Now())
}

// newID returns a random id with the prefix: "R-" and ten characters of
// Crockford base32, readable over the phone.
func newID(prefix string) string {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic("app: no randomness: " + err.Error())
	}
	var s strings.Builder
	s.WriteString(prefix)
	for _, c := range b {
		s.WriteByte(alphabet[int(c)%len(alphabet)])
	}
	return s.String()
}

// detail renders an audit entry's detail as JSON.
func detail(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// entry starts an audit entry for the actor.
func entry(actor auth.Actor, at time.Time, action, object string, d any) audit.Entry {
	return audit.Entry{At: at, Actor: actor.Email, Org: actor.Org, Action: action, Object: object, Detail: detail(d)}
}

// notFound maps the store's ErrNotFound to a NotFound fault.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, store.ErrNotFound) {
		return fault.New(fault.NotFound, format, args...)
	}
	return err
}

// sortedKeys returns the map's keys in order, so that recipients are
// visited the same way every time (bootstrap, the national matrix).
func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	return slices.Sorted(maps.Keys(m))
}
