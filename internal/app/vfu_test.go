package app

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/ledger"
	"narvard/internal/mail"
	"narvard/internal/money"
	"narvard/internal/org"
	"narvard/internal/store"
)

// TestVFURound runs a VFU round: regions and a municipality report for
// themselves, the RSS of Norrbotten for three of its municipalities; a late
// report is refused; a report is returned, corrected and signed again; the
// round is closed; its amounts equal the allocation engine's VFU table for
// the same figures; Socialstyrelsen pays them in a batch attested by a
// second payer, to each recipient's bankgiro.
func TestVFURound(t *testing.T) {
	ctx := context.Background()
	a, clk := newTestApp(t, "2023-03-01T10:00:00+01:00")
	ag, err := a.agreement("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	r25o := addUser(t, a, "officer@nll.se", "region-25", auth.RecipientOfficer)
	r25s := addUser(t, a, "sign@nll.se", "region-25", auth.Signatory)
	r24o := addUser(t, a, "officer@vll.se", "region-24", auth.RecipientOfficer)
	r24s := addUser(t, a, "sign@vll.se", "region-24", auth.Signatory)
	rssO := addUser(t, a, "officer@rss-nb.se", "rss-25", auth.RecipientOfficer)
	rssS := addUser(t, a, "sign@rss-nb.se", "rss-25", auth.Signatory)
	luleaO := addUser(t, a, "officer@lulea.se", "kommun-2580", auth.RecipientOfficer)
	luleaS := addUser(t, a, "sign@lulea.se", "kommun-2580", auth.Signatory)
	otherRSS := addUser(t, a, "officer@rss-vb.se", "rss-24", auth.RecipientOfficer)
	follow := addUser(t, a, "uppfoljning@socialstyrelsen.se", org.Socialstyrelsen, auth.FollowUp)
	sosPay := addUser(t, a, "pay@socialstyrelsen.se", org.Socialstyrelsen, auth.Payer)
	kkPay := addUser(t, a, "pay@kammarkollegiet.se", org.Kammarkollegiet, auth.Payer)
	admin := addUser(t, a, "admin@narvard.test", org.Kammarkollegiet, auth.Admin)

	type rep struct {
		writer, signer auth.Actor
		recipient      string
		f              grant.VFUFigures
	}
	reps := []rep{
		{r25o, r25s, "region-25", grant.VFUFigures{WeeksBase: 400, PlacesBase: 80, WeeksCurrent: 470, PlacesCurrent: 90}},
		{r24o, r24s, "region-24", grant.VFUFigures{WeeksBase: 500, PlacesBase: 100, WeeksCurrent: 480, PlacesCurrent: 95}},
		{rssO, rssS, "kommun-2510", grant.VFUFigures{WeeksBase: 10, PlacesBase: 2, WeeksCurrent: 17, PlacesCurrent: 3}},
		{rssO, rssS, "kommun-2513", grant.VFUFigures{WeeksBase: 6, PlacesBase: 1, WeeksCurrent: 6, PlacesCurrent: 1}},
		{rssO, rssS, "kommun-2514", grant.VFUFigures{WeeksBase: 20, PlacesBase: 4, WeeksCurrent: 33, PlacesCurrent: 6}},
		{luleaO, luleaS, "kommun-2580", grant.VFUFigures{WeeksBase: 90, PlacesBase: 15, WeeksCurrent: 111, PlacesCurrent: 18}},
	}
	if _, err := a.CreateVFUReport(ctx, otherRSS, "gnv-2023", "kommun-2510", reps[2].f); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("another county's RSS reports for Jokkmokk: %v", err)
	}
	if _, err := a.CreateVFUReport(ctx, r25o, "gnv-2023", "region-25", grant.VFUFigures{WeeksBase: -1}); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("negative weeks: %v", err)
	}
	ids := map[string]string{}
	for _, r := range reps {
		got, err := a.CreateVFUReport(ctx, r.writer, "gnv-2023", r.recipient, r.f)
		if err != nil {
			t.Fatalf("%s: %v", r.recipient, err)
		}
		if got.ReportedFor != r.writer.Org {
			t.Errorf("%s reported for %q, want %q", r.recipient, got.ReportedFor, r.writer.Org)
		}
		if _, err := a.SignVFUReport(ctx, r.writer, got.ID); r.writer.Role != auth.Signatory && fault.CodeOf(err) != fault.Forbidden {
			t.Errorf("%s signed by an officer: %v", r.recipient, err)
		}
		if _, err := a.SignVFUReport(ctx, r.signer, got.ID); err != nil {
			t.Fatalf("sign %s: %v", r.recipient, err)
		}
		ids[r.recipient] = got.ID
	}
	if _, err := a.CreateVFUReport(ctx, r25o, "gnv-2023", "region-25", reps[0].f); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("a second report for region-25: %v", err)
	}
	// The RSS sees its county's municipalities' reports (the three it
	// wrote and Luleå's), not the regions'.
	list, err := a.VFUReports(ctx, rssS, "gnv-2023")
	if err != nil || len(list) != 4 || list[3].Recipient != "kommun-2580" || list[3].ReportedFor != "kommun-2580" {
		t.Errorf("the RSS's list: %d reports, %v", len(list), err)
	}

	// Socialstyrelsen returns Kalix's report; the RSS corrects it and its
	// signatory signs it again.
	if _, err := a.ReturnVFUReport(ctx, kkPay, ids["kommun-2514"], "Fel"); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("Kammarkollegiet returns a VFU report: %v", err)
	}
	if _, err := a.ReturnVFUReport(ctx, follow, ids["kommun-2514"], " "); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("return without a reason: %v", err)
	}
	ret, err := a.ReturnVFUReport(ctx, follow, ids["kommun-2514"], "Platserna vt 2023 stämmer inte med veckorna.")
	if err != nil || ret.Status != grant.VFUReturned {
		t.Fatalf("return: %v %v", ret.Status, err)
	}
	checkVFUReturnMail(t, a, ret.ID)
	reps[4].f = grant.VFUFigures{WeeksBase: 20, PlacesBase: 4, WeeksCurrent: 28, PlacesCurrent: 5}
	if _, err := a.CorrectVFUReport(ctx, rssO, ids["kommun-2514"], reps[4].f); err != nil {
		t.Fatal(err)
	}

	// After the deadline: a new report is refused; the returned one may
	// still be signed again.
	clk.Set(time.Date(2023, 4, 1, 0, 0, 1, 0, clock.Stockholm))
	pitea := addUser(t, a, "officer@pitea.se", "kommun-2581", auth.RecipientOfficer)
	if _, err := a.CreateVFUReport(ctx, pitea, "gnv-2023", "kommun-2581", grant.VFUFigures{WeeksBase: 1, WeeksCurrent: 50}); fault.CodeOf(err) != fault.DeadlinePassed {
		t.Errorf("late report: %v", err)
	}
	if _, err := a.SignVFUReport(ctx, rssS, ids["kommun-2514"]); err != nil {
		t.Fatalf("sign the corrected report: %v", err)
	}

	// Close: only Socialstyrelsen's follow-up officer; once.
	if _, err := a.CloseVFURound(ctx, r25s, "gnv-2023"); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("a region closes the round: %v", err)
	}
	round, err := a.CloseVFURound(ctx, follow, "gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.CloseVFURound(ctx, follow, "gnv-2023"); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("closed twice: %v", err)
	}
	if _, err := a.CorrectVFUReport(ctx, rssO, ids["kommun-2510"], reps[2].f); fault.CodeOf(err) == "" {
		t.Error("a report changed after the close")
	}
	// The allocation engine's table for the same figures.
	in := alloc.FromAgreement(ag)
	for _, r := range reps {
		_, code, _ := org.Parse(r.recipient)
		in.VFU = append(in.VFU, alloc.VFUReport{Code: code, WeeksBase: r.f.WeeksBase, WeeksCurrent: r.f.WeeksCurrent})
	}
	tab, err := alloc.Build(ag, in, agreement.TableVFU)
	if err != nil {
		t.Fatal(err)
	}
	if len(round.Rows) != len(tab.Rows) {
		t.Fatalf("round has %d rows, the table %d", len(round.Rows), len(tab.Rows))
	}
	var total money.Kr
	want := map[string]money.Kr{}
	for i, row := range tab.Rows {
		got := round.Rows[i]
		if _, code, _ := org.Parse(got.Recipient); code != row.Code || got.Amount != row.Cells[0].Amount || got.Okning != row.VFU.Increase() {
			t.Errorf("row %d: %+v, table %s %d (+%d)", i, got, row.Code, row.Cells[0].Amount, row.VFU.Increase())
		}
		total += got.Amount
		want[got.Recipient] = got.Amount
	}
	comp, _ := grant.VFUComponent(ag)
	if total != comp.Amount || want["region-24"] != 0 || want["kommun-2513"] != 0 || want["kommun-2514"] == 0 {
		t.Errorf("total %d of %d; region-24 %d, Överkalix %d, Kalix %d", total, comp.Amount, want["region-24"], want["kommun-2513"], want["kommun-2514"])
	}
	if got, err := a.VFURound(ctx, "gnv-2023"); err != nil || got.Status != grant.VFUClosed || len(got.Rows) != len(round.Rows) {
		t.Errorf("VFURound: %+v %v", got, err)
	}

	// The payout: Socialstyrelsen's payer, from its account, to each
	// recipient's bankgiro; those without one block it.
	readyToPay(t, a, org.Socialstyrelsen)
	if _, err := a.CreateVFUBatch(ctx, kkPay, "gnv-2023"); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("Kammarkollegiet pays VFU: %v", err)
	}
	_, err = a.CreateVFUBatch(ctx, sosPay, "gnv-2023")
	if fault.CodeOf(err) != fault.Conflict || !strings.Contains(err.Error(), "Kalix") || !strings.Contains(err.Error(), "region-25") || strings.Contains(err.Error(), "region-24") {
		t.Fatalf("without bankgiros: %v", err)
	}
	for rec, amount := range want {
		if amount == 0 {
			continue
		}
		o, err := a.Organisation(ctx, rec)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.UpdateOrganisation(ctx, admin, rec, OrganisationEdit{Name: o.Name, OrgNr: o.OrgNr, Host: o.Host, Address: o.Address, Bankgiro: "5050-1055"}); err != nil {
			t.Fatal(err)
		}
	}
	b, err := a.CreateVFUBatch(ctx, sosPay, "gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	if b.Payer != org.Socialstyrelsen || len(b.VFU) != 4 {
		t.Errorf("batch: payer %s, %d lines", b.Payer, len(b.VFU))
	}
	if _, err := a.CreateVFUBatch(ctx, sosPay, "gnv-2023"); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("paid twice: %v", err)
	}
	if _, err := a.AttestBatch(ctx, sosPay, b.ID); fault.CodeOf(err) != fault.Forbidden {
		t.Errorf("the maker attests: %v", err)
	}
	attest(t, a, b.ID)
	file, err := a.PaymentFile(ctx, sosPay, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(file); strings.Count(s, "<CdtTrfTxInf>") != 4 || !strings.Contains(s, "Socialstyrelsen") {
		t.Errorf("pain.001: %d transfers", strings.Count(s, "<CdtTrfTxInf>"))
	}
	clk.Set(time.Date(2023, 4, 14, 9, 0, 0, 0, clock.Stockholm))
	if _, err := a.ConfirmBatch(ctx, sosPay, b.ID, time.Date(2023, 4, 14, 0, 0, 0, 0, clock.Stockholm)); err != nil {
		t.Fatal(err)
	}
	err = a.db.View(ctx, func(tx *store.Tx) error {
		for rec, amount := range want {
			bal, err := tx.Balances(ledger.RecipientAccounts("gnv-2023", rec))
			if err != nil {
				return err
			}
			if bal[ledger.VFUPaid("gnv-2023", rec)] != amount || bal[ledger.VFUAllocated("gnv-2023", rec)] != 0 {
				t.Errorf("%s: VFU paid %d, left %d; want %d", rec, bal[ledger.VFUPaid("gnv-2023", rec)], bal[ledger.VFUAllocated("gnv-2023", rec)], amount)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := a.RecipientStatus(ctx, r25o, "gnv-2023", "region-25")
	if err != nil || st.VFUPaid != want["region-25"] || st.VFU != want["region-25"] {
		t.Errorf("region-25's status: VFU %d, paid %d; want %d (%v)", st.VFU, st.VFUPaid, want["region-25"], err)
	}
	// A municipality with VFU money only has its status too, and the
	// national matrix has every recipient with money, once: the
	// municipalities that receive VFU after those with an allocation.
	if st, err := a.RecipientStatus(ctx, luleaO, "gnv-2023", "kommun-2580"); err != nil || st.VFUPaid != want["kommun-2580"] || st.Allocation != 0 {
		t.Errorf("Luleå's status: %+v, %v", st, err)
	}
	if _, err := a.RecipientStatus(ctx, follow, "gnv-2023", "kommun-2513"); fault.CodeOf(err) != fault.NotFound {
		t.Errorf("Överkalix, without VFU money, has a status: %v", err)
	}
	matrix, err := a.Matrix(ctx, follow, "gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	var vfuSum money.Kr
	for _, st := range matrix {
		seen[st.Recipient]++
		vfuSum += st.VFUPaid
		if want[st.Recipient] != st.VFU {
			t.Errorf("matrix: %s has VFU %d, want %d", st.Recipient, st.VFU, want[st.Recipient])
		}
	}
	if vfuSum != total || seen["kommun-2580"] != 1 || seen["kommun-2514"] != 1 || seen["region-25"] != 1 || seen["kommun-2513"] != 0 {
		t.Errorf("matrix: VFU paid %d of %d; rows %v", vfuSum, total, seen)
	}
	// The status workbook: Luleå's row has its VFU money and the batch
	// that paid it, with its maker.
	wb, err := a.StatusWorkbook(ctx, follow, "gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(wb))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("Status", excelize.Options{RawCellValue: true})
	var lulea []string
	for _, r := range rows {
		if len(r) > 0 && r[0] == "kommun-2580" {
			lulea = r
		}
	}
	if want := strconv.FormatInt(int64(want["kommun-2580"]), 10); len(lulea) < 21 || lulea[14] != b.ID || lulea[15] != sosPay.Name || lulea[19] != want || lulea[20] != want {
		t.Errorf("Luleå's workbook row: %v, want batch %s and VFU %s", lulea, b.ID, want)
	}
	checkLedger(t, a)
	checkVFUReport(t, a, clk, luleaO, luleaS, want["kommun-2580"])
}

// checkVFUReport: Luleå, paid only VFU money, files its financial report:
// the report shows the VFU money as paid on the VFU component, states 70 %
// of it as costs, and the unused 30 % becomes a debt to the agency that
// paid it, moved from Luleå's VFU account.
func checkVFUReport(t *testing.T, a *App, clk *clock.Frozen, officer, signatory auth.Actor, paid money.Kr) {
	t.Helper()
	ctx := context.Background()
	clk.Set(time.Date(2024, 3, 15, 9, 0, 0, 0, clock.Stockholm))
	cfo := addUser(t, a, "cfo@lulea.se", "kommun-2580", auth.CFO)
	f := reportForm(a, "kommun-2580", 0)
	f.Costs = []grant.CostLine{{Item: "Handledare för studenter", Component: "vfu", Amount: paid * 70 / 100}}
	v, err := a.CreateReport(ctx, officer, f)
	if err != nil {
		t.Fatal(err)
	}
	unused := paid - paid*70/100
	if v.Paid != paid || len(v.Components) != 1 || v.Components[0].ID != "vfu" || v.Components[0].Paid != paid ||
		v.Components[0].Unused != unused || v.Due != unused || v.DueApart != unused {
		t.Fatalf("Luleå's report: paid %d, components %+v, due %d; want paid %d, due %d", v.Paid, v.Components, v.Due, paid, unused)
	}
	if _, err := a.ReviewReport(ctx, cfo, v.ID, grant.Review{Alternative: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SignReport(ctx, signatory, v.ID); err != nil {
		t.Fatal(err)
	}
	err = a.db.View(ctx, func(tx *store.Tx) error {
		bal, err := tx.Balances(ledger.RecipientAccounts("gnv-2023", "kommun-2580"))
		if err != nil {
			return err
		}
		if bal[ledger.Debt("gnv-2023", "kommun-2580")] != unused || bal[ledger.VFUPaid("gnv-2023", "kommun-2580")] != paid-unused ||
			bal[ledger.Paid("gnv-2023", "kommun-2580")] != 0 {
			t.Errorf("Luleå's accounts after the report: %v", bal)
		}
		debts, err := tx.Debts("gnv-2023", "kommun-2580")
		if err != nil {
			return err
		}
		if len(debts) != 1 || debts[0].Agency != org.Socialstyrelsen || debts[0].Amount != unused {
			t.Errorf("Luleå's debts: %+v", debts)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checkLedger(t, a)
}

// checkVFUReturnMail: a returned report the RSS wrote for a municipality
// is mailed, with its reason, to the RSS's officers and signatories.
func checkVFUReturnMail(t *testing.T, a *App, id string) {
	t.Helper()
	box, err := a.Outbox(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, m := range box {
		if m.Kind == mail.KindVFUReturned && m.Object == "vfu:"+id && strings.Contains(m.Body, "Skäl: Platserna vt 2023") {
			to = append(to, m.To)
		}
	}
	slices.Sort(to)
	if !slices.Equal(to, []string{"officer@rss-nb.se", "sign@rss-nb.se"}) {
		t.Errorf("VFU return mailed to %v", to)
	}
}
