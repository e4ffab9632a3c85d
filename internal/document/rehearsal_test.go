package document

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"narvard/internal/grant"
)

// TestRehearsalMark is issue 17's problem 14: a document made on a
// rehearsal's clock says ÖVNING on every page, one made for real does not.
func TestRehearsalMark(t *testing.T) {
	req := grant.Requisition{ID: "R-1", Status: grant.Draft, Form: grant.Form{Agreement: "gnv-2023", Recipient: "region-25", Amount: 1,
		Contact: contactA, AgreementDnr: "S2023/00417"}}
	debt := grant.Debt{ID: "S-1", OCR: "10000180", Kind: grant.DebtReclaim, Amount: 2, Reason: "Ej förbrukade medel."}
	docs := []struct {
		name  string
		write func(w io.Writer, rehearsal bool) error
	}{
		{"rekvisition", func(w io.Writer, on bool) error {
			return RequisitionPDF(w, RequisitionDoc{AgreementName: "God och nära vård 2023", AgreementID: "gnv-2023", Recipient: recipient, Req: req, Generated: signed, Rehearsal: on})
		}},
		{"redovisning", func(w io.Writer, on bool) error {
			d := report(60, nil) // more than one page
			d.Rehearsal = on
			return ReportPDF(w, d)
		}},
		{"återkrav", func(w io.Writer, on bool) error {
			return DebtPDF(w, DebtDoc{AgreementName: "God och nära vård 2023", AgreementID: "gnv-2023", Recipient: recipient, AgencyName: "Kammarkollegiet",
				Debt: debt, Outstanding: 2, Bankgiro: "ej angivet", Generated: signed, Rehearsal: on})
		}},
	}
	for _, d := range docs {
		for _, on := range []bool{true, false} {
			var buf bytes.Buffer
			if err := d.write(&buf, on); err != nil {
				t.Fatal(err)
			}
			pages := pdfText(t, buf.Bytes())
			for i, p := range pages {
				if got := strings.Contains(p, "ÖVNING"); got != on {
					t.Errorf("%s, rehearsal %v: page %d of %d says ÖVNING: %v", d.name, on, i+1, len(pages), got)
				}
			}
			if d.name == "redovisning" && len(pages) < 2 {
				t.Errorf("the report has %d page, want several", len(pages))
			}
		}
	}
}
