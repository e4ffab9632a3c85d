package web

import (
	"context"
	"strings"
	"testing"

	"narvard/internal/auth"
	"narvard/internal/grant"
	"narvard/internal/org"
)

// TestWorklistIsTheAgencys: each paying agency's payer has its own work
// list: its name in the heading, only the approved requisitions and the
// batches its agency pays.
func TestWorklistIsTheAgencys(t *testing.T) {
	h, _ := newHandler(t, nil)
	a := handlerApp
	ctx := context.Background()
	kk := signedInAs(t, h, "pay@kk.se", org.Kammarkollegiet, auth.Payer)
	sos := signedInAs(t, h, "pay@sos.se", org.Socialstyrelsen, auth.Payer)
	officer, _ := a.AddUser(ctx, "o@nll.se", "", "region-25", auth.RecipientOfficer, "ett långt lösenord")
	signatory, _ := a.AddUser(ctx, "s@nll.se", "", "region-25", auth.Signatory, "ett långt lösenord")
	f := grant.Form{Agreement: "gnv-2023", Recipient: "region-25", Amount: 1000, PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
		Account: grant.Account{Type: "bankgiro", Number: "5050-1055"}, PaymentReference: "GNV2023",
		Contact: grant.Contact{Name: "Anna", Email: "anna@example.se", Phone: "0920-10000"}, AgreementDnr: "S2023/1", PaymentDecisionDnr: "S2023/2"}
	r, err := a.CreateRequisition(ctx, officer.Actor(), f)
	if err == nil {
		_, err = a.SignRequisition(ctx, signatory.Actor(), r.ID)
	}
	if err == nil {
		_, err = a.ApproveRequisition(ctx, auth.Actor{Email: "pay@kk.se", Org: org.Kammarkollegiet, Role: auth.Payer}, r.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		who          *browser
		heading      string
		seesApproved bool
	}{
		{kk, "Kammarkollegiets arbetslista", true},
		{sos, "Socialstyrelsens arbetslista", false},
	} {
		page := tc.who.do("GET", "/kammarkollegiet?agreement=gnv-2023", nil).Body.String()
		if !strings.Contains(page, "<h1>"+tc.heading+"</h1>") {
			t.Errorf("%s: heading missing", tc.heading)
		}
		if got := strings.Contains(page, `value="`+r.ID+`"`); got != tc.seesApproved {
			t.Errorf("%s: approved requisition %s offered = %v", tc.heading, r.ID, got)
		}
	}
}
