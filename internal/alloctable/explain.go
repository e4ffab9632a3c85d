package alloctable

import (
	"fmt"
	"io"
	"math/big"
	"strings"

	"narvard/internal/alloc"
	"narvard/internal/money"
)

// WriteExplain writes, in Swedish, how one recipient's amounts in the table
// were reached: for every column and part, the key and what it weighs, the
// exact share as a fraction, the floor, the remainder and its rank, and
// whether a leftover krona was given.
func WriteExplain(w io.Writer, t *alloc.Table, code string) error {
	r, ok := t.Row(code)
	if !ok {
		return fmt.Errorf("koden %q finns inte i tabellen %s", code, t.Name)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s – %s\n%s (kod %s)\n", t.Agreement.ShortName, t.Spec.Title, r.Name, r.Code)
	if r.VFU != nil {
		vfu := t.Agreement.VFU
		fmt.Fprintf(&b, "VFU-veckor %s: %s, %s: %s, ökning: %s\n", vfu.BaseLabel,
			money.Group(r.VFU.WeeksBase), vfu.CurrentLabel, money.Group(r.VFU.WeeksCurrent), money.Group(r.VFU.Increase()))
	}
	b.WriteString("\nRegel: varje andel räknas exakt som ett bråk; alla får heltalsdelen (golvet) av sin exakta andel, och de kronor som blir över delas ut en i taget efter störst rest (lika rest: lägst kod som text).\n")
	for i, col := range t.Columns {
		cell := r.Cells[i]
		fmt.Fprintf(&b, "\n%s: %s\n", col.Label, cell.Amount)
		for _, ps := range cell.Parts {
			explainPart(&b, ps)
		}
	}
	if len(t.Columns) > 1 {
		total, err := r.Total()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "\nTotalt: %s\n", total)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func explainPart(b *strings.Builder, ps alloc.PartShare) {
	p, s := ps.Part, ps.Share
	if p.Name != "" {
		fmt.Fprintf(b, "  Del %q: %s, nyckel: %s\n", p.Name, p.Amount, p.Key.Swedish())
	} else {
		fmt.Fprintf(b, "  %s, nyckel: %s\n", p.Amount, p.Key.Swedish())
	}
	fmt.Fprintf(b, "    underlag: %s\n", ps.Basis)
	if p.Note != "" {
		fmt.Fprintf(b, "    not: %s\n", p.Note)
	}
	if s.Base > 0 {
		fmt.Fprintf(b, "    grundbelopp: %s\n", s.Base)
	}
	fmt.Fprintf(b, "    andel: %s (≈ %s)\n", s.Fraction.RatString(), decimal(s.Fraction, 9))
	fmt.Fprintf(b, "    exakt belopp: %s kr (≈ %s)\n", s.Exact.RatString(), decimal(s.Exact, 6))
	fmt.Fprintf(b, "    golv: %s, rest: %s (≈ %s)\n", s.Floor, s.Remainder.RatString(), decimal(s.Remainder, 6))
	extra := "ingen extra krona"
	if s.Extra {
		extra = "får en av de överblivna kronorna"
	}
	kronor := "kronor"
	if s.Leftover == 1 {
		kronor = "krona"
	}
	fmt.Fprintf(b, "    restens rang: %d av %d; %d %s delades ut efter rest; %s\n", s.Rank, s.Claims, s.Leftover, kronor, extra)
	fmt.Fprintf(b, "    belopp: %s\n", s.Amount)
}

// decimal writes r rounded to n decimals with a decimal comma, for people.
func decimal(r *big.Rat, n int) string {
	return strings.Replace(r.FloatString(n), ".", ",", 1)
}
