package app

import (
	"context"
	"errors"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/geo"
	"narvard/internal/grant"
	"narvard/internal/money"
	"narvard/internal/onward"
	"narvard/internal/org"
	"narvard/internal/store"
)

// MunicipalView is a municipality's report to its RSS with what it
// derives: per component of the RSS's allocation what the municipality
// received from the RSS, what it reports and what is left.
type MunicipalView struct {
	grant.MunicipalReport
	KommunName string
	Uses       []ComponentUseView
	Received   money.Kr
	Reported   money.Kr
}

// Left is what the municipality has left of what it received; negative
// when it reports more than it received.
func (v MunicipalView) Left() money.Kr { return v.Received - v.Reported }

// ComponentUseView is one component's use with its name.
type ComponentUseView struct {
	grant.ComponentUse
	Label string
}

// kommunReceived is what each municipality of the RSS's county (by code)
// received of each component from the RSS under the agreement: each
// onward payment's line split on the components in proportion to what its
// decision gave the municipality of each.
func kommunReceived(tx *store.Tx, agreementID, rss string) (map[string]map[string]money.Kr, error) {
	pays, err := tx.OnwardPayments(agreementID, rss)
	if err != nil {
		return nil, err
	}
	decisions := map[string]onward.Decision{}
	out := map[string]map[string]money.Kr{}
	for _, p := range pays {
		d, ok := decisions[p.Decision]
		if !ok {
			if d, err = tx.Onward(p.Decision); err != nil {
				return nil, err
			}
			decisions[p.Decision] = d
		}
		for _, l := range p.Lines {
			var comps []string
			var decided []money.Kr
			for _, r := range d.Split.Rows {
				if r.Kommun == l.Kommun {
					comps, decided = append(comps, r.Component), append(decided, r.Amount)
				}
			}
			parts, err := grant.SplitReceived(l.Amount, comps, decided)
			if err != nil {
				return nil, err
			}
			if out[l.Kommun] == nil {
				out[l.Kommun] = map[string]money.Kr{}
			}
			for i, c := range comps {
				out[l.Kommun][c] += parts[i]
			}
		}
	}
	return out, nil
}

// municipalView derives the report's figures from the onward payments.
func (a *App) municipalView(tx *store.Tx, r grant.MunicipalReport) (MunicipalView, error) {
	received, err := kommunReceived(tx, r.Agreement, r.RSS)
	if err != nil {
		return MunicipalView{}, err
	}
	_, code, _ := org.Parse(r.Kommun)
	v := MunicipalView{MunicipalReport: r}
	if m, ok := geo.Kommun(code); ok {
		v.KommunName = m.Name
	}
	reported := r.ByComponent()
	al, _ := a.Allocation(r.Agreement, r.RSS)
	for _, c := range al.Components {
		u := grant.ComponentUse{Component: c.ID, Received: received[code][c.ID], Reported: reported[c.ID]}
		v.Uses = append(v.Uses, ComponentUseView{ComponentUse: u, Label: c.Label})
		v.Received += u.Received
		v.Reported += u.Reported
	}
	return v, nil
}

// municipalRSS checks that the organisation is a municipality and returns
// the RSS it reports to with the RSS's allocation under the agreement.
func (a *App) municipalRSS(agreementID, kommun string) (string, grant.Allocation, error) {
	rss := grant.CoordinatingRSS(kommun)
	if rss == "" {
		return "", grant.Allocation{}, fault.Fields{"kommun": "Ange en kommun, kommun-<kod>."}.Err()
	}
	al, ok := a.Allocation(agreementID, rss)
	if !ok {
		return "", grant.Allocation{}, fault.Fields{"agreement": "Länets RSS har ingen tilldelning i överenskommelsen."}.Err()
	}
	return rss, al, nil
}

// CreateMunicipalReport drafts the municipality's report to its county's
// RSS: its costs per component of the money the RSS passed on. Its
// officers and signatories write it (CanWriteReport); one per municipality
// and agreement (Conflict for a second: correct the first). Costs above
// what the municipality received are allowed and shown, not refused.
func (a *App) CreateMunicipalReport(ctx context.Context, actor auth.Actor, agreementID, kommun string, costs []grant.CostLine) (MunicipalView, error) {
	if err := grant.CanWriteReport(actor, kommun); err != nil {
		return MunicipalView{}, err
	}
	ag, err := a.agreement(agreementID)
	if err != nil {
		return MunicipalView{}, fault.Fields{"agreement": "Okänd överenskommelse."}.Err()
	}
	rss, al, err := a.municipalRSS(ag.ID, kommun)
	if err != nil {
		return MunicipalView{}, err
	}
	if err := grant.ValidateMunicipalCosts(costs, al); err != nil {
		return MunicipalView{}, err
	}
	now := a.Clock.Now()
	r := grant.MunicipalReport{ID: newID("KR-"), Agreement: ag.ID, Kommun: kommun, RSS: rss, Costs: costs,
		Status: grant.MunicipalDraft, CreatedBy: actor.Email, CreatedAt: now, UpdatedAt: now}
	var v MunicipalView
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.InsertMunicipalReport(&r); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return fault.New(fault.Conflict, "%s har redan en redovisning till %s för %s; ändra den i stället.", kommun, rss, ag.ID)
			}
			return err
		}
		var err error
		if v, err = a.municipalView(tx, r); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "municipal_report.create", "municipal_report:"+r.ID, municipalDetail(v)))
		return err
	})
	return v, err
}

func municipalDetail(v MunicipalView) map[string]any {
	d := map[string]any{"agreement": v.Agreement, "kommun": v.Kommun, "rss": v.RSS, "status": v.Status,
		"received_kr": v.Received, "reported_kr": v.Reported}
	if v.Status == grant.MunicipalReturned {
		d["reason"] = v.ReturnReason
	}
	return d
}

// municipalTransition loads a report the actor may see, lets change act on
// it and saves it with its audit entry in one transaction.
func (a *App) municipalTransition(ctx context.Context, actor auth.Actor, id, action string,
	change func(r *grant.MunicipalReport, now time.Time) error) (MunicipalView, error) {
	now := a.Clock.Now()
	var v MunicipalView
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		r, err := a.readableMunicipal(tx, actor, id)
		if err != nil {
			return err
		}
		was := r.Status
		if err := change(&r, now); err != nil {
			return err
		}
		if err := tx.UpdateMunicipalReport(&r); err != nil {
			return err
		}
		if v, err = a.municipalView(tx, r); err != nil {
			return err
		}
		if _, err = tx.Audit(entry(actor, now, action, "municipal_report:"+r.ID, municipalDetail(v))); err != nil || r.Status == was {
			return err
		}
		return a.notifyMunicipal(tx, now, r)
	})
	return v, err
}

func (a *App) readableMunicipal(tx *store.Tx, actor auth.Actor, id string) (grant.MunicipalReport, error) {
	r, err := tx.MunicipalReport(id)
	if err != nil {
		return r, notFound(err, "Kommunredovisningen %s finns inte.", id)
	}
	if grant.CanReadMunicipalReport(actor, r.Kommun) != nil {
		return grant.MunicipalReport{}, fault.New(fault.NotFound, "Kommunredovisningen %s finns inte.", id)
	}
	return r, nil
}

// UpdateMunicipalReport replaces a draft's or returned report's costs (the
// municipality's officers and signatories).
func (a *App) UpdateMunicipalReport(ctx context.Context, actor auth.Actor, id string, costs []grant.CostLine) (MunicipalView, error) {
	return a.municipalTransition(ctx, actor, id, "municipal_report.update", func(r *grant.MunicipalReport, now time.Time) error {
		if err := grant.CanWriteReport(actor, r.Kommun); err != nil {
			return err
		}
		al, _ := a.Allocation(r.Agreement, r.RSS)
		if err := grant.ValidateMunicipalCosts(costs, al); err != nil {
			return err
		}
		return r.CorrectMunicipal(costs, now)
	})
}

// SignMunicipalReport submits the report to the RSS on the word of the
// municipality's signatory.
func (a *App) SignMunicipalReport(ctx context.Context, actor auth.Actor, id string) (MunicipalView, error) {
	return a.municipalTransition(ctx, actor, id, "municipal_report.sign", func(r *grant.MunicipalReport, now time.Time) error {
		if err := grant.CanSign(actor, r.Kommun); err != nil {
			return err
		}
		return r.SignMunicipal(actor, now)
	})
}

// ReturnMunicipalReport sends a submitted report back with a reason (the
// RSS's officers and signatories).
func (a *App) ReturnMunicipalReport(ctx context.Context, actor auth.Actor, id, reason string) (MunicipalView, error) {
	return a.municipalTransition(ctx, actor, id, "municipal_report.return", func(r *grant.MunicipalReport, now time.Time) error {
		if err := grant.CanReviewMunicipalReport(actor, r.Kommun); err != nil {
			return err
		}
		return r.ReturnMunicipal(actor, reason, now)
	})
}

// AcceptMunicipalReport accepts a submitted report (the RSS's officers and
// signatories): its costs then count in the RSS's financial report.
func (a *App) AcceptMunicipalReport(ctx context.Context, actor auth.Actor, id string) (MunicipalView, error) {
	return a.municipalTransition(ctx, actor, id, "municipal_report.accept", func(r *grant.MunicipalReport, now time.Time) error {
		if err := grant.CanReviewMunicipalReport(actor, r.Kommun); err != nil {
			return err
		}
		return r.AcceptMunicipal(actor, now)
	})
}

// MunicipalReport returns one municipal report to those who may see it.
func (a *App) MunicipalReport(ctx context.Context, actor auth.Actor, id string) (MunicipalView, error) {
	var v MunicipalView
	err := a.db.View(ctx, func(tx *store.Tx) error {
		r, err := a.readableMunicipal(tx, actor, id)
		if err != nil {
			return err
		}
		v, err = a.municipalView(tx, r)
		return err
	})
	return v, err
}

// MunicipalRow is one municipality of the RSS's county in the RSS's list:
// what it received, and its report (nil when it has none).
type MunicipalRow struct {
	Kommun   string // kommun-<code>
	Name     string
	Received money.Kr
	Report   *MunicipalView
}

// MunicipalReports lists the RSS's county's municipalities with their
// reports under the agreement: who has reported and who has not. The
// RSS's people and those who read everything see every municipality
// (CanReadOnward); a municipality of the county sees only its own row.
func (a *App) MunicipalReports(ctx context.Context, actor auth.Actor, agreementID, rss string) ([]MunicipalRow, error) {
	if err := grant.CanReadOnward(actor, rss); err != nil {
		return nil, err
	}
	var out []MunicipalRow
	err := a.db.View(ctx, func(tx *store.Tx) error {
		reports, err := tx.MunicipalReports(agreementID, rss, "")
		if err != nil {
			return err
		}
		received, err := kommunReceived(tx, agreementID, rss)
		if err != nil {
			return err
		}
		byKommun := map[string]grant.MunicipalReport{}
		for _, r := range reports {
			byKommun[r.Kommun] = r
		}
		for _, m := range OnwardKommuner(rss) {
			id := org.KommunID(m.Code)
			if grant.CanReadMunicipalReport(actor, id) != nil {
				continue // another municipality of the county
			}
			row := MunicipalRow{Kommun: id, Name: m.Name}
			for _, amt := range received[m.Code] {
				row.Received += amt
			}
			if r, ok := byKommun[id]; ok {
				v, err := a.municipalView(tx, r)
				if err != nil {
					return err
				}
				row.Report = &v
			}
			out = append(out, row)
		}
		return nil
	})
	return out, err
}
