package document

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"narvard/internal/grant"
	"narvard/internal/org"
)

var (
	signed    = time.Date(2024, 3, 20, 13, 45, 0, 0, time.UTC)
	recipient = org.Organisation{ID: "region-25", Name: "Region Norrbotten", OrgNr: "232100-0230", Address: "Box 1, 971 25 Luleå"}
	contactA  = grant.Contact{Name: "Åsa Öberg", Email: "asa.oberg@norrbotten.se", Phone: "0920-28 40 00"}
)

// pdfText extracts a PDF's text page by page with pdftotext (poppler).
func pdfText(t *testing.T, pdf []byte) []string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is missing in CI; .ci/run must install poppler-utils")
		}
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimRight(string(out), "\f"), "\f")
	for i := range pages {
		pages[i] = strings.Join(strings.Fields(pages[i]), " ") // the layout's spacing is not what we test
	}
	return pages
}

func requireAll(t *testing.T, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("missing %q", w)
		}
	}
}

func TestRequisitionPDF(t *testing.T) {
	r := grant.Requisition{ID: "R-7Q2X", Status: grant.Submitted, SignedBy: "Erik Firmatecknare", SignedAt: signed,
		Form: grant.Form{Agreement: "gnv-2023", Recipient: "region-25", Amount: 128092174, PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
			Account: grant.Account{Type: "bankgiro", Number: "5050-1055"}, PaymentReference: "GNV 2023", Contact: contactA,
			AgreementDnr: "S2023/00417", PaymentDecisionDnr: "S2023/03102"}}
	var buf bytes.Buffer
	if err := RequisitionPDF(&buf, RequisitionDoc{AgreementName: "God och nära vård 2023", AgreementID: "gnv-2023", Recipient: recipient, Req: r, Generated: signed}); err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, buf.Bytes())
	all := strings.Join(pages, " ")
	requireAll(t, all, "Rekvisition", "1. Kontaktuppgifter", "Bidragsmottagare", "Region Norrbotten", "Organisationsnummer", "232100-0230",
		"Kontaktperson", "Åsa Öberg", "Postadress", "Box 1, 971 25 Luleå", "Telefon inkl. riktnummer", "0920-28 40 00", "Faxnummer",
		"E-postadress", "asa.oberg@norrbotten.se", "2. Bidrag som ansökan avser", "diarienummer för bakomliggande överenskommelse",
		"regeringsbeslut avseende utbetalning", "Överenskommelsens benämning", "God och nära vård 2023", "Belopp som rekvireras",
		"128 092 174 kr", "Rekvisitionen avser perioden", "2023-01-01 – 2023-12-31", "3. Uppgifter för utbetalning", "Bankgiro/Plusgiro",
		"Bankgiro 5050-1055", "Önskad betalningsreferens", "GNV 2023", "4. Underskrift i original av behörig företrädare", Attestation,
		"Datum", "2024-03-20", "Elektroniskt underskriven i narvard 2024-03-20 14:45", "Namnförtydligande", "Erik Firmatecknare")
	for i, p := range pages {
		requireAll(t, p, "S2023/00417", "S2023/03102", fmt.Sprintf("Sida %d av %d", i+1, len(pages)))
	}
}

func report(lines int, rv *grant.Review) ReportDoc {
	r := grant.FinancialReport{ID: "E-1", Status: grant.ReportSubmitted, Review: rv, SignedBy: "Erik Firmatecknare", SignedAt: signed,
		ReportForm: grant.ReportForm{Agreement: "gnv-2023", Recipient: "region-25", PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
			Contact: contactA, AgreementDnr: "S2023/00417", PaymentDecisionDnr: "S2023/03102"}}
	for i := range lines {
		r.Costs = append(r.Costs, grant.CostLine{Item: fmt.Sprintf("Kostnadspost %d", i+1), Component: "nara_vard", Amount: 1000})
	}
	al := grant.Allocation{Components: []grant.ComponentAmount{{ID: "nara_vard", Label: "Nära vård", Amount: 100000}, {ID: "vidareutbildning", Label: "Vidareutbildning", Amount: 50000, Earmarked: true}}}
	acc, _ := grant.Tally(al, 150000, r.ReportForm)
	return ReportDoc{AgreementName: "God och nära vård 2023", AgreementID: "gnv-2023", Recipient: recipient, Report: r, Accounting: acc, Generated: signed}
}

func TestReportPDF(t *testing.T) {
	alt2 := &grant.Review{Alternative: 2, Deviations: "Fel period på två fakturor", Actions: "Bokas om i april", Name: "Maria Ekonomichef",
		Title: "Ekonomidirektör", Phone: "0920-100", Email: "maria@norrbotten.se", At: signed}
	var buf bytes.Buffer
	if err := ReportPDF(&buf, report(80, alt2)); err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, buf.Bytes())
	if len(pages) < 3 {
		t.Errorf("80 cost lines fit on %d pages", len(pages))
	}
	all := strings.Join(pages, " ")
	requireAll(t, all, "Ekonomisk redovisning", "1. Kontaktuppgifter", "Region Norrbotten", "232100-0230", "Åsa Öberg", "Box 1, 971 25 Luleå",
		"Faxnummer", "2. Bidrag som ansökan avser", "Summa bidrag enligt överenskommelsen", "150 000 kr",
		"Summa bidrag som utbetalats från regeringen/Regeringskansliet", "Period som den ekonomiska redovisningen avser",
		"3. Redovisning av verksamhet eller aktivitet", "Bidrag som erhållits", "Kostnadspost 1 (Nära vård)", "Kostnadspost 80 (Nära vård)",
		"Summa kostnader", "80 000 kr", "Medel som inte har förbrukats (Bidrag – kostnader)", "70 000 kr", "Vidareutbildning (öronmärkt)",
		"Att återbetala till Kammarkollegiet", "4. Ekonomichefens (eller motsvarande) granskning",
		"Alt 2: Maria Ekonomichef bedömer inte att den ekonomiska redovisningen under punkt 3 är korrekt.",
		"Avvikelser", "Fel period på två fakturor", "Åtgärder", "Bokas om i april", "Befattning", "Ekonomidirektör", "maria@norrbotten.se",
		"5. Underskrift i original av behörig företrädare", ReportAttestation, "Erik Firmatecknare", "2024-03-20 14:45")
	for i, p := range pages {
		requireAll(t, p, "S2023/00417", "S2023/03102", fmt.Sprintf("Sida %d av %d", i+1, len(pages)))
	}
	buf.Reset()
	if err := ReportPDF(&buf, report(1, &grant.Review{Alternative: 1, Name: "Maria Ekonomichef"})); err != nil {
		t.Fatal(err)
	}
	requireAll(t, strings.Join(pdfText(t, buf.Bytes()), " "), "Alt 1: Maria Ekonomichef intygar att den ekonomiska redovisningen under punkt 3 är korrekt.")
	// An RSS's report: its own part and each municipality's.
	buf.Reset()
	rss := report(1, nil)
	rss.Shares = []grant.RSSShare{{Component: "nara_vard", Label: "Nära vård",
		Own: grant.ComponentUse{Received: 100000, Reported: 40000},
		Kommuner: []grant.KommunShare{
			{Kommun: "kommun-2380", Name: "Östersund", Status: grant.MunicipalAccepted, ComponentUse: grant.ComponentUse{Received: 600000, Reported: 450000}},
			{Kommun: "kommun-2321", Name: "Åre", ComponentUse: grant.ComponentUse{Received: 200000}},
		},
		Total: grant.ComponentUse{Received: 900000, Reported: 490000}}}
	if err := ReportPDF(&buf, rss); err != nil {
		t.Fatal(err)
	}
	requireAll(t, strings.Join(pdfText(t, buf.Bytes()), " "), "RSS:ens egen del och kommunernas",
		"RSS:ens egen del: mottaget 100 000 kr, redovisat 40 000 kr", "kvar 60 000 kr",
		"Östersund: mottaget 600 000 kr, redovisat 450 000 kr (godkänd)", "kvar 150 000 kr",
		"Åre: mottaget 200 000 kr, redovisat 0 kr (ej redovisat)", "Summa: mottaget 900 000 kr, redovisat 490 000 kr", "kvar 410 000 kr")
	buf.Reset()
	if err := ReportPDF(&buf, ReportDoc{}); err != nil {
		t.Fatalf("empty report: %v", err)
	}
	requireAll(t, strings.Join(pdfText(t, buf.Bytes()), " "), "Ej granskad", "Ej underskriven")
}

func TestStatusXLSX(t *testing.T) {
	rows := []StatusRow{
		{Recipient: "region-23", Name: "Region Jämtland Härjedalen", Allocation: 75422690, Requisitioned: 75422690, Paid: 75422690, Costs: 70000000, Unspent: 5422690, Repaid: 1000, Due: 5421690, RequisitionStatus: "utbetald", Reclaim: true,
			Batch: "B-1", MadeBy: "Johan Utbetalare", MadeAt: "2023-11-15 10:00", AttestedBy: "Sofia Attestant", AttestedAt: "2023-11-15 11:00", VFU: 1200, VFUPaid: 1200},
		{Recipient: "region-25", Name: "Region Norrbotten", Allocation: 128206538, Lapsed: true},
		{Recipient: "kommun-2510", Name: "Arjeplogs kommun", VFU: 300},
	}
	var buf bytes.Buffer
	if err := StatusXLSX(&buf, "God och nära vård 2023", rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows("Status", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 || got[0][2] != "Tilldelat" || got[4][1] != "Summa" || got[4][2] != "203629228" || got[1][12] != "återkrav" || got[2][12] != "förfallen" {
		t.Errorf("rows = %v", got)
	}
	if strings.Join(got[0][14:19], ",") != "Betalningsomgång,Skapad av,Skapad,Attesterad av,Attesterad" ||
		strings.Join(got[1][14:19], ",") != "B-1,Johan Utbetalare,2023-11-15 10:00,Sofia Attestant,2023-11-15 11:00" {
		t.Errorf("batch columns = %v / %v", got[0], got[1])
	}
	if strings.Join(got[0][19:21], ",") != "VFU fastställt,VFU utbetalt" || strings.Join(got[1][19:21], ",") != "1200,1200" ||
		strings.Join(got[3][19:21], ",") != "300,0" || strings.Join(got[4][19:21], ",") != "1500,1200" {
		t.Errorf("VFU columns = %v / %v / %v / %v", got[0], got[1], got[3], got[4])
	}
	for _, cell := range []string{"C2", "I2", "C5", "T2", "U5"} {
		if typ, _ := f.GetCellType("Status", cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("%s is not a number: %v", cell, typ)
		}
	}
}
