package document

import (
	"io"
	"strings"
	"time"

	"narvard/internal/grant"
	"narvard/internal/org"
)

// RequisitionDoc is what a requisition's PDF shows.
type RequisitionDoc struct {
	AgreementName string
	AgreementID   string
	Recipient     org.Organisation
	Req           grant.Requisition
	Generated     time.Time
	Rehearsal     bool // made on a rehearsal clock: every page says ÖVNING
}

// Attestation is Bilaga 1's text above a requisition's signature.
const Attestation = "Bidragstagaren intygar att lämnade uppgifter är riktiga samt försäkrar att bidraget kommer att användas enligt den gemensamma överenskommelsen."

var accountNames = map[string]string{"bankgiro": "Bankgiro", "plusgiro": "Plusgiro"}

// RequisitionPDF writes the requisition as a PDF laid out like Bilaga 1's
// Rekvisition.
func RequisitionPDF(w io.Writer, d RequisitionDoc) error {
	r := d.Req
	footer := rehearsal(d.Rehearsal, "Rekvisition "+r.ID+" · "+d.AgreementID+" · utskriven "+when(d.Generated))
	return render(w, dnrHeader(r.AgreementDnr, r.PaymentDecisionDnr), footer, func(s *sheet) {
		s.title("Rekvisition")
		s.paragraph(d.AgreementName+" – status: "+r.Status.Swedish(), false)
		contact(s, d.Recipient, r.Contact)
		s.heading("2. Bidrag som ansökan avser")
		s.field("Regeringskansliets diarienummer för bakomliggande överenskommelse", r.AgreementDnr)
		s.field("Regeringskansliets diarienummer för regeringsbeslut avseende utbetalning", r.PaymentDecisionDnr)
		s.field("Överenskommelsens benämning", d.AgreementName)
		s.field("Belopp som rekvireras", r.Amount.String())
		s.field("Rekvisitionen avser perioden", r.PeriodFrom+" – "+r.PeriodTo)
		s.heading("3. Uppgifter för utbetalning")
		s.field("Bankgiro/Plusgiro", strings.TrimSpace(accountNames[r.Account.Type]+" "+r.Account.Number))
		s.field("Önskad betalningsreferens", r.PaymentReference)
		s.heading("4. Underskrift i original av behörig företrädare")
		s.paragraph(Attestation, false)
		signature(s, r.SignedAt, r.SignedBy)
	})
}

// contact writes Bilaga 1's point 1, the same on every document.
func contact(s *sheet, o org.Organisation, c grant.Contact) {
	s.heading("1. Kontaktuppgifter")
	s.field("Bidragsmottagare", o.Name)
	s.field("Organisationsnummer", o.OrgNr)
	s.field("Kontaktperson", c.Name)
	s.field("Postadress", o.Address)
	s.field("Telefon inkl. riktnummer", c.Phone)
	s.field("Faxnummer", "")
	s.field("E-postadress", c.Email)
}

// signature writes the date, the signature and the name clarification.
func signature(s *sheet, at time.Time, name string) {
	sig := "Ej underskriven"
	if !at.IsZero() {
		sig = "Elektroniskt underskriven i narvard " + when(at)
	}
	s.field("Datum", day(at))
	s.field("Underskrift", sig)
	s.field("Namnförtydligande", name)
}
