package document

import (
	"bytes"
	"testing"
	"time"

	"narvard/internal/grant"
)

func TestDebtPDF(t *testing.T) {
	due := time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		kind  grant.DebtKind
		wants []string
	}{
		{grant.DebtRepayment, []string{"Återbetalningsbesked", "inte har förbrukats", "Kvar att betala 2 000 000 kr"}},
		{grant.DebtReclaim, []string{"Återkravsbeslut", "beslutat att återkräva", "Kvar att betala 2 000 000 kr"}},
	} {
		var buf bytes.Buffer
		err := DebtPDF(&buf, DebtDoc{AgreementName: "God och nära vård 2023", AgreementID: "gnv-2023", AgreementDnr: "S2023/00001",
			DecisionDnr: "S2023/00002", Recipient: recipient, AgencyName: "Kammarkollegiet",
			Debt:        grant.Debt{ID: "S-1", OCR: "10000180", Kind: c.kind, Amount: 2_500_000, DueOn: due, Reason: "Ej förbrukade medel enligt E-1."},
			Outstanding: 2_000_000, Bankgiro: "ej angivet", Generated: signed})
		if err != nil {
			t.Fatal(err)
		}
		pages := pdfText(t, buf.Bytes())
		requireAll(t, pages[0], append(c.wants, "S2023/00001", "Region Norrbotten", "232100-0230", "Beslutat belopp 2 500 000 kr",
			"Betalas senast 2024-03-31", "Betalas till Kammarkollegiet", "Bankgiro ej angivet", "OCR-nummer 10000180",
			"Ej förbrukade medel enligt E-1.")...)
	}
}
