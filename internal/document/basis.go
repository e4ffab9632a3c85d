package document

import (
	"io"
	"strconv"
	"strings"
	"time"

	"narvard/internal/money"
	"narvard/internal/org"
	"narvard/internal/plan"
)

// BasisDoc is what a board's or committee's decision basis
// (beslutsunderlag) for a recipient's money shows: the agreement in
// brief, the recipient's allocation per component with its keys, the
// conditions and deadlines that apply to it, the plan with its cost
// objects and earmarks, and the proposed decision.
type BasisDoc struct {
	AgreementName string
	AgreementID   string
	AgreementDnr  string
	Parties       []string
	PeriodFrom    time.Time
	PeriodTo      time.Time
	Recipient     org.Organisation
	Body          string // the board or committee that decides, e.g. Regionstyrelsen
	Components    []BasisComponent
	Conditions    []BasisCondition
	Deadlines     []BasisDeadline
	Plan          plan.Plan
	Labels        map[string]string // component id → its name
	Generated     time.Time
	Rehearsal     bool // the clock is a rehearsal's: every page says so
}

// BasisComponent is one component of the recipient's allocation against
// the plan.
type BasisComponent struct {
	Label      string
	Keys       []string // how it is apportioned: "Nära vård, efter befolkningsandel: befolkningsandel"
	Amount     money.Kr
	Earmarked  bool
	Planned    money.Kr
	Unassigned money.Kr
	Objects    []string
}

// BasisCondition is a condition of the agreement that applies to the
// recipient, with the agreement's section.
type BasisCondition struct{ Section, Text string }

// BasisDeadline is a date the recipient must keep.
type BasisDeadline struct {
	Date time.Time
	Name string
}

// BasisPDF writes the decision basis.
func BasisPDF(w io.Writer, d BasisDoc) error {
	footer := rehearsal(d.Rehearsal, "Beslutsunderlag · "+d.Recipient.Name+" · "+d.AgreementID+" · plan "+d.Plan.ID+" version "+
		strconv.Itoa(d.Plan.Version)+" · utskrivet "+when(d.Generated))
	header := "Regeringskansliets dnr för överenskommelsen: " + orDash(d.AgreementDnr)
	return render(w, header, footer, func(s *sheet) {
		s.title("Beslutsunderlag: " + d.AgreementName)
		s.paragraph(d.Recipient.Name+" ("+orDash(d.Recipient.OrgNr)+") · till "+orDash(d.Body), false)
		basisAgreement(s, d)
		basisAllocation(s, d)
		basisConditions(s, d)
		basisDeadlines(s, d)
		basisPlan(s, d)
		basisProposal(s, d)
	})
}

func basisAgreement(s *sheet, d BasisDoc) {
	s.heading("1. Överenskommelsen i korthet")
	s.field("Överenskommelse", d.AgreementName)
	s.field("Parter", strings.Join(d.Parties, "; "))
	s.field("Period", day(d.PeriodFrom)+" – "+day(d.PeriodTo))
	var total money.Kr
	for _, c := range d.Components {
		total += c.Amount
	}
	s.field("Tilldelat "+d.Recipient.Name, total.String())
}

func basisAllocation(s *sheet, d BasisDoc) {
	s.heading("2. Tilldelning per del och fördelningsnyckel")
	for _, c := range d.Components {
		label := c.Label
		if c.Earmarked {
			label += " (öronmärkt)"
		}
		s.amount(label, c.Amount.String(), true)
		if len(c.Keys) > 0 {
			s.paragraph("Fördelas efter: "+strings.Join(c.Keys, "; ")+".", false)
		}
	}
}

func basisConditions(s *sheet, d BasisDoc) {
	s.heading("3. Villkor som gäller " + d.Recipient.Name)
	if len(d.Conditions) == 0 {
		s.paragraph("Överenskommelsens villkor finns i dess avsnitt 2–5.", false)
		return
	}
	for _, c := range d.Conditions {
		s.field(c.Section, c.Text)
	}
}

func basisDeadlines(s *sheet, d BasisDoc) {
	s.heading("4. Tidsfrister")
	for _, dl := range d.Deadlines {
		s.field(day(dl.Date), dl.Name)
	}
}

func basisPlan(s *sheet, d BasisDoc) {
	s.heading("5. Förslag till fördelning (plan version " + strconv.Itoa(d.Plan.Version) + ", " + d.Plan.Status.Swedish() + ")")
	for _, c := range d.Components {
		s.paragraph(c.Label+": ram "+c.Amount.String()+", planerat "+c.Planned.String()+", ej fördelat "+c.Unassigned.String()+
			objectsText(c.Objects), true)
		for _, m := range d.Plan.Measures {
			if d.Labels[m.Component] != c.Label {
				continue
			}
			basisMeasure(s, m)
		}
	}
}

func basisMeasure(s *sheet, m plan.Measure) {
	amount := "ej fördelat"
	if m.Amount != nil {
		amount = m.Amount.String()
	}
	text := m.Measure
	if m.Goal != "" {
		text = m.Goal + ": " + text
	}
	if m.Purpose != "" {
		text += " – medlen avser: " + m.Purpose
	}
	extra := []string{"kostnadsobjekt " + orDash(m.CostObject)}
	if m.Responsible != "" {
		extra = append(extra, "ansvarig "+m.Responsible)
	}
	if m.PrivateProviders {
		extra = append(extra, "privata utförare deltar")
	}
	s.field(amount, text+" ("+strings.Join(extra, ", ")+")")
}

func objectsText(objects []string) string {
	if len(objects) == 0 {
		return ""
	}
	return "; bokförs på kostnadsobjekt " + strings.Join(objects, ", ")
}

func basisProposal(s *sheet, d BasisDoc) {
	s.heading("6. Förslag till beslut")
	var total money.Kr
	var earmarks []string
	for _, c := range d.Components {
		total += c.Amount
		if c.Earmarked {
			earmarks = append(earmarks, c.Label+" "+c.Amount.String())
		}
	}
	s.paragraph(orDash(d.Body)+" föreslås besluta", false)
	s.paragraph("att godkänna fördelningen av "+total.String()+" ur "+d.AgreementName+" enligt planen ovan, med insatserna bokförda på de angivna kostnadsobjekten,", false)
	if len(earmarks) > 0 {
		s.paragraph("att de öronmärkta medlen ("+strings.Join(earmarks, "; ")+") inte får användas för andra ändamål,", false)
	}
	s.paragraph("att medel som ännu inte är fördelade fördelas i särskild ordning inom ramen för överenskommelsens villkor, samt", false)
	s.paragraph("att insatserna följs upp mot bokföringen fram till den ekonomiska redovisningen.", false)
}
