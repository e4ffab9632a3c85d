package app

import (
	"fmt"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
	"narvard/internal/money"
	"narvard/internal/verify"
)

// AllocationTable computes one of the agreement's allocation tables,
// exactly, from the agreement's own figures. The tables are public: the
// agreement and its annexes are.
func (a *App) AllocationTable(agreementID string, table agreement.TableID) (*alloc.Table, error) {
	ag, err := a.agreement(agreementID)
	if err != nil {
		return nil, err
	}
	t, err := alloc.Build(ag, alloc.FromAgreement(ag), table)
	if err != nil {
		return nil, fmt.Errorf("%s: tabell %s: %w", ag.ID, table, err)
	}
	return t, nil
}

// AnnexFindings checks the agreement's published annex tables against the
// exact computation from their stated keys and lists the cells that depart
// by more than tolerance. Public, as AllocationTable.
func (a *App) AnnexFindings(agreementID string, tolerance money.Kr) ([]verify.Finding, error) {
	ag, err := a.agreement(agreementID)
	if err != nil {
		return nil, err
	}
	findings, err := verify.Check(ag, tolerance)
	if err != nil {
		return nil, fmt.Errorf("%s: granskning: %w", ag.ID, err)
	}
	return findings, nil
}
