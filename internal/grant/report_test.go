package grant

import (
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/money"
)

// alloc100 is a small allocation: 60 general, 30 and 10 earmarked.
var alloc100 = Allocation{Recipient: "region-25", Components: []ComponentAmount{
	{ID: "nara_vard", Amount: 60},
	{ID: "vidareutbildning", Amount: 30, Earmarked: true},
	{ID: "karriartjanster", Amount: 10, Earmarked: true},
}}

func costs(lines ...any) ReportForm {
	var f ReportForm
	for i := 0; i < len(lines); i += 2 {
		f.Costs = append(f.Costs, CostLine{Item: "x", Component: lines[i].(string), Amount: money.Kr(lines[i+1].(int))})
	}
	return f
}

func TestTally(t *testing.T) {
	tests := []struct {
		name                      string
		paid                      money.Kr
		form                      ReportForm
		unspent, over, due, total money.Kr
	}{
		{"spent all", 100, costs("nara_vard", 60, "vidareutbildning", 30, "karriartjanster", 10), 0, 0, 0, 100},
		{"spent part of the general money", 100, costs("nara_vard", 40, "vidareutbildning", 30, "karriartjanster", 10), 20, 0, 20, 80},
		{"earmarked unused is due in full", 100, costs("nara_vard", 70, "vidareutbildning", 20, "karriartjanster", 10), 0, 0, 10, 100},
		{"earmarked overspend covers general", 100, costs("nara_vard", 50, "vidareutbildning", 40, "karriartjanster", 10), 0, 0, 0, 100},
		{"costs above the grant", 100, costs("nara_vard", 90, "vidareutbildning", 30, "karriartjanster", 10), 0, 30, 0, 130},
		{"nothing spent", 100, costs("nara_vard", 0), 100, 0, 100, 0},
		// Half was paid: shares 30/15/5.
		{"half paid", 50, costs("nara_vard", 30, "vidareutbildning", 10, "karriartjanster", 5), 5, 0, 5, 45},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			acc, err := Tally(alloc100, tt.paid, tt.form)
			if err != nil {
				t.Fatal(err)
			}
			if acc.Unspent != tt.unspent || acc.OverGrant != tt.over || acc.Due != tt.due || acc.Costs != tt.total || acc.Granted != 100 {
				t.Errorf("got unspent %d over %d due %d costs %d, want %d %d %d %d",
					acc.Unspent, acc.OverGrant, acc.Due, acc.Costs, tt.unspent, tt.over, tt.due, tt.total)
			}
			var paid money.Kr
			for _, c := range acc.Components {
				paid += c.Paid
			}
			if paid != tt.paid {
				t.Errorf("component shares sum to %d, paid %d", paid, tt.paid)
			}
		})
	}
}

func TestReportValidate(t *testing.T) {
	from, to := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC)
	good := func() ReportForm {
		f := costs("nara_vard", 60, "vidareutbildning", 30)
		f.PeriodFrom, f.PeriodTo = "2023-01-01", "2023-12-31"
		f.Contact = Contact{"A", "a@b.se", "010-1"}
		f.AgreementDnr, f.PaymentDecisionDnr = "S1", "S2"
		return f
	}
	tests := []struct {
		name  string
		edit  func(*ReportForm)
		field string
	}{
		{"good", func(*ReportForm) {}, ""},
		{"negative cost", func(f *ReportForm) { f.Costs[0].Amount = -1 }, "costs[0].amount_kr"},
		{"no item", func(f *ReportForm) { f.Costs[1].Item = "" }, "costs[1].item"},
		{"unknown component", func(f *ReportForm) { f.Costs[0].Component = "ambulans" }, "costs[0].component"},
		{"no component with earmarked money", func(f *ReportForm) { f.Costs[0].Component = "" }, "costs[0].component"},
		{"no costs", func(f *ReportForm) { f.Costs = nil }, "costs"},
		{"no dnr", func(f *ReportForm) { f.PaymentDecisionDnr = "" }, "payment_decision_dnr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := good()
			tt.edit(&f)
			err := f.Validate(alloc100, from, to)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e, ok := err.(*fault.Error)
			if !ok || e.Code != fault.Invalid || e.Fields[tt.field] == "" {
				t.Errorf("err = %v, want a message for %s", err, tt.field)
			}
		})
	}
}

func TestReportOrder(t *testing.T) {
	now := time.Now()
	cfo := auth.Actor{Org: "region-25", Role: auth.CFO, Name: "C"}
	sig := auth.Actor{Org: "region-25", Role: auth.Signatory, Name: "S"}
	payer := auth.Actor{Org: "kammarkollegiet", Role: auth.Payer}
	r := &FinancialReport{Status: ReportDraft}
	if err := r.SignReport(sig, now); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("sign before review: %v", err)
	}
	if err := r.ReviewReport(cfo, Review{Alternative: 2, Deviations: "x"}, now); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("alt 2 without actions: %v", err)
	}
	if err := r.ReviewReport(cfo, Review{Alternative: 3}, now); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("alt 3: %v", err)
	}
	if err := r.ReviewReport(cfo, Review{Alternative: 2, Deviations: "Fel konto", Actions: "Rättat"}, now); err != nil || r.Status != ReportReviewed {
		t.Fatalf("review: %v", err)
	}
	if err := r.AcceptReport(payer, now); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("accept before submit: %v", err)
	}
	if err := r.SignReport(sig, now); err != nil || r.Status != ReportSubmitted {
		t.Fatalf("sign: %v", err)
	}
	if err := r.ReturnReport(payer, "Saknar bilaga", now); err != nil || r.Status != ReportReturned {
		t.Fatalf("return: %v", err)
	}
	if err := r.CorrectReport(ReportForm{}, now); err != nil || r.Status != ReportDraft || r.Review != nil {
		t.Fatalf("correct: %v", err)
	}
}
