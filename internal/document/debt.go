package document

import (
	"io"
	"time"

	"narvard/internal/grant"
	"narvard/internal/money"
	"narvard/internal/org"
)

// DebtDoc is what a decision letter on money due shows: an
// återbetalningsbesked (unspent or earmarked money from a financial
// report) or an återkravsbeslut (a reclaim decision).
type DebtDoc struct {
	AgreementName string
	AgreementID   string
	AgreementDnr  string
	DecisionDnr   string
	Recipient     org.Organisation
	AgencyName    string
	Debt          grant.Debt
	Outstanding   money.Kr // what is left to pay
	Bankgiro      string   // the agency's bankgiro, or that none is set
	Generated     time.Time
	Rehearsal     bool // made on a rehearsal clock: every page says ÖVNING
}

// DebtPDF writes the decision letter: what is due, why, by when and where
// to pay it, with the OCR reference to pay it with.
func DebtPDF(w io.Writer, d DebtDoc) error {
	k := d.Debt
	title := k.Kind.Swedish()
	footer := rehearsal(d.Rehearsal, title+" "+k.ID+" · "+d.AgreementID+" · utskrivet "+when(d.Generated))
	return render(w, dnrHeader(d.AgreementDnr, d.DecisionDnr), footer, func(s *sheet) {
		s.title(title)
		s.paragraph(d.AgreementName, false)
		s.heading("Mottagare")
		s.field("Bidragsmottagare", d.Recipient.Name)
		s.field("Organisationsnummer", orDash(d.Recipient.OrgNr))
		s.field("Postadress", orDash(d.Recipient.Address))
		s.heading("Vad och varför")
		if k.Kind == grant.DebtReclaim {
			s.paragraph(d.AgencyName+" har beslutat att återkräva statsbidrag som betalats ut enligt överenskommelsen.", false)
		} else {
			s.paragraph("Enligt överenskommelsen ska medel som inte har förbrukats, och öronmärkta medel som inte har använts för sitt ändamål, betalas tillbaka till "+d.AgencyName+".", false)
		}
		s.field("Skäl", k.Reason)
		s.field("Beslutat belopp", k.Amount.String())
		s.field("Kvar att betala", d.Outstanding.String())
		s.heading("När och vart")
		s.field("Betalas senast", day(k.DueOn))
		s.field("Betalas till", d.AgencyName)
		s.field("Bankgiro", d.Bankgiro)
		s.field("OCR-nummer", k.OCR)
		s.paragraph("Ange OCR-numret som referens vid betalningen; då kan betalningen kopplas till skulden. Betala i hela kronor.", true)
	})
}
