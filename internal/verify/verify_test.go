package verify

import (
	"bytes"
	"strings"
	"testing"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
	"narvard/internal/money"
)

func gnv(t *testing.T) *agreement.Agreement {
	t.Helper()
	a, err := agreement.Builtin().Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestDefaultToleranceListsNaraVardAndBilaga4(t *testing.T) {
	got, err := Check(gnv(t), DefaultTolerance)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 22 {
		t.Fatalf("findings = %d, want 21 Nära vård cells + Bilaga 4's sum:\n%v", len(got), got)
	}
	codes := map[string]bool{}
	var maxDiff money.Kr
	for _, f := range got[:21] {
		if f.Table != "bilaga3" || f.Component != "nara_vard" {
			t.Errorf("unexpected finding %+v", f)
		}
		if f.Diff != f.Published-f.Computed {
			t.Errorf("%s: diff %d != %d - %d", f.Code, f.Diff, f.Published, f.Computed)
		}
		codes[f.Code] = true
		maxDiff = max(maxDiff, abs(f.Diff))
	}
	if len(codes) != 21 {
		t.Errorf("distinct codes = %d", len(codes))
	}
	if maxDiff != 114364 {
		t.Errorf("largest departure = %d, want 114 364 as the issue states", maxDiff)
	}
	last := got[21]
	want := Finding{Table: "bilaga4", Code: TotalCode, Component: "landsbygd", Published: 299999998, Computed: 300000000, Diff: -2}
	last.Text = ""
	if last != want {
		t.Errorf("bilaga 4 finding = %+v, want %+v", last, want)
	}
}

// TestZeroToleranceListsEveryDifferingCell recomputes every published cell
// from the allocation tables and checks that exactly the differing ones are
// listed.
func TestZeroToleranceListsEveryDifferingCell(t *testing.T) {
	a := gnv(t)
	got, err := Check(a, 0)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]money.Kr{}
	for _, f := range got {
		if f.Diff == 0 {
			t.Errorf("listed without difference: %+v", f)
		}
		listed[f.Table+"/"+f.Code+"/"+f.Component] = f.Diff
	}
	want := 0
	for _, p := range a.Published {
		if p.SumOnly {
			continue
		}
		name := agreement.TableRegioner
		if p.Recipient == agreement.RSS {
			name = agreement.TableKommuner
		}
		tab, err := alloc.Build(a, alloc.FromAgreement(a), name)
		if err != nil {
			t.Fatal(err)
		}
		for ci, col := range p.Columns {
			if col == "totalt" {
				continue
			}
			for _, pr := range p.Rows {
				row, _ := tab.Row(pr.Code)
				diff := money.Kr(pr.Kr[ci]) - row.Cells[ci].Amount
				if diff == 0 {
					continue
				}
				want++
				if listed[p.ID+"/"+pr.Code+"/"+col] != diff {
					t.Errorf("%s %s %s: diff %d not listed (listed %d)", p.ID, pr.Code, col, diff, listed[p.ID+"/"+pr.Code+"/"+col])
				}
			}
		}
	}
	if len(got) != want+1 { // + Bilaga 4's sum
		t.Errorf("findings = %d, want %d differing cells + 1 sum", len(got), want)
	}
	if want <= 21 {
		t.Errorf("only %d differing cells; hand-rounded tables should differ by a krona here and there", want)
	}
}

func TestWriters(t *testing.T) {
	a := gnv(t)
	got, err := Check(a, DefaultTolerance)
	if err != nil {
		t.Fatal(err)
	}
	var csv, text bytes.Buffer
	if err := WriteCSV(&csv, got); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	if lines[0] != "tabell,kod,komponent,publicerat,beraknat,differens" || len(lines) != 23 {
		t.Errorf("csv: %d lines, header %q", len(lines), lines[0])
	}
	if lines[22] != "bilaga4,totalt,landsbygd,299999998,300000000,-2" {
		t.Errorf("last csv line = %q", lines[22])
	}
	if err := WriteText(&text, a, got, DefaultTolerance); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Region Norrbotten, Nära vård: publicerat 64 668 499 kr", "114 364 kr lägre", "summerar till 299 999 998 kr", "2 kr saknas"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
}
