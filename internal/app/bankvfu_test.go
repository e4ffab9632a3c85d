package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/grant"
	"narvard/internal/ledger"
	"narvard/internal/money"
	"narvard/internal/org"
	"narvard/internal/store"
)

// vfuPaidBatch closes a VFU round where region-25 and Luleå increase their
// weeks and makes Socialstyrelsen's attested payout batch of it; the clock
// is then in April.
func vfuPaidBatch(t *testing.T) (*App, BatchView, auth.Actor) {
	t.Helper()
	ctx := context.Background()
	a, clk := newTestApp(t, "2023-03-01T10:00:00+01:00")
	admin := addUser(t, a, "admin@narvard.test", org.Kammarkollegiet, auth.Admin)
	for rec, f := range map[string]grant.VFUFigures{
		"region-25":   {WeeksBase: 400, PlacesBase: 80, WeeksCurrent: 470, PlacesCurrent: 90},
		"kommun-2580": {WeeksBase: 90, PlacesBase: 15, WeeksCurrent: 111, PlacesCurrent: 18},
	} {
		signer := addUser(t, a, "sign@"+rec+".se", rec, auth.Signatory)
		r, err := a.CreateVFUReport(ctx, signer, "gnv-2023", rec, f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.SignVFUReport(ctx, signer, r.ID); err != nil {
			t.Fatal(err)
		}
		o, _ := a.Organisation(ctx, rec)
		if _, err := a.UpdateOrganisation(ctx, admin, rec, OrganisationEdit{Name: o.Name, OrgNr: o.OrgNr, Host: o.Host, Address: o.Address, Bankgiro: "5050-1055"}); err != nil {
			t.Fatal(err)
		}
	}
	follow := addUser(t, a, "uppfoljning@socialstyrelsen.se", org.Socialstyrelsen, auth.FollowUp)
	if _, err := a.CloseVFURound(ctx, follow, "gnv-2023"); err != nil {
		t.Fatal(err)
	}
	readyToPay(t, a, org.Socialstyrelsen)
	sosPay := addUser(t, a, "pay@socialstyrelsen.se", org.Socialstyrelsen, auth.Payer)
	b, err := a.CreateVFUBatch(ctx, sosPay, "gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	attest(t, a, b.ID)
	clk.Set(time.Date(2023, 4, 20, 9, 0, 0, 0, clock.Stockholm))
	return a, b, sosPay
}

// debitFile is a camt.054 with one booked debit per (end-to-end id,
// payment information id, amount, day).
func debitFile(msg string, debits ...[4]string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>` + msg + `</MsgId></GrpHdr><Ntfctn>`)
	for _, d := range debits {
		b.WriteString(`<Ntry><Amt Ccy="SEK">` + d[2] + `</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>` + d[3] + `</Dt></BookgDt><NtryDtls>`)
		if d[1] != "" {
			b.WriteString(`<Btch><PmtInfId>` + d[1] + `</PmtInfId></Btch>`)
		}
		if d[0] != "" {
			b.WriteString(`<TxDtls><Refs><EndToEndId>` + d[0] + `</EndToEndId></Refs></TxDtls>`)
		}
		b.WriteString(`</NtryDtls></Ntry>`)
	}
	b.WriteString(`</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`)
	return []byte(b.String())
}

func kr(k money.Kr) string { return strings.ReplaceAll(strings.TrimSuffix(k.String(), " kr"), " ", "") }

// TestBankMatchesVFUBatch: Socialstyrelsen's bank file matches the lines
// of its VFU payout batch by their end-to-end ids (the pain.001's), each
// on its own day; Kammarkollegiet's payer importing the same debits
// matches nothing, as the batch is paid from Socialstyrelsen's account; a
// whole-batch debit confirms a VFU batch too.
func TestBankMatchesVFUBatch(t *testing.T) {
	ctx := context.Background()
	a, b, sosPay := vfuPaidBatch(t)
	if len(b.VFU) != 2 {
		t.Fatalf("batch has %d VFU lines", len(b.VFU))
	}
	file, err := a.PaymentFile(ctx, sosPay, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	first, second := vfuLineID(b.ID, 0), vfuLineID(b.ID, 1)
	if !strings.Contains(string(file), "<EndToEndId>"+first+"</EndToEndId>") || !strings.Contains(string(file), "<EndToEndId>"+second+"</EndToEndId>") {
		t.Fatalf("the pain.001 has not the line ids %s, %s", first, second)
	}
	kkPay := addUser(t, a, "pay@kammarkollegiet.se", org.Kammarkollegiet, auth.Payer)
	v, err := a.ImportBankNotification(ctx, kkPay, debitFile("KK1", [4]string{first, "", kr(b.VFU[0].Amount), "2023-04-14"}))
	if err != nil || len(v.Matched()) != 0 || !strings.Contains(v.Lines[0].Note, "Socialstyrelsens konto") {
		t.Fatalf("Kammarkollegiet's file: %v, %+v", err, v.Lines)
	}
	v, err = a.ImportBankNotification(ctx, sosPay, debitFile("S1", [4]string{first, "", kr(b.VFU[0].Amount + 1), "2023-04-14"},
		[4]string{first, "", kr(b.VFU[0].Amount), "2023-04-14"}))
	if err != nil || len(v.Matched()) != 1 || len(v.Unmatched()) != 1 || !strings.Contains(v.Matched()[0].Note, "(1 av 2)") || v.Matched()[0].Recipient != b.VFU[0].Recipient {
		t.Fatalf("first line: %v, %+v", err, v.Lines)
	}
	if got, _ := a.Batch(ctx, sosPay, b.ID); got.Confirmed() {
		t.Fatal("confirmed with one line of two")
	}
	v, err = a.ImportBankNotification(ctx, sosPay, debitFile("S2", [4]string{second, "", kr(b.VFU[1].Amount), "2023-04-17"}))
	if err != nil || len(v.Matched()) != 1 || !strings.Contains(v.Lines[0].Note, "bekräftad som betald") {
		t.Fatalf("second line: %v, %+v", err, v.Lines)
	}
	got, _ := a.Batch(ctx, sosPay, b.ID)
	if !got.Confirmed() || got.PaidOn.Format(time.DateOnly) != "2023-04-17" {
		t.Errorf("batch: confirmed %v on %s", got.Confirmed(), got.PaidOn)
	}
	err = a.db.View(ctx, func(tx *store.Tx) error {
		for _, l := range b.VFU {
			bal, err := tx.Balances(ledger.RecipientAccounts("gnv-2023", l.Recipient))
			if err != nil {
				return err
			}
			if bal[ledger.VFUPaid("gnv-2023", l.Recipient)] != l.Amount || bal[ledger.VFUAllocated("gnv-2023", l.Recipient)] != 0 {
				t.Errorf("%s: paid %d of %d", l.Recipient, bal[ledger.VFUPaid("gnv-2023", l.Recipient)], l.Amount)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if v, err = a.ImportBankNotification(ctx, sosPay, debitFile("S3", [4]string{second, "", kr(b.VFU[1].Amount), "2023-04-17"})); err != nil || len(v.Matched()) != 0 {
		t.Errorf("a line paid twice: %v, %+v", err, v.Lines)
	}
	checkLedger(t, a)
}

func TestBankMatchesWholeVFUBatch(t *testing.T) {
	ctx := context.Background()
	a, b, sosPay := vfuPaidBatch(t)
	total := b.VFU[0].Amount + b.VFU[1].Amount
	v, err := a.ImportBankNotification(ctx, sosPay, debitFile("W1", [4]string{"", b.ID + "-1", kr(total), "2023-04-18"}))
	if err != nil || len(v.Matched()) != 2 {
		t.Fatalf("whole batch: %v, %+v", err, v.Lines)
	}
	if got, _ := a.Batch(ctx, sosPay, b.ID); !got.Confirmed() || got.PaidOn.Format(time.DateOnly) != "2023-04-18" {
		t.Errorf("batch: confirmed %v on %s", got.Confirmed(), got.PaidOn)
	}
	checkLedger(t, a)
}

// TestBankCreditOfAnotherAgency: Socialstyrelsen's file with a credit for
// a debt owed to Kammarkollegiet records nothing and says whose it is.
func TestBankCreditOfAnotherAgency(t *testing.T) {
	s := newBankScenario(t)
	ctx := context.Background()
	sosPay := addUser(t, s.a, "pay@socialstyrelsen.se", org.Socialstyrelsen, auth.Payer)
	before := ledgerSnapshot(t, s.a)
	file := []byte(`<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>SOS-CREDIT</MsgId></GrpHdr><Ntfctn><Ntry><Amt Ccy="SEK">1000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2024-04-08</Dt></BookgDt><NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>` + s.ocrA + `</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`)
	v, err := s.a.ImportBankNotification(ctx, sosPay, file)
	if err != nil || len(v.Matched()) != 0 || len(v.Lines) != 1 || !strings.Contains(v.Lines[0].Note, "ska betalas till Kammarkollegiet") {
		t.Fatalf("another agency's debt: %v, %+v", err, v.Lines)
	}
	if after := ledgerSnapshot(t, s.a); after != before {
		t.Errorf("recorded: %s → %s", before, after)
	}
}
