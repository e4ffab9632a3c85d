package web_test

import (
	"context"
	"testing"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/demo"
	"narvard/internal/grant"
)

// axeIDs are the documents the demo lacks that TestBrowserAccessibility
// adds so that every page has one to show: a draft requisition of Region
// Västerbotten (its officer is added), a financial report of Jämtland's
// RSS, a returned municipal report, a request for underlag, a bank
// notification and Åre's returned VFU report; and SKR's submitted
// requisition.
type axeIDs struct {
	Requisition, Submitted, Report, Municipal, DocRequest, Bank, VFU string
}

// vbOfficer is the officer axeFixtures adds for Region Västerbotten.
const vbOfficer = "handlaggare@vasterbotten.test"

func axeFixtures(t *testing.T, a *app.App) axeIDs {
	t.Helper()
	ctx := context.Background()
	actor := func(email string) auth.Actor {
		for _, l := range demo.Logins {
			if l.Email == email {
				return auth.Actor{Email: l.Email, Name: l.Name, Org: l.Org, Role: l.Role}
			}
		}
		t.Fatalf("no demo user %s", email)
		return auth.Actor{}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var ids axeIDs
	vb, err := a.AddUser(ctx, vbOfficer, "Vilma Handläggare", "region-24", auth.RecipientOfficer, demo.Password)
	must(err)
	contact := grant.Contact{Name: "Vilma Handläggare", Email: vbOfficer, Phone: "090-10 00 00"}
	r, err := a.CreateRequisition(ctx, vb.Actor(), grant.Form{Agreement: "gnv-2023", Recipient: "region-24", Amount: 1000000,
		PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31", Account: grant.Account{Type: "bankgiro", Number: "5050-1055"},
		PaymentReference: "GNV 2023", Contact: contact, AgreementDnr: "S2023/00417", PaymentDecisionDnr: "S2023/03102"})
	must(err)
	ids.Requisition = r.ID
	reqs, err := a.Requisitions(ctx, actor("utbetalare@kammarkollegiet.demo"), grant.RequisitionFilter{Agreement: "gnv-2023", Status: grant.Submitted})
	must(err)
	for _, r := range reqs {
		ids.Submitted = r.ID
	}
	rss := actor("handlaggare@rss-jamtland.demo")
	al, _ := a.Allocation("gnv-2023", "rss-23")
	rep, err := a.CreateReport(ctx, rss, grant.ReportForm{Agreement: "gnv-2023", Recipient: "rss-23", PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
		Costs: []grant.CostLine{{Item: "Personal", Component: al.Components[0].ID, Amount: 1000}}, Contact: contact,
		AgreementDnr: "S2023/00417", PaymentDecisionDnr: "S2023/03102"})
	must(err)
	ids.Report = rep.ID
	rows, err := a.MunicipalReports(ctx, rss, "gnv-2023", "rss-23")
	must(err)
	for _, row := range rows {
		if row.Report != nil && row.Report.Status == grant.MunicipalSubmitted {
			_, err := a.ReturnMunicipalReport(ctx, rss, row.Report.ID, "Kostnaderna saknar underlag.")
			must(err)
			ids.Municipal = row.Report.ID
		}
	}
	d, err := a.RequestDocuments(ctx, actor("utbetalare@kammarkollegiet.demo"), app.DocRequestForm{Agreement: "gnv-2023", Recipient: "region-23",
		Text: "Skicka er plan för medlen.", DueDate: "2023-12-15"})
	must(err)
	ids.DocRequest = d.ID
	b, err := a.ImportBankNotification(ctx, actor("utbetalare@kammarkollegiet.demo"), []byte(axeCamt))
	must(err)
	ids.Bank = b.ID
	vfus, err := a.VFUReports(ctx, actor("uppfoljare@socialstyrelsen.demo"), "gnv-2023")
	must(err)
	for _, v := range vfus {
		if v.Recipient == "kommun-2321" {
			ids.VFU = v.ID
		}
	}
	return ids
}

const axeCamt = `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>AXE-1</MsgId></GrpHdr><Ntfctn>
<Ntry><Amt Ccy="SEK">77.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2023-11-14</Dt></BookgDt>
<NtryDtls><TxDtls><RmtInf><Ustrd>Gåva</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`
