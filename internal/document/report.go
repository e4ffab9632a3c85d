package document

import (
	"io"
	"time"

	"narvard/internal/grant"
	"narvard/internal/org"
)

// ReportDoc is what a financial report's PDF shows.
type ReportDoc struct {
	AgreementName string
	AgreementID   string
	Recipient     org.Organisation
	Report        grant.FinancialReport
	Accounting    grant.Accounting
	Late          bool
	Generated     time.Time
	Rehearsal     bool // made on a rehearsal clock: every page says ÖVNING
	// Shares is an RSS's report split per component on its own part and
	// each municipality's (none for other recipients).
	Shares []grant.RSSShare
}

// ReportAttestation is Bilaga 1's text above a financial report's
// signature.
const ReportAttestation = "Bidragstagaren intygar att lämnade uppgifter är riktiga."

// ReportPDF writes the financial report as a PDF laid out like Bilaga 1's
// Ekonomisk redovisning.
func ReportPDF(w io.Writer, d ReportDoc) error {
	r, a := d.Report, d.Accounting
	footer := rehearsal(d.Rehearsal, "Ekonomisk redovisning "+r.ID+" · "+d.AgreementID+" · utskriven "+when(d.Generated))
	return render(w, dnrHeader(r.AgreementDnr, r.PaymentDecisionDnr), footer, func(s *sheet) {
		s.title("Ekonomisk redovisning")
		s.paragraph(d.AgreementName+" – status: "+r.Status.Swedish(), false)
		contact(s, d.Recipient, r.Contact)
		s.heading("2. Bidrag som ansökan avser")
		s.field("Regeringskansliets diarienummer för bakomliggande överenskommelse", r.AgreementDnr)
		s.field("Regeringskansliets diarienummer avseende regeringsbeslut för utbetalning", r.PaymentDecisionDnr)
		s.field("Överenskommelsens benämning", d.AgreementName)
		s.field("Summa bidrag enligt överenskommelsen", a.Granted.String())
		s.field("Summa bidrag som utbetalats från regeringen/Regeringskansliet", a.Paid.String())
		s.field("Period som den ekonomiska redovisningen avser", r.PeriodFrom+" – "+r.PeriodTo)
		s.heading("3. Redovisning av verksamhet eller aktivitet")
		s.amount("Bidrag som erhållits av regeringen/Regeringskansliet", a.Paid.String(), false)
		s.paragraph("Kostnader (större kostnadsposter):", true)
		labels := componentLabels(a)
		for _, c := range r.Costs {
			item := c.Item
			if l := labels[c.Component]; l != "" {
				item += " (" + l + ")"
			}
			s.amount("  "+item, c.Amount.String(), false)
		}
		s.rule()
		s.amount("Summa kostnader", a.Costs.String(), true)
		s.amount("Medel som inte har förbrukats (Bidrag – kostnader)", a.Unspent.String(), true)
		if a.OverGrant > 0 {
			s.amount("Kostnader över bidraget", a.OverGrant.String(), false)
		}
		s.paragraph("Per del av överenskommelsen (utbetalt fördelat efter tilldelningen):", true)
		for _, c := range a.Components {
			label := c.Label
			if c.Earmarked {
				label += " (öronmärkt)"
			}
			s.amount("  "+label+": utbetalt "+c.Paid.String()+", kostnader "+c.Costs.String(), "ej använt "+c.Unused.String(), false)
		}
		s.amount("Att återbetala till Kammarkollegiet", a.Due.String(), true)
		shares(s, d.Shares)
		review(s, r.Review)
		s.heading("5. Underskrift i original av behörig företrädare")
		s.paragraph(ReportAttestation, false)
		signature(s, r.SignedAt, r.SignedBy)
		if d.Late {
			s.paragraph("Inlämnad efter sista dag för ekonomisk redovisning.", true)
		}
	})
}

func componentLabels(a grant.Accounting) map[string]string {
	out := map[string]string{}
	for _, c := range a.Components {
		out[c.ID] = c.Label
	}
	return out
}

// review writes Bilaga 1's point 4, the CFO's review.
func review(s *sheet, rv *grant.Review) {
	s.heading("4. Ekonomichefens (eller motsvarande) granskning av den ekonomiska redovisningen")
	if rv == nil {
		s.paragraph("Ej granskad.", false)
		return
	}
	switch rv.Alternative {
	case 1:
		s.paragraph("Alt 1: "+rv.Name+" intygar att den ekonomiska redovisningen under punkt 3 är korrekt.", false)
	case 2:
		s.paragraph("Alt 2: "+rv.Name+" bedömer inte att den ekonomiska redovisningen under punkt 3 är korrekt.", false)
		s.field("Avvikelser", rv.Deviations)
		s.field("Åtgärder", rv.Actions)
	}
	s.field("Namn", rv.Name)
	s.field("Befattning", rv.Title)
	s.field("Telefon inkl. riktnummer", rv.Phone)
	s.field("E-postadress", rv.Email)
	s.field("Granskad", when(rv.At))
}

// shares writes an RSS's own part and each municipality's, per component:
// received, reported (the municipality's accepted report) and left.
func shares(s *sheet, list []grant.RSSShare) {
	if len(list) == 0 {
		return
	}
	s.paragraph("RSS:ens egen del och kommunernas (mottaget, redovisat, kvar):", true)
	line := func(who string, u grant.ComponentUse, note string, bold bool) {
		s.amount("  "+who+": mottaget "+u.Received.String()+", redovisat "+u.Reported.String()+note, "kvar "+u.Left().String(), bold)
	}
	for _, sh := range list {
		s.paragraph(sh.Label, true)
		line("RSS:ens egen del", sh.Own, "", false)
		for _, k := range sh.Kommuner {
			note := " (ej redovisat)"
			if k.Status != "" {
				note = " (" + k.Status.Swedish() + ")"
			}
			line(k.Name, k.ComponentUse, note, false)
		}
		line("Summa", sh.Total, "", true)
	}
}
