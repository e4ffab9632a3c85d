package verify

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"narvard/internal/agreement"
	"narvard/internal/csvfile"
	"narvard/internal/money"
)

// annexName is how messages name a published table: its title up to the
// first full stop ("Bilaga 2" of "Bilaga 2. Medel till kommunerna …"), or
// its id when it has no title.
func annexName(p agreement.Published) string {
	if name, _, _ := strings.Cut(p.Title, "."); strings.TrimSpace(name) != "" {
		return strings.TrimSpace(name)
	}
	return p.ID
}

// keyText describes how a component or part is apportioned, in Swedish.
func keyText(c agreement.Component, part *agreement.Part) string {
	parts := c.Parts
	if part != nil {
		parts = []agreement.Part{*part}
	}
	var s []string
	for _, p := range parts {
		s = append(s, fmt.Sprintf("%s efter %s", p.Amount, p.Key.Swedish()))
	}
	return strings.Join(s, " + ")
}

func direction(diff money.Kr) string {
	if diff > 0 {
		return fmt.Sprintf("%s högre", diff)
	}
	return fmt.Sprintf("%s lägre", -diff)
}

func cellText(table agreement.Published, name, label string, published, computed money.Kr, c agreement.Component, part *agreement.Part) string {
	return fmt.Sprintf("%s, %s, %s: publicerat %s, beräknat %s enligt bilagans egen nyckel (%s); det publicerade beloppet är %s.",
		annexName(table), name, label, published, computed, keyText(c, part), direction(published-computed))
}

func totalText(table agreement.Published, label string, sum, amount money.Kr) string {
	what := fmt.Sprintf("%s saknas", amount-sum)
	if sum > amount {
		what = fmt.Sprintf("%s för mycket", sum-amount)
	}
	return fmt.Sprintf("%s, kolumnen %s summerar till %s men beloppet i överenskommelsen är %s; %s.",
		annexName(table), label, sum, amount, what)
}

// WriteCSV writes the findings as CSV: tabell,kod,komponent,publicerat,
// beraknat,differens, whole kronor, differens = publicerat − beraknat. The
// text cells are made safe for spreadsheets (csvfile.Text); a negative
// difference stays a number.
func WriteCSV(w io.Writer, findings []Finding) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"tabell", "kod", "komponent", "publicerat", "beraknat", "differens"}); err != nil {
		return err
	}
	for _, f := range findings {
		rec := []string{csvfile.Text(f.Table), csvfile.Text(f.Code), csvfile.Text(f.Component), itoa(f.Published), itoa(f.Computed), itoa(f.Diff)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func itoa(k money.Kr) string { return strconv.FormatInt(int64(k), 10) }

// WriteText writes the findings for people, one Swedish sentence each, with
// a summary first.
func WriteText(w io.Writer, a *agreement.Agreement, findings []Finding, tolerance money.Kr) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: de publicerade bilagorna jämförda med exakt beräkning enligt bilagornas egna nycklar.\n", a.ShortName)
	fmt.Fprintf(&b, "Tolerans per cell: %s. Kolumnsummor ska stämma på kronan.\n\n", tolerance)
	if len(findings) == 0 {
		b.WriteString("Inga avvikelser.\n")
	}
	for _, f := range findings {
		fmt.Fprintf(&b, "- %s\n", f.Text)
	}
	if len(findings) > 0 {
		fmt.Fprintf(&b, "\n%d avvikelser.\n", len(findings))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
