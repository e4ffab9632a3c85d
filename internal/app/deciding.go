package app

import (
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
)

// decidingAgency is the paying agency whose payers decide on the
// recipient's requisitions, financial reports, repayments and reclaims
// under the agreement: the one that pays its allocation, or the largest
// part of it, to which unspent money is due back (debtAgency).
func (a *App) decidingAgency(agreementID, recipient string) (string, error) {
	ag, err := a.agreement(agreementID)
	if err != nil {
		return "", err
	}
	al, ok := a.Allocation(agreementID, recipient)
	if !ok {
		return "", fault.New(fault.NotFound, "Mottagaren %s har ingen tilldelning i %s.", recipient, agreementID)
	}
	return debtAgency(ag, al), nil
}

// canDecideFor checks that the actor is a payer (grant.CanDecide) of the
// agency that decides on the recipient's money (grant.CanDecideFor).
func (a *App) canDecideFor(actor auth.Actor, agreementID, recipient string) error {
	if err := grant.CanDecide(actor); err != nil {
		return err
	}
	agency, err := a.decidingAgency(agreementID, recipient)
	if err != nil {
		return err
	}
	return grant.CanDecideFor(actor, agency)
}

// MayDecide reports whether the actor may decide on the recipient's
// requisitions, financial reports, repayments and reclaims under the
// agreement, for the pages that offer them.
func (a *App) MayDecide(actor auth.Actor, agreementID, recipient string) bool {
	return a.canDecideFor(actor, agreementID, recipient) == nil
}
