package app

import (
	"narvard/internal/grant"
	"narvard/internal/money"
	"narvard/internal/org"
	"narvard/internal/store"
)

// rssShares derives the RSS's shares from its onward payments and its
// municipalities' reports, and the cost lines the accepted reports add to
// the RSS's accounting: each municipality's costs on a component, counted
// up to what it received of it (costs above it were paid with the
// municipality's own money and cover nothing else).
func rssShares(tx *store.Tx, al grant.Allocation, r grant.FinancialReport) ([]grant.RSSShare, []grant.CostLine, error) {
	received, err := kommunReceived(tx, r.Agreement, r.Recipient)
	if err != nil {
		return nil, nil, err
	}
	reports, err := tx.MunicipalReports(r.Agreement, r.Recipient, "")
	if err != nil {
		return nil, nil, err
	}
	byKommun := map[string]grant.MunicipalReport{}
	for _, m := range reports {
		byKommun[m.Kommun] = m
	}
	own := map[string]money.Kr{}
	for _, c := range r.Costs {
		own[c.Component] += c.Amount
	}
	var shares []grant.RSSShare
	var extra []grant.CostLine
	for _, c := range al.Components {
		s := grant.RSSShare{Component: c.ID, Label: c.Label, Own: grant.ComponentUse{Component: c.ID, Reported: own[c.ID]}}
		for _, m := range OnwardKommuner(r.Recipient) {
			row := grant.KommunShare{Kommun: org.KommunID(m.Code), Name: m.Name,
				ComponentUse: grant.ComponentUse{Component: c.ID, Received: received[m.Code][c.ID]}}
			if rep, ok := byKommun[row.Kommun]; ok {
				row.Status = rep.Status
				if rep.Status == grant.MunicipalAccepted {
					row.Reported = rep.ByComponent()[c.ID]
				}
			}
			if n := row.Counted(); n > 0 {
				extra = append(extra, grant.CostLine{Item: "Redovisat av " + m.Name, Component: c.ID, Amount: n})
			}
			s.Kommuner = append(s.Kommuner, row)
		}
		shares = append(shares, s)
	}
	return shares, extra, nil
}

// completeShares fills in the RSS's own kept part (its share of what it
// was paid less what it passed on) and the totals once the accounting has
// split what was paid on the components.
func completeShares(shares []grant.RSSShare, acc grant.Accounting) {
	for i := range shares {
		s := &shares[i]
		var passed, reported money.Kr
		for _, k := range s.Kommuner {
			passed += k.Received
			reported += k.Reported
		}
		for _, c := range acc.Components {
			if c.ID == s.Component {
				s.Own.Received = c.Paid - passed
			}
		}
		s.Total = grant.ComponentUse{Component: s.Component, Received: s.Own.Received + passed, Reported: s.Own.Reported + reported}
	}
}

// isRSS reports whether the recipient is an RSS with municipalities.
func isRSS(recipient string) bool {
	kind, _, _ := org.Parse(recipient)
	return kind == org.KindRSS && len(OnwardKommuner(recipient)) > 0
}
