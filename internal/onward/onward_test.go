package onward

import (
	"strings"
	"testing"

	"narvard/internal/fault"
	"narvard/internal/money"
)

// Jämtland's eight municipalities with figures made for hand computation:
// befolkning sums to 100 000 and kommunal_hsv to 2 000.
var (
	jamtland = []string{"2380", "2303", "2305", "2309", "2313", "2321", "2326", "2361"} // unsorted on purpose
	figures  = []Figure{
		{"2303", 5000, 100}, {"2305", 6000, 100}, {"kommun-2309", 15000, 300}, {"2313", 11000, 200},
		{"2321", 12000, 200}, {"2326", 7000, 100}, {"2361", 10000, 200}, {"2380", 34000, 800},
	}
	comps = []Component{
		{ID: "k1", Amount: 1_000_003},
		{ID: "k2", Amount: 1_000_006},
		{ID: "k3", Amount: 200_001},
		{ID: "k4", Amount: 800_001},
		{ID: "k5", Amount: 80_000, Earmarked: true},
	}
)

func manual(off money.Kr) []Amount {
	var out []Amount
	for _, k := range []string{"2303", "2305", "2309", "2313", "2321", "2326", "2361", "2380"} {
		a := money.Kr(10_000)
		if k == "2380" {
			a += off
		}
		out = append(out, Amount{Kommun: k, Component: "k5", Amount: a})
	}
	return out
}

func plan(off money.Kr) Plan {
	return Plan{
		Components: map[string]Spec{
			"k1": {Key: Population},
			"k2": {Key: Equal, KeptKr: 3, KeptFor: "Gemensam utbildning i länet"},
			"k3": {Key: Mixed, Weights: map[string]string{"befolkning": "1/2", "kommunal_hsv": "1/2"}},
			"k4": {Key: BasePlusPopulation, BaseKr: 50_000},
			"k5": {Key: Manual},
		},
		Figures: figures,
		Amounts: manual(off),
	}
}

// TestSplitByEachKey checks a county's split by every key cell by cell
// against a hand computation:
//
//	k1, population, 1 000 003 kr: exact 10.00003 × befolkning; floors sum
//	  to 1 000 001, the two kronor left go to the largest remainders,
//	  Krokom (.45) and Åre (.36).
//	k2, equal, 1 000 006 kr less 3 kept: 125 000.375 each; three kronor
//	  left, all remainders tie, so the three lowest codes get one.
//	k3, mixed 1/2 befolkning + 1/2 kommunal_hsv, 200 001 kr: shares
//	  .05 .055 .15 .105 .11 .06 .10 .37; floors sum to 200 000, the krona
//	  left goes to Östersund (.37).
//	k4, 50 000 kr each and the 400 001 kr left by befolkning (4.00001 ×
//	  befolkning): one krona left, to Östersund (.34).
//	k5, manual, 10 000 kr each, earmarked.
func TestSplitByEachKey(t *testing.T) {
	got, err := Compute(comps, jamtland, plan(0))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]money.Kr{
		"k1": {"2303": 50_000, "2305": 60_000, "2309": 150_001, "2313": 110_000, "2321": 120_001, "2326": 70_000, "2361": 100_000, "2380": 340_001},
		"k2": {"2303": 125_001, "2305": 125_001, "2309": 125_001, "2313": 125_000, "2321": 125_000, "2326": 125_000, "2361": 125_000, "2380": 125_000},
		"k3": {"2303": 10_000, "2305": 11_000, "2309": 30_000, "2313": 21_000, "2321": 22_000, "2326": 12_000, "2361": 20_000, "2380": 74_001},
		"k4": {"2303": 70_000, "2305": 74_000, "2309": 110_000, "2313": 94_000, "2321": 98_000, "2326": 78_000, "2361": 90_000, "2380": 186_001},
		"k5": {"2303": 10_000, "2305": 10_000, "2309": 10_000, "2313": 10_000, "2321": 10_000, "2326": 10_000, "2361": 10_000, "2380": 10_000},
	}
	if len(got.Rows) != 8*5 {
		t.Fatalf("%d rows, want 40", len(got.Rows))
	}
	sums := map[string]money.Kr{}
	for i, r := range got.Rows {
		if w := want[r.Component][r.Kommun]; r.Amount != w {
			t.Errorf("%s %s = %d, want %d", r.Kommun, r.Component, r.Amount, w)
		}
		if r.Earmarked != (r.Component == "k5") {
			t.Errorf("%s %s earmarked = %v", r.Kommun, r.Component, r.Earmarked)
		}
		if i > 0 && got.Rows[i-1].Kommun > r.Kommun {
			t.Errorf("rows not sorted by municipality at %d", i)
		}
		sums[r.Component] += r.Amount
	}
	kept := map[string]money.Kr{}
	for _, k := range got.Kept {
		kept[k.Component] = k.Amount
	}
	if len(got.Kept) != 1 || kept["k2"] != 3 || got.Kept[0].For == "" {
		t.Errorf("kept = %+v, want 3 kr of k2 with its purpose", got.Kept)
	}
	for _, c := range comps {
		if sums[c.ID]+kept[c.ID] != c.Amount {
			t.Errorf("%s: rows %d + kept %d ≠ %d", c.ID, sums[c.ID], kept[c.ID], c.Amount)
		}
	}
	if got.KommunTotal("2380") != 340_001+125_000+74_001+186_001+10_000 {
		t.Errorf("Östersund's total %d", got.KommunTotal("2380"))
	}
}

func TestManualSplitOneKronaOffIsRefused(t *testing.T) {
	for _, off := range []money.Kr{1, -1} {
		_, err := Compute(comps, jamtland, plan(off))
		if fault.CodeOf(err) != fault.Invalid || !strings.Contains(err.Error(), "exakt 80 000 kr") {
			t.Errorf("manual split %+d kr: %v", off, err)
		}
	}
}

func TestSplitRefusals(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *Plan)
		want string
	}{
		{"figures missing", func(p *Plan) { p.Figures = p.Figures[1:] }, "Nyckeltal saknas för 2303"},
		{"foreign municipality", func(p *Plan) { p.Figures = append(p.Figures, Figure{"0114", 1, 1}) }, "hör inte till länet"},
		{"component missing", func(p *Plan) { delete(p.Components, "k4") }, "components.k4"},
		{"unknown component", func(p *Plan) { p.Components["x"] = Spec{Key: Equal} }, "components.x"},
		{"kept without purpose", func(p *Plan) { p.Components["k1"] = Spec{Key: Population, KeptKr: 5} }, "kept_for"},
		{"kept too much", func(p *Plan) { p.Components["k1"] = Spec{Key: Population, KeptKr: 2_000_000, KeptFor: "x"} }, "kept_kr"},
		{"weights not one", func(p *Plan) {
			p.Components["k3"] = Spec{Key: Mixed, Weights: map[string]string{"befolkning": "1/2", "kommunal_hsv": "1/3"}}
		}, "summerar till 5/6"},
		{"base too large", func(p *Plan) { p.Components["k4"] = Spec{Key: BasePlusPopulation, BaseKr: 200_000} }, "grundbeloppet"},
		{"unknown key", func(p *Plan) { p.Components["k1"] = Spec{Key: "lottery"} }, "okänd fördelningsnyckel"},
	}
	for _, tt := range tests {
		p := plan(0)
		tt.edit(&p)
		_, err := Compute(comps, jamtland, p)
		if fault.CodeOf(err) != fault.Invalid || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want invalid with %q", tt.name, err, tt.want)
		}
	}
}

func TestPaymentCannotExceedWhatTheRSSReceived(t *testing.T) {
	split, err := Compute(comps, jamtland, plan(0))
	if err != nil {
		t.Fatal(err)
	}
	d := Decision{ID: "V-1", Status: Decided, Split: split}
	pay := Payment{PaidOn: "2023-12-01", Lines: []PaymentLine{{"2380", 100_000}, {"2303", 50_000}}}
	if err := CheckPayment(pay, d, nil, 150_000, 0); err != nil {
		t.Errorf("exactly what was received: %v", err)
	}
	err = CheckPayment(pay, d, nil, 200_000, 50_001)
	if fault.CodeOf(err) != fault.Conflict || !strings.Contains(err.Error(), "mer än den har fått") {
		t.Errorf("one krona more than received: %v", err)
	}
	over := Payment{PaidOn: "2023-12-01", Lines: []PaymentLine{{"2303", 1}}}
	if err := CheckPayment(over, d, map[string]money.Kr{"2303": split.KommunTotal("2303")}, 10_000_000, 0); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("more than the decision gives a municipality: %v", err)
	}
	if err := CheckPayment(Payment{PaidOn: "2023-12-01", Lines: []PaymentLine{{"0114", 1}}}, d, nil, 10, 0); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("a municipality outside the decision: %v", err)
	}
	d.Status = Draft
	if err := CheckPayment(pay, d, nil, 10_000_000, 0); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("a draft paid: %v", err)
	}
}

func TestDecide(t *testing.T) {
	d := Decision{ID: "V-1", Status: Draft}
	if err := d.Decide("s@x", d.CreatedAt, "2023-13-01", ""); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("bad date and no reference: %v", err)
	}
	if err := d.Decide("s@x", d.CreatedAt, "2023-12-01", "RSS 2023/14"); err != nil || d.Status != Decided {
		t.Fatalf("decide: %v %s", err, d.Status)
	}
	if err := d.Decide("s@x", d.CreatedAt, "2023-12-01", "RSS 2023/14"); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("decided twice: %v", err)
	}
}
