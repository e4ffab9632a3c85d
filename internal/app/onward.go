package app

import (
	"context"
	"slices"
	"strings"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/geo"
	"narvard/internal/grant"
	"narvard/internal/ledger"
	"narvard/internal/money"
	"narvard/internal/onward"
	"narvard/internal/org"
	"narvard/internal/store"
)

// countyKommuner returns the codes of the RSS's county's municipalities.
func countyKommuner(rss string) []string {
	county := org.CountyOf(rss)
	var out []string
	for _, m := range geo.Municipalities() {
		if county != "" && m.County == county {
			out = append(out, m.Code)
		}
	}
	return out
}

// onwardComponents are the RSS's allocation's components, binding amounts.
func onwardComponents(al grant.Allocation) []onward.Component {
	out := make([]onward.Component, 0, len(al.Components))
	for _, c := range al.Components {
		out = append(out, onward.Component{ID: c.ID, Label: c.Label, Amount: c.Amount, Earmarked: c.Earmarked})
	}
	return out
}

// CreateOnward drafts the RSS's onward decision: the split of each
// component of its allocation among its county's municipalities by the
// plan, computed and checked here.
func (a *App) CreateOnward(ctx context.Context, actor auth.Actor, agreementID, rss string, p onward.Plan) (onward.Decision, error) {
	if err := grant.CanDraftOnward(actor, rss); err != nil {
		return onward.Decision{}, err
	}
	agID, split, err := a.computeOnward(agreementID, rss, p)
	if err != nil {
		return onward.Decision{}, err
	}
	now := a.Clock.Now()
	d := onward.Decision{ID: newID("V-"), Agreement: agID, RSS: rss, County: org.CountyOf(rss), Plan: p, Split: split,
		Status: onward.Draft, CreatedBy: actor.Email, CreatedAt: now}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.InsertOnward(&d); err != nil {
			return err
		}
		_, err := tx.Audit(entry(actor, now, "onward.create", "onward:"+d.ID, map[string]any{"agreement": d.Agreement, "rss": rss}))
		return err
	})
	return d, err
}

// computeOnward splits the RSS's allocation under the agreement by the
// plan, and returns the agreement's id with the split.
func (a *App) computeOnward(agreementID, rss string, p onward.Plan) (string, onward.Split, error) {
	ag, err := a.agreement(agreementID)
	if err != nil {
		return "", onward.Split{}, err
	}
	if kind, _, _ := org.Parse(rss); kind != org.KindRSS {
		return "", onward.Split{}, fault.Fields{"rss": "Ange en RSS, rss-<län>."}.Err()
	}
	al, ok := a.Allocation(ag.ID, rss)
	if !ok {
		return "", onward.Split{}, fault.Fields{"rss": "RSS:en har ingen tilldelning i överenskommelsen."}.Err()
	}
	split, err := onward.Compute(onwardComponents(al), countyKommuner(rss), p)
	return ag.ID, split, err
}

// PreviewOnward computes the RSS's onward split by the plan as
// CreateOnward would, and saves nothing: the table the officer sees
// before the draft is saved.
func (a *App) PreviewOnward(ctx context.Context, actor auth.Actor, agreementID, rss string, p onward.Plan) (onward.Split, error) {
	if err := grant.CanDraftOnward(actor, rss); err != nil {
		return onward.Split{}, err
	}
	_, split, err := a.computeOnward(agreementID, rss, p)
	return split, err
}

// OnwardKommuner lists the municipalities of the RSS's county, by code:
// those an onward decision splits the money among.
func OnwardKommuner(rss string) []geo.Municipality {
	var out []geo.Municipality
	for _, m := range geo.Municipalities() {
		if c := org.CountyOf(rss); c != "" && m.County == c {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(x, y geo.Municipality) int { return strings.Compare(x.Code, y.Code) })
	return out
}

// DecideOnward records the RSS's signatory's decision of a draft; the
// decision in force before it is replaced, and kept.
func (a *App) DecideOnward(ctx context.Context, actor auth.Actor, id, date, reference string) (onward.Decision, error) {
	var d onward.Decision
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = tx.Onward(id); err != nil {
			return notFound(err, "Beslutet om vidareförmedling %s finns inte.", id)
		}
		if err := grant.CanReadOnward(actor, d.RSS); err != nil {
			return fault.New(fault.NotFound, "Beslutet om vidareförmedling %s finns inte.", id)
		}
		if err := grant.CanDecideOnward(actor, d.RSS); err != nil {
			return err
		}
		now := a.Clock.Now()
		if err := d.Decide(actor.Email, now, date, reference); err != nil {
			return err
		}
		all, err := tx.Onwards(d.Agreement, d.RSS)
		if err != nil {
			return err
		}
		for _, old := range all {
			if old.Status == onward.Decided {
				old.Status, old.ReplacedBy = onward.Replaced, d.ID
				if err := tx.UpdateOnwardStatus(&old); err != nil {
					return err
				}
			}
		}
		if err := tx.UpdateOnwardStatus(&d); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "onward.decide", "onward:"+d.ID, map[string]any{"date": d.DecisionDate, "reference": d.Reference}))
		return err
	})
	return d, err
}

// Onward returns an onward decision; a municipality of the county sees
// only its own rows.
func (a *App) Onward(ctx context.Context, actor auth.Actor, id string) (onward.Decision, error) {
	var d onward.Decision
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if d, err = tx.Onward(id); err != nil {
			return notFound(err, "Beslutet om vidareförmedling %s finns inte.", id)
		}
		return grant.CanReadOnward(actor, d.RSS)
	})
	if err != nil {
		return onward.Decision{}, err
	}
	d.County = org.CountyOf(d.RSS)
	if kind, code, _ := org.Parse(actor.Org); kind == org.KindKommun {
		d.Split.Rows = slices.DeleteFunc(d.Split.Rows, func(r onward.Row) bool { return r.Kommun != code })
		d.Plan = onward.Plan{Components: d.Plan.Components}
	}
	return d, nil
}

// Onwards lists the RSS's onward decisions under the agreement, oldest
// first: the history.
func (a *App) Onwards(ctx context.Context, actor auth.Actor, agreementID, rss string) ([]onward.Decision, error) {
	if err := grant.CanReadOnward(actor, rss); err != nil {
		return nil, err
	}
	var out []onward.Decision
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.Onwards(agreementID, rss)
		return err
	})
	return out, err
}

// OnwardFunds is what an RSS has received from Kammarkollegiet and passed
// on to its municipalities under an agreement.
type OnwardFunds struct {
	Received, PassedOn money.Kr
}

func onwardFunds(tx *store.Tx, agreementID, rss string) (OnwardFunds, error) {
	received, err := paidTotal(tx, agreementID, rss)
	if err != nil {
		return OnwardFunds{}, err
	}
	bal, err := tx.Balances(ledger.PassedOn(agreementID, rss))
	if err != nil {
		return OnwardFunds{}, err
	}
	return OnwardFunds{Received: received, PassedOn: -bal[ledger.PassedOn(agreementID, rss)]}, nil
}

// PayOnward records the RSS's payment to its municipalities on a date from
// a decided split: lines by municipality, or none for what each has left
// of the decision. The RSS never passes on more than it has received, nor
// a municipality more than the decision gives it (409).
func (a *App) PayOnward(ctx context.Context, actor auth.Actor, decisionID, paidOn string, lines []onward.PaymentLine) (onward.Payment, error) {
	var p onward.Payment
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		d, err := tx.Onward(decisionID)
		if err != nil {
			return notFound(err, "Beslutet om vidareförmedling %s finns inte.", decisionID)
		}
		if err := grant.CanReadOnward(actor, d.RSS); err != nil {
			return fault.New(fault.NotFound, "Beslutet om vidareförmedling %s finns inte.", decisionID)
		}
		if err := grant.CanPayOnward(actor, d.RSS); err != nil {
			return err
		}
		earlier, err := tx.OnwardPayments(d.Agreement, d.RSS)
		if err != nil {
			return err
		}
		paid := map[string]money.Kr{}
		for _, e := range earlier {
			for _, l := range e.Lines {
				paid[l.Kommun] += l.Amount
			}
		}
		if len(lines) == 0 {
			for _, k := range countyKommuner(d.RSS) {
				if left := d.Split.KommunTotal(k) - paid[k]; left > 0 {
					lines = append(lines, onward.PaymentLine{Kommun: k, Amount: left})
				}
			}
		}
		for i := range lines {
			lines[i].Kommun = onward.Code(lines[i].Kommun)
		}
		funds, err := onwardFunds(tx, d.Agreement, d.RSS)
		if err != nil {
			return err
		}
		now := a.Clock.Now()
		p = onward.Payment{ID: newID("VU-"), Agreement: d.Agreement, RSS: d.RSS, Decision: d.ID, PaidOn: strings.TrimSpace(paidOn),
			Lines: lines, CreatedBy: actor.Email, CreatedAt: now}
		if err := onward.CheckPayment(p, d, paid, funds.Received, funds.PassedOn); err != nil {
			return err
		}
		post := ledger.Tx{At: now, Kind: ledger.KindOnwardPayment, Agreement: d.Agreement, Recipient: d.RSS, Ref: p.ID,
			Postings: []ledger.Posting{{Account: ledger.PassedOn(d.Agreement, d.RSS), Amount: -p.Total()}}}
		for _, l := range p.Lines {
			post.Postings = append(post.Postings, ledger.Posting{Account: ledger.ReceivedOnward(d.Agreement, org.KommunID(l.Kommun)), Amount: l.Amount})
		}
		if _, err := tx.Post(post); err != nil {
			return err
		}
		if err := tx.InsertOnwardPayment(&p); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "onward.pay", "onward_payment:"+p.ID,
			map[string]any{"decision": d.ID, "paid_on": p.PaidOn, "amount_kr": p.Total()}))
		return err
	})
	return p, err
}

// KommunOnward is what a municipality sees of its RSS's onward money under
// an agreement: the RSS, the decision in force and its rows for the
// municipality, and what it has received and when.
type KommunOnward struct {
	Agreement string
	Kommun    string // the code
	RSS       string
	RSSName   string
	Decision  *onward.Decision // in force, its rows only the municipality's; nil when none
	Decided   money.Kr         // the municipality's total in the decision
	Payments  []KommunPayment
	Received  money.Kr
	Labels    map[string]string // the components' names, by id
}

// KommunPayment is one payment a municipality received from its RSS.
type KommunPayment struct {
	ID     string
	PaidOn string
	Amount money.Kr
}

// KommunOnwardStatus is the municipality's onward money under the
// agreement, for its start page and status.
func (a *App) KommunOnwardStatus(ctx context.Context, actor auth.Actor, agreementID, kommun string) (KommunOnward, error) {
	if err := grant.CanRead(actor, kommun); err != nil {
		return KommunOnward{}, err
	}
	kind, code, _ := org.Parse(kommun)
	out := KommunOnward{Agreement: agreementID, Kommun: code}
	if kind != org.KindKommun {
		return out, nil // only municipalities receive onward money
	}
	out.RSS = org.RSSID(org.CountyOf(kommun))
	out.Labels = map[string]string{}
	if al, ok := a.Allocation(agreementID, out.RSS); ok {
		for _, c := range al.Components {
			out.Labels[c.ID] = c.Label
		}
	}
	err := a.db.View(ctx, func(tx *store.Tx) error {
		if o, err := tx.Organisation(out.RSS); err == nil {
			out.RSSName = o.Name
		}
		all, err := tx.Onwards(agreementID, out.RSS)
		if err != nil {
			return err
		}
		for _, d := range all {
			if d.Status == onward.Decided {
				d.Split.Rows = slices.DeleteFunc(d.Split.Rows, func(r onward.Row) bool { return r.Kommun != code })
				d.Plan = onward.Plan{Components: d.Plan.Components}
				out.Decision, out.Decided = &d, d.Split.KommunTotal(code)
			}
		}
		pays, err := tx.OnwardPayments(agreementID, out.RSS)
		if err != nil {
			return err
		}
		for _, p := range pays {
			for _, l := range p.Lines {
				if l.Kommun == code {
					out.Payments = append(out.Payments, KommunPayment{ID: p.ID, PaidOn: p.PaidOn, Amount: l.Amount})
					out.Received += l.Amount
				}
			}
		}
		return nil
	})
	return out, err
}

// RSSOnwardFunds is what the RSS has received and passed on under the
// agreement, with its payments.
func (a *App) RSSOnwardFunds(ctx context.Context, actor auth.Actor, agreementID, rss string) (OnwardFunds, []onward.Payment, error) {
	if err := grant.CanRead(actor, rss); err != nil {
		return OnwardFunds{}, nil, err
	}
	var f OnwardFunds
	var pays []onward.Payment
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if f, err = onwardFunds(tx, agreementID, rss); err != nil {
			return err
		}
		pays, err = tx.OnwardPayments(agreementID, rss)
		return err
	})
	return f, pays, err
}
