package app

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/bank"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/mail"
	"narvard/internal/money"
	"narvard/internal/ocr"
	"narvard/internal/org"
	"narvard/internal/store"
)

// reportWithDue spends everything but due, taken from a component that is
// not earmarked, so the report makes exactly due due.
func reportWithDue(t *testing.T, a *App, recipient string, due money.Kr) grant.ReportForm {
	t.Helper()
	f := reportForm(a, recipient, 100)
	al, _ := a.Allocation("gnv-2023", recipient)
	for i, c := range al.Components {
		if !c.Earmarked && c.Amount >= due {
			f.Costs[i].Amount -= due
			return f
		}
	}
	t.Fatalf("%s has no component of %d kr", recipient, due)
	return f
}

// fileReportWithDue drafts, reviews and signs a report that makes due due.
func fileReportWithDue(t *testing.T, a *App, officer, cfo, signatory auth.Actor, recipient string, due money.Kr) ReportView {
	t.Helper()
	ctx := context.Background()
	v, err := a.CreateReport(ctx, officer, reportWithDue(t, a, recipient, due))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ReviewReport(ctx, cfo, v.ID, grant.Review{Alternative: 1}); err != nil {
		t.Fatal(err)
	}
	if v, err = a.SignReport(ctx, signatory, v.ID); err != nil || v.Due != due {
		t.Fatalf("sign: %v, due %d, want %d", err, v.Due, due)
	}
	return v
}

// BankScenario is the test notification's world: two recipients that owe
// money and a batch of two payments not yet confirmed.
type bankScenario struct {
	a          *App
	clk        *clock.Frozen
	payer      auth.Actor
	ocrA, ocrB string // region-25 owes 2 500 000 kr, rss-23 1 000 000 kr
	batch      BatchView
	file       []byte // testdata/camt054.xml filled in
}

func newBankScenario(t *testing.T) *bankScenario { return newBankScenarioWith(t, true) }

// newBankScenarioWith is newBankScenario with the batch attested or not.
func newBankScenarioWith(t *testing.T, attested bool) *bankScenario {
	t.Helper()
	ctx := context.Background()
	a, clk := newTestApp(t, "2023-11-15T10:00:00+01:00")
	s := &bankScenario{a: a, clk: clk, payer: addUser(t, a, "p@kammarkollegiet.se", "kammarkollegiet", auth.Payer)}
	type who struct{ officer, signatory, cfo auth.Actor }
	people := map[string]who{}
	for _, r := range []string{"region-25", "rss-23", "region-01", "region-03"} {
		people[r] = who{addUser(t, a, "o@"+r+".se", r, auth.RecipientOfficer), addUser(t, a, "s@"+r+".se", r, auth.Signatory), addUser(t, a, "c@"+r+".se", r, auth.CFO)}
	}
	for _, r := range []string{"region-25", "rss-23"} {
		pay(t, a, people[r].officer, people[r].signatory, s.payer, r)
	}
	var reqs []grant.Requisition
	for _, r := range []string{"region-01", "region-03"} {
		al, _ := a.Allocation("gnv-2023", r)
		req, err := a.CreateRequisition(ctx, people[r].officer, form(r, al.Total()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.SignRequisition(ctx, people[r].signatory, req.ID); err != nil {
			t.Fatal(err)
		}
		if req, err = a.ApproveRequisition(ctx, s.payer, req.ID); err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, req)
	}
	var err error
	if s.batch, err = a.CreateBatch(ctx, s.payer, "gnv-2023", []string{reqs[0].ID, reqs[1].ID}); err != nil {
		t.Fatal(err)
	}
	if attested {
		attest(t, a, s.batch.ID)
	}

	clk.Set(time.Date(2024, 3, 20, 10, 0, 0, 0, clock.Stockholm))
	p := people["region-25"]
	fileReportWithDue(t, a, p.officer, p.cfo, p.signatory, "region-25", 2_500_000)
	p = people["rss-23"]
	fileReportWithDue(t, a, p.officer, p.cfo, p.signatory, "rss-23", 1_000_000)
	s.ocrA, s.ocrB = dueOCR(t, a, "region-25"), dueOCR(t, a, "rss-23")

	clk.Set(time.Date(2024, 4, 16, 9, 0, 0, 0, clock.Stockholm))
	b, err := os.ReadFile("../bank/testdata/notification.xml")
	if err != nil {
		t.Fatal(err)
	}
	kr := func(k money.Kr) string {
		return strings.TrimSuffix(strings.ReplaceAll(k.String(), " ", ""), "kr") + ".00"
	}
	s.file = []byte(strings.NewReplacer("OCR_A", s.ocrA, "OCR_B", s.ocrB, "BATCH", s.batch.ID+"-1",
		"REQ_1", reqs[0].ID, "REQ_2", reqs[1].ID, "AMOUNT_BATCH", kr(reqs[0].Amount+reqs[1].Amount),
		"AMOUNT_1", kr(reqs[0].Amount), "AMOUNT_2", kr(reqs[1].Amount)).Replace(string(b)))
	return s
}

// dueOCR is the OCR reference of the recipient's one open debt.
func dueOCR(t *testing.T, a *App, recipient string) string {
	t.Helper()
	st := status(t, a, recipient)
	if len(st.Dues) != 1 || !ocr.Valid(st.Dues[0].OCR) || st.Dues[0].Outstanding != st.Due {
		t.Fatalf("%s: dues %+v, due %d", recipient, st.Dues, st.Due)
	}
	return st.Dues[0].OCR
}

func status(t *testing.T, a *App, recipient string) Status {
	t.Helper()
	all, err := a.Matrix(context.Background(), auth.Actor{Email: "x", Org: "kammarkollegiet", Role: auth.Auditor}, "gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range all {
		if st.Recipient == recipient {
			return st
		}
	}
	t.Fatalf("no status for %s", recipient)
	return Status{}
}

func TestDebtsCarryOCRAndDueDate(t *testing.T) {
	s := newBankScenario(t)
	st := status(t, s.a, "region-25")
	d := st.Dues[0]
	if d.Kind != grant.DebtRepayment || d.Outstanding != 2_500_000 || d.DueOn.Format(time.DateOnly) != "2024-03-31" ||
		d.Agency != "kammarkollegiet" || d.Bankgiro != "5050-1055" || d.BankgiroText() != "bankgiro 5050-1055" || !strings.Contains(d.Reason, "ekonomiska redovisningen") {
		t.Errorf("due = %+v", d)
	}
	if s.ocrA == s.ocrB {
		t.Errorf("two debts share the reference %s", s.ocrA)
	}
	ctx := context.Background()
	own := addUser(t, s.a, "l@region-25.se", "region-25", auth.RecipientOfficer)
	if due, pdf, err := s.a.DebtLetter(ctx, own, d.ID); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) || due.OCR != s.ocrA {
		t.Errorf("letter: %v, %q", err, due.OCR)
	}
	other := addUser(t, s.a, "l@rss-23.se", "rss-23", auth.RecipientOfficer)
	if _, _, err := s.a.DebtLetter(ctx, other, d.ID); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("another recipient's letter: %v", err)
	}

	// A reclaim decision is a debt of its own, with its own reference.
	s.clk.Set(time.Date(2024, 4, 20, 9, 0, 0, 0, clock.Stockholm))
	c, err := s.a.IssueReclaim(ctx, s.payer, grant.Reclaim{Agreement: "gnv-2023", Recipient: "region-25", Amount: 1000, Reason: "Redovisningen visar fel ändamål."})
	if err != nil {
		t.Fatal(err)
	}
	st = status(t, s.a, "region-25")
	if len(st.Dues) != 2 || st.Dues[1].OCR != c.OCR || st.Dues[1].Kind != grant.DebtReclaim || st.Dues[1].DueOn.Format(time.DateOnly) != "2024-05-20" || c.OCR == s.ocrA {
		t.Errorf("dues after reclaim = %+v", st.Dues)
	}
}

func TestBankNotification(t *testing.T) {
	s := newBankScenario(t)
	ctx := context.Background()
	v, err := s.a.ImportBankNotification(ctx, s.payer, s.file)
	if err != nil {
		t.Fatal(err)
	}
	checkLedger(t, s.a)
	type line struct {
		kind   bank.LineKind
		amount bank.Ore
		ref    string
	}
	var got []line
	for _, l := range v.Lines {
		got = append(got, line{l.Kind, l.Amount, l.Reference})
	}
	r1, r2 := s.batch.Requisitions[0], s.batch.Requisitions[1]
	want := []line{
		{bank.LineRepayment, 250_000_000, s.ocrA},
		{bank.LineRepayment, 100_000_000, s.ocrB},
		{bank.LineExcess, 50_000, s.ocrB},
		{bank.LineUnmatched, 10_000_000, "99999999999944"},
		{bank.LineUnmatched, 970_050, s.ocrA},
		{bank.LinePayment, bank.Ore(r1.Amount) * 100, r1.ID},
		{bank.LinePayment, bank.Ore(r2.Amount) * 100, r2.ID},
		{bank.LineUnmatched, 12_500, "AVGIFT-APRIL"},
	}
	if len(got) != len(want) {
		t.Fatalf("lines = %+v", v.Lines)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %+v, want %+v (%s)", i+1, got[i], want[i], v.Lines[i].Note)
		}
	}
	if len(v.Matched()) != 4 || len(v.Unmatched()) != 4 {
		t.Errorf("matched %d, unmatched %d", len(v.Matched()), len(v.Unmatched()))
	}
	for _, r := range []string{"region-25", "rss-23"} {
		if st := status(t, s.a, r); st.Due != 0 || len(st.Dues) != 0 {
			t.Errorf("%s still owes %d: %+v", r, st.Due, st.Dues)
		}
	}
	reps, _ := s.a.Repayments(ctx, s.payer, "gnv-2023", "region-25")
	if len(reps) != 1 || reps[0].ReceivedOn.Format(time.DateOnly) != "2024-04-12" || reps[0].Reference != s.ocrA || reps[0].Amount != 2_500_000 {
		t.Errorf("repayments = %+v", reps)
	}
	b, err := s.a.Batch(ctx, s.payer, s.batch.ID)
	if err != nil {
		t.Fatal(err)
	}
	if b.PaidOn.Format(time.DateOnly) != "2024-04-10" || b.ConfirmedBy != s.payer.Email {
		t.Errorf("batch = %+v", b.Batch)
	}
	for _, r := range b.Requisitions {
		if r.Status != grant.Paid || r.PaidOn.Format(time.DateOnly) != "2024-04-10" {
			t.Errorf("requisition %s: %s on %s", r.ID, r.Status, r.PaidOn)
		}
	}
	checkPaidMails(t, s.a, b.Requisitions)
	if st := status(t, s.a, r1.Recipient); st.Paid != r1.Amount {
		t.Errorf("%s paid %d", r1.Recipient, st.Paid)
	}

	// Twice: nothing more is recorded; the first import is returned.
	before := ledgerSnapshot(t, s.a)
	again, err := s.a.ImportBankNotification(ctx, s.payer, s.file)
	if err != nil || !again.AlreadyImported || again.ID != v.ID || len(again.Lines) != len(v.Lines) {
		t.Fatalf("again: %v, %+v", err, again.Import)
	}
	if after := ledgerSnapshot(t, s.a); after != before {
		t.Errorf("the second import changed the ledger: %s → %s", before, after)
	}
	// The same message id with other content is refused.
	other := []byte(strings.Replace(string(s.file), "125.00", "126.00", 1))
	if _, err := s.a.ImportBankNotification(ctx, s.payer, other); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("same id, other file: %v", err)
	}
	got2, err := s.a.BankNotification(ctx, s.payer, v.ID)
	if err != nil || len(got2.Unmatched()) != 4 || got2.MessageID != "CAMT054-20240415-0001" {
		t.Errorf("read back: %v, %+v", err, got2)
	}
	list, err := s.a.BankNotifications(ctx, s.payer)
	if err != nil || len(list) != 1 {
		t.Errorf("list: %v, %d", err, len(list))
	}
}

func TestBankNotificationRefusedWhole(t *testing.T) {
	s := newBankScenario(t)
	ctx := context.Background()
	before := ledgerSnapshot(t, s.a)
	for name, doc := range map[string]string{
		"truncated":   string(s.file[:len(s.file)-40]),
		"camt.053":    strings.ReplaceAll(string(s.file), "camt.054.001.02", "camt.053.001.02"),
		"bad amount":  strings.Replace(string(s.file), "125.00", "12,5", 1),
		"no msgid":    strings.Replace(string(s.file), "<MsgId>CAMT054-20240415-0001</MsgId>", "", 1),
		"not xml":     "hej",
		"bad booking": strings.Replace(string(s.file), "2024-04-15</Dt></BookgDt>", "15/4</Dt></BookgDt>", 1),
	} {
		_, err := s.a.ImportBankNotification(ctx, s.payer, []byte(doc))
		if fault.CodeOf(err) != fault.Invalid || !strings.Contains(err.Error(), "inget registrerades") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if after := ledgerSnapshot(t, s.a); after != before {
		t.Errorf("a refused file changed the ledger")
	}
	if list, _ := s.a.BankNotifications(ctx, s.payer); len(list) != 0 {
		t.Errorf("a refused file was stored: %d", len(list))
	}
	officer := addUser(t, s.a, "x@region-25.se", "region-25", auth.RecipientOfficer)
	if _, err := s.a.ImportBankNotification(ctx, officer, s.file); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("a recipient imports: %v", err)
	}
}

func TestBankNotificationPartOfABatch(t *testing.T) {
	s := newBankScenario(t)
	ctx := context.Background()
	// Only the first payment of the batch: matched, the batch stays open;
	// the second in a later file confirms it, each on its own day.
	r1, r2 := s.batch.Requisitions[0], s.batch.Requisitions[1]
	one := func(id, req string, amount money.Kr, day string) []byte {
		return []byte(`<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>` + id + `</MsgId></GrpHdr><Ntfctn><Ntry><Amt Ccy="SEK">` + strings.ReplaceAll(strings.TrimSuffix(amount.String(), " kr"), " ", "") + `</Amt>
<CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>` + day + `</Dt></BookgDt>
<NtryDtls><TxDtls><Refs><EndToEndId>` + req + `</EndToEndId></Refs></TxDtls></NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`)
	}
	v, err := s.a.ImportBankNotification(ctx, s.payer, one("M1", r1.ID, r1.Amount, "2024-04-08"))
	if err != nil || len(v.Matched()) != 1 || !strings.Contains(v.Lines[0].Note, "(1 av 2)") {
		t.Fatalf("first: %v, %+v", err, v.Lines)
	}
	if b, _ := s.a.Batch(ctx, s.payer, s.batch.ID); !b.ConfirmedAt.IsZero() {
		t.Fatal("batch confirmed with one of two payments")
	}
	// The same payment again in another file is listed, not matched twice.
	if v, err = s.a.ImportBankNotification(ctx, s.payer, one("M1b", r1.ID, r1.Amount, "2024-04-08")); err != nil || len(v.Unmatched()) != 1 {
		t.Fatalf("repeat: %v, %+v", err, v.Lines)
	}
	// A date after today is listed, not recorded.
	if v, err = s.a.ImportBankNotification(ctx, s.payer, one("M2x", r2.ID, r2.Amount, "2024-04-17")); err != nil || len(v.Unmatched()) != 1 {
		t.Fatalf("future: %v, %+v", err, v.Lines)
	}
	if v, err = s.a.ImportBankNotification(ctx, s.payer, one("M2", r2.ID, r2.Amount, "2024-04-09")); err != nil || len(v.Matched()) != 1 {
		t.Fatalf("second: %v, %+v", err, v.Lines)
	}
	b, _ := s.a.Batch(ctx, s.payer, s.batch.ID)
	if b.PaidOn.Format(time.DateOnly) != "2024-04-09" {
		t.Errorf("batch paid on %s", b.PaidOn)
	}
	days := map[string]string{}
	for _, r := range b.Requisitions {
		days[r.ID] = r.PaidOn.Format(time.DateOnly)
	}
	if days[r1.ID] != "2024-04-08" || days[r2.ID] != "2024-04-09" {
		t.Errorf("paid on %v", days)
	}
	checkLedger(t, s.a)
}

// ledgerSnapshot is the ledger's and repayments' size, to tell whether
// anything was recorded.
func ledgerSnapshot(t *testing.T, a *App) string {
	t.Helper()
	var out string
	err := a.db.View(context.Background(), func(tx *store.Tx) error {
		txs, err := tx.LedgerTxs()
		if err != nil {
			return err
		}
		reps, err := tx.Repayments("gnv-2023", "")
		out = strings.Repeat("t", len(txs)) + "/" + strings.Repeat("r", len(reps))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBankNotificationWholeBatch: a debit that names only the batch's
// payment information id, for the batch's whole amount, confirms it.
func TestBankNotificationWholeBatch(t *testing.T) {
	s := newBankScenario(t)
	ctx := context.Background()
	r1, r2 := s.batch.Requisitions[0], s.batch.Requisitions[1]
	total := strings.ReplaceAll(strings.TrimSuffix((r1.Amount+r2.Amount).String(), " kr"), " ", "")
	doc := func(id, amount string) []byte {
		return []byte(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>` + id + `</MsgId></GrpHdr><Ntfctn><Ntry><Amt Ccy="SEK">` + amount + `</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2024-04-11</Dt></BookgDt><NtryDtls><Btch><PmtInfId>` + s.batch.ID + `-1</PmtInfId></Btch></NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`)
	}
	if v, err := s.a.ImportBankNotification(ctx, s.payer, doc("W0", total+".01")); err != nil || len(v.Unmatched()) != 1 {
		t.Fatalf("wrong amount: %v, %+v", err, v.Lines)
	}
	v, err := s.a.ImportBankNotification(ctx, s.payer, doc("W1", total))
	if err != nil || len(v.Matched()) != 2 {
		t.Fatalf("whole batch: %v, %+v", err, v.Lines)
	}
	if b, _ := s.a.Batch(ctx, s.payer, s.batch.ID); b.PaidOn.Format(time.DateOnly) != "2024-04-11" {
		t.Errorf("batch paid on %s", b.PaidOn)
	}
	checkLedger(t, s.a)
}

// TestBankDebitNeedsAttestedBatch: a debit for a batch that was never
// attested cannot be the bank paying it; it is listed, nothing confirmed.
func TestBankDebitNeedsAttestedBatch(t *testing.T) {
	s := newBankScenarioWith(t, false)
	ctx := context.Background()
	r := s.batch.Requisitions[0]
	file := []byte(`<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>UNATTESTED</MsgId></GrpHdr><Ntfctn><Ntry><Amt Ccy="SEK">` + strings.ReplaceAll(strings.TrimSuffix(r.Amount.String(), " kr"), " ", "") + `</Amt>
<CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-04-08</Dt></BookgDt>
<NtryDtls><TxDtls><Refs><EndToEndId>` + r.ID + `</EndToEndId></Refs></TxDtls></NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`)
	v, err := s.a.ImportBankNotification(ctx, s.payer, file)
	if err != nil || len(v.Matched()) != 0 || len(v.Lines) != 1 || !strings.Contains(v.Lines[0].Note, "inte attesterad") {
		t.Fatalf("debit of an unattested batch: %v, %+v", err, v.Lines)
	}
	if got, _ := s.a.Requisition(ctx, s.payer, r.ID); got.Status == grant.Paid {
		t.Error("a requisition of an unattested batch was paid from the bank's file")
	}
}

func TestAgencyBankgiro(t *testing.T) {
	for _, tc := range []struct {
		acct org.Account
		want string
	}{
		{org.Account{}, ""},
		{org.Account{Type: org.AccountBankgiro, Number: "5050-1055"}, "5050-1055"},
		{org.Account{Type: org.AccountIBAN, Number: "SE4550000000058398257466", BIC: "ESSESESS"}, ""},
	} {
		if got := agencyBankgiro(org.Organisation{Account: tc.acct}); got != tc.want {
			t.Errorf("agencyBankgiro(%+v) = %q, want %q", tc.acct, got, tc.want)
		}
		if due := (Due{Bankgiro: tc.want}); tc.want == "" && due.BankgiroText() != NoBankgiro {
			t.Errorf("no bankgiro shown as %q", due.BankgiroText())
		}
	}
}

// checkPaidMails: each requisition confirmed as paid from the bank's file
// is mailed to its recipient's officer and signatory.
func checkPaidMails(t *testing.T, a *App, paid []grant.Requisition) {
	t.Helper()
	box, err := a.Outbox(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range paid {
		var to []string
		for _, m := range box {
			if m.Kind == mail.KindPaid && m.Object == "requisition:"+r.ID {
				to = append(to, m.To)
			}
		}
		slices.Sort(to)
		if want := []string{"o@" + r.Recipient + ".se", "s@" + r.Recipient + ".se"}; !slices.Equal(to, want) {
			t.Errorf("%s paid: mailed to %v, want %v", r.ID, to, want)
		}
	}
}
