package web

import (
	"context"
	"testing"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/grant"
)

// readyToPay has an admin give Kammarkollegiet its own account, as the
// payment batches need.
func readyToPay(t *testing.T, a *app.App) {
	t.Helper()
	admin := auth.Actor{Email: "admin@kk.se", Org: "kammarkollegiet", Role: auth.Admin}
	if _, err := a.UpdateOrganisation(context.Background(), admin, "kammarkollegiet", app.OrganisationEdit{Name: "Kammarkollegiet", Bankgiro: "5050-1055"}); err != nil {
		t.Fatal(err)
	}
}

// attestedBatch walks a requisition of 1 000 kr for Region Norrbotten to
// approved and puts it in a batch made by payer and attested by attester,
// not yet confirmed.
func attestedBatch(t *testing.T, a *app.App, officer, signatory, payer, attester auth.Actor) (grant.Requisition, app.BatchView) {
	t.Helper()
	ctx := context.Background()
	f := grant.Form{Agreement: "gnv-2023", Recipient: "region-25", Amount: 1000, PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
		Account: grant.Account{Type: "bankgiro", Number: "5050-1055"}, PaymentReference: "GNV2023",
		Contact: grant.Contact{Name: "Anna", Email: "anna@example.se", Phone: "0920-10000"}, AgreementDnr: "S2023/1", PaymentDecisionDnr: "S2023/2"}
	r, err := a.CreateRequisition(ctx, officer, f)
	if err == nil {
		_, err = a.SignRequisition(ctx, signatory, r.ID)
	}
	if err == nil {
		_, err = a.ApproveRequisition(ctx, payer, r.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	readyToPay(t, a)
	batch, err := a.CreateBatch(ctx, payer, "gnv-2023", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.AttestBatch(ctx, attester, batch.ID); err != nil {
		t.Fatal(err)
	}
	return r, batch
}
