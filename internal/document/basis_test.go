package document

import (
	"bytes"
	"testing"
	"time"

	"narvard/internal/money"
	"narvard/internal/org"
	"narvard/internal/plan"
)

// The decision basis shows the allocation with its keys, the conditions,
// the deadlines, the plan with cost objects and earmarks, and the proposed
// decision.
func TestBasisPDF(t *testing.T) {
	amount := money.Kr(24_000_000)
	p := plan.Plan{ID: "P-1", Version: 2, Status: plan.Draft, Measures: []plan.Measure{
		{Component: "nara_vard", Goal: "Utveckla vårdnivån primärvård", Measure: "24 mkr till vårdenheterna", Amount: &amount, CostObject: "9916", PrivateProviders: true},
		{Component: "vidareutbildning", Measure: "Vidareutbildning för sjuksköterskor", CostObject: "9917"},
	}}
	var buf bytes.Buffer
	err := BasisPDF(&buf, BasisDoc{AgreementName: "God och nära vård 2023", AgreementID: "gnv-2023", AgreementDnr: "S2023/00001",
		Parties: []string{"Staten", "SKR"}, PeriodFrom: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), PeriodTo: time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC),
		Recipient: org.Organisation{ID: "region-23", Name: "Region Jämtland Härjedalen", OrgNr: "232100-0214"}, Body: "Regionstyrelsen",
		Components: []BasisComponent{
			{Label: "Nära vård", Keys: []string{"Nära vård, efter befolkningsandel: befolkningsandel"}, Amount: 41_247_254, Planned: 24_000_000, Unassigned: 17_247_254, Objects: []string{"9916"}},
			{Label: "Vidareutbildning", Amount: 5_039_944, Earmarked: true, Unassigned: 5_039_944, Objects: []string{"9917"}},
		},
		Conditions: []BasisCondition{{Section: "2.3.1", Text: "Regionen ska ta fram en plan för att öka antalet listade per läkare."}},
		Deadlines:  []BasisDeadline{{Date: time.Date(2023, 11, 30, 0, 0, 0, 0, time.UTC), Name: "Sista dag för rekvisition"}},
		Plan:       p, Labels: map[string]string{"nara_vard": "Nära vård", "vidareutbildning": "Vidareutbildning"}, Generated: signed, Rehearsal: true})
	if err != nil {
		t.Fatal(err)
	}
	text := ""
	for _, page := range pdfText(t, buf.Bytes()) {
		text += page
	}
	requireAll(t, text, "Beslutsunderlag: God och nära vård 2023", "Region Jämtland Härjedalen", "232100-0214", "till Regionstyrelsen",
		"S2023/00001", "2023-01-01 – 2023-12-31", "Tilldelat Region Jämtland Härjedalen 46 287 198 kr",
		"Nära vård 41 247 254 kr", "Fördelas efter: Nära vård, efter befolkningsandel: befolkningsandel.", "Vidareutbildning (öronmärkt) 5 039 944 kr",
		"2.3.1", "öka antalet listade per läkare", "2023-11-30", "Sista dag för rekvisition",
		"ram 41 247 254 kr, planerat 24 000 000 kr, ej fördelat 17 247 254 kr; bokförs på kostnadsobjekt 9916",
		"24 mkr till vårdenheterna", "kostnadsobjekt 9916", "privata utförare deltar", "ej fördelat",
		"Regionstyrelsen föreslås besluta", "att godkänna fördelningen av 46 287 198 kr",
		"att de öronmärkta medlen (Vidareutbildning 5 039 944 kr) inte får användas för andra ändamål", "ÖVNING")
}
