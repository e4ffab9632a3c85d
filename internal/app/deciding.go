package app

import (
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
)

// canDecideFor checks that the actor is a payer (grant.CanDecide) of the
// agency that decides on the recipient's requisitions, financial reports,
// repayments and reclaims under the agreement (grant.CanDecideFor): the
// one that pays its allocation, or the largest part of it, to which
// unspent money is due back (debtAgency).
func (a *App) canDecideFor(actor auth.Actor, agreementID, recipient string) error {
	if err := grant.CanDecide(actor); err != nil {
		return err
	}
	ag, err := a.agreement(agreementID)
	if err != nil {
		return err
	}
	al, ok := a.Allocation(agreementID, recipient)
	if !ok {
		return fault.New(fault.NotFound, "Mottagaren %s har ingen tilldelning i %s.", recipient, agreementID)
	}
	return grant.CanDecideFor(actor, debtAgency(ag, al))
}

// MayDecide reports whether the actor may decide on the recipient's
// requisitions, financial reports, repayments and reclaims under the
// agreement, for the pages that offer them.
func (a *App) MayDecide(actor auth.Actor, agreementID, recipient string) bool {
	return a.canDecideFor(actor, agreementID, recipient) == nil
}
