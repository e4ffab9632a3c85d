// Package onward is the RSS's onward decision (vidareförmedling): how the
// money the county's RSS receives is split among exactly the county's
// municipalities, per component, by a key the RSS chooses, and its
// payments to them. Every split is exact by the project's one rule
// (alloc.LargestRemainder, ties to the lower code). It knows neither HTTP
// nor SQL.
package onward

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"narvard/internal/alloc"
	"narvard/internal/fault"
	"narvard/internal/money"
)

// Key is how a component is split among the municipalities.
type Key string

// The keys.
const (
	Equal              Key = "equal"                // the same to each, by largest remainder
	Population         Key = "population"           // by befolkning
	Mixed              Key = "mixed"                // weighted shares of befolkning, kommunal_hsv and equal
	BasePlusPopulation Key = "base_plus_population" // base_kr each, the rest by befolkning
	Manual             Key = "manual"               // the amounts given
)

// Keys lists the keys.
var Keys = []Key{Equal, Population, Mixed, BasePlusPopulation, Manual}

// The factors of a mixed key's weights.
const (
	FactorPopulation = "befolkning"
	FactorHSV        = "kommunal_hsv"
	FactorEqual      = "lika"
)

// Spec is how the RSS splits one component.
type Spec struct {
	Key     Key               `json:"key"`
	KeptKr  money.Kr          `json:"kept_kr"`            // kept for joint county work
	KeptFor string            `json:"kept_for,omitempty"` // what the kept part is for
	Weights map[string]string `json:"weights,omitempty"`  // mixed: factor → weight ("1/2")
	BaseKr  money.Kr          `json:"base_kr,omitempty"`  // base_plus_population: to each
}

// Figure is one municipality's key figures, given by the RSS.
type Figure struct {
	Kommun      string `json:"kommun"`
	Befolkning  int64  `json:"befolkning"`
	KommunalHSV int64  `json:"kommunal_hsv"`
}

// Amount is one manual amount: to a municipality of a component.
type Amount struct {
	Kommun    string   `json:"kommun"`
	Component string   `json:"component"`
	Amount    money.Kr `json:"amount_kr"`
}

// Component is one component of the RSS's allocation: the binding amount.
type Component struct {
	ID        string
	Label     string
	Amount    money.Kr
	Earmarked bool
}

// Row is one municipality's amount of one component.
type Row struct {
	Kommun    string   `json:"kommun"`
	Component string   `json:"component"`
	Amount    money.Kr `json:"amount_kr"`
	Earmarked bool     `json:"earmarked"`
}

// Kept is the part of a component the RSS keeps for joint county work.
type Kept struct {
	Component string   `json:"component"`
	Amount    money.Kr `json:"amount_kr"`
	For       string   `json:"for,omitempty"`
}

// Plan is what the RSS drafts: the specs per component, the figures and
// the manual amounts.
type Plan struct {
	Components map[string]Spec `json:"components"`
	Figures    []Figure        `json:"figures,omitempty"`
	Amounts    []Amount        `json:"amounts,omitempty"`
}

// Split is the computed table: one row per municipality and component
// (municipalities by code, components in the allocation's order), and the
// kept parts.
type Split struct {
	Rows []Row  `json:"rows"`
	Kept []Kept `json:"kept"`
}

// KommunTotal sums a municipality's rows.
func (s Split) KommunTotal(kommun string) money.Kr {
	var t money.Kr
	for _, r := range s.Rows {
		if r.Kommun == kommun {
			t += r.Amount
		}
	}
	return t
}

// Code returns a municipality's four-digit code from "2380" or
// "kommun-2380".
func Code(s string) string { return strings.TrimPrefix(strings.TrimSpace(s), "kommun-") }

// Compute splits each component of the allocation among the county's
// municipalities (codes) by the plan. Every component of the allocation
// needs a spec; the figures must cover exactly the municipalities when a
// key uses them; a manual split must sum to the component less the kept
// part exactly. Refusals are fault.Invalid with per-field messages.
func Compute(comps []Component, kommuner []string, p Plan) (Split, error) {
	kommuner = slices.Clone(kommuner)
	slices.Sort(kommuner)
	if len(kommuner) == 0 {
		return Split{}, fault.New(fault.Invalid, "Länet har inga kommuner.")
	}
	bad := fault.Fields{}
	checkSpecs(bad, comps, p.Components)
	figs := readFigures(bad, kommuner, p.Figures)
	if needsFigures(comps, p.Components) {
		checkFiguresCover(bad, kommuner, figs)
	}
	if err := bad.Err(); err != nil {
		return Split{}, err
	}
	var out Split
	for _, c := range comps {
		rows, kept, err := computeComponent(c, p.Components[c.ID], kommuner, figs, p.Amounts)
		if err != nil {
			bad.Add(err.field, "%s", err.msg)
			continue
		}
		out.Rows = append(out.Rows, rows...)
		if kept != nil {
			out.Kept = append(out.Kept, *kept)
		}
	}
	if err := bad.Err(); err != nil {
		return Split{}, err
	}
	slices.SortStableFunc(out.Rows, func(a, b Row) int { return strings.Compare(a.Kommun, b.Kommun) })
	return out, nil
}

// checkSpecs requires a spec for every component of the allocation and
// none for another.
func checkSpecs(bad fault.Fields, comps []Component, specs map[string]Spec) {
	known := map[string]bool{}
	for _, c := range comps {
		known[c.ID] = true
		if _, ok := specs[c.ID]; !ok {
			bad.Add("components."+c.ID, "Ange hur komponenten fördelas.")
		}
	}
	for id := range specs {
		if !known[id] {
			bad.Add("components."+id, "Komponenten finns inte i RSS:ens tilldelning.")
		}
	}
}

// needsFigures reports whether a component's key uses the key figures.
func needsFigures(comps []Component, specs map[string]Spec) bool {
	for _, c := range comps {
		if s, ok := specs[c.ID]; ok && s.Key != Equal && s.Key != Manual {
			return true
		}
	}
	return false
}

// readFigures keeps the figures of the county's municipalities, each once
// and not negative, by code.
func readFigures(bad fault.Fields, kommuner []string, figures []Figure) map[string]Figure {
	figs := map[string]Figure{}
	for i, f := range figures {
		code := Code(f.Kommun)
		switch {
		case !slices.Contains(kommuner, code):
			bad.Add(fmt.Sprintf("figures[%d]", i), "Kommunen %s hör inte till länet.", f.Kommun)
		case figs[code] != Figure{}:
			bad.Add(fmt.Sprintf("figures[%d]", i), "Kommunen %s finns två gånger.", code)
		case f.Befolkning < 0 || f.KommunalHSV < 0:
			bad.Add(fmt.Sprintf("figures[%d]", i), "Nyckeltalen får inte vara negativa.")
		default:
			f.Kommun = code
			figs[code] = f
		}
	}
	return figs
}

// checkFiguresCover requires figures for every municipality of the county.
func checkFiguresCover(bad fault.Fields, kommuner []string, figs map[string]Figure) {
	var missing []string
	for _, k := range kommuner {
		if _, ok := figs[k]; !ok {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		bad.Add("figures", "Nyckeltal saknas för %s.", strings.Join(missing, ", "))
	}
}

// fieldError is a refusal of one field.
type fieldError struct{ field, msg string }

// computeComponent splits one component: its rows per municipality and
// the part kept, if any.
func computeComponent(c Component, s Spec, kommuner []string, figs map[string]Figure, manual []Amount) ([]Row, *Kept, *fieldError) {
	field := "components." + c.ID
	if s.KeptKr < 0 || s.KeptKr > c.Amount {
		return nil, nil, &fieldError{field + ".kept_kr", fmt.Sprintf("Den del som behålls ska vara mellan 0 och %s.", c.Amount)}
	}
	if s.KeptKr > 0 && strings.TrimSpace(s.KeptFor) == "" {
		return nil, nil, &fieldError{field + ".kept_for", "Säg vad den del som behålls ska användas till."}
	}
	amounts, err := split(c, s, s.KeptKr, kommuner, figs, manual)
	if err != nil {
		return nil, nil, &fieldError{field, err.Error()}
	}
	rows := make([]Row, 0, len(kommuner))
	for _, k := range kommuner {
		rows = append(rows, Row{Kommun: k, Component: c.ID, Amount: amounts[k], Earmarked: c.Earmarked})
	}
	if s.KeptKr == 0 {
		return rows, nil, nil
	}
	return rows, &Kept{Component: c.ID, Amount: s.KeptKr, For: strings.TrimSpace(s.KeptFor)}, nil
}

// split is one component's amounts by municipality: the component less
// the kept part, by the spec's key.
func split(c Component, s Spec, kept money.Kr, kommuner []string, figs map[string]Figure, manual []Amount) (map[string]money.Kr, error) {
	amount := c.Amount - kept
	pop := func(k string) *big.Rat { return new(big.Rat).SetInt64(figs[k].Befolkning) }
	switch s.Key {
	case Equal:
		return apportion(amount, weigh(kommuner, func(string) *big.Rat { return big.NewRat(1, 1) }))
	case Population:
		return apportion(amount, weigh(kommuner, pop))
	case BasePlusPopulation:
		return splitBasePlus(amount, s.BaseKr, kommuner, pop)
	case Mixed:
		return splitMixed(amount, s.Weights, kommuner, figs)
	case Manual:
		return splitManual(c, amount, kept, kommuner, manual)
	}
	return nil, fmt.Errorf("okänd fördelningsnyckel %q (%s)", s.Key, keyList())
}

// weigh makes one claim per municipality with its weight.
func weigh(kommuner []string, w func(k string) *big.Rat) []alloc.Claim {
	claims := make([]alloc.Claim, len(kommuner))
	for i, k := range kommuner {
		claims[i] = alloc.Claim{Code: k, Weight: w(k)}
	}
	return claims
}

// apportion splits the amount by the claims by the largest remainder.
func apportion(amount money.Kr, claims []alloc.Claim) (map[string]money.Kr, error) {
	shares, err := alloc.LargestRemainder(amount, claims)
	if err != nil {
		return nil, fmt.Errorf("kan inte fördelas: %v", err)
	}
	out := map[string]money.Kr{}
	for _, sh := range shares {
		out[sh.Code] = sh.Amount
	}
	return out, nil
}

// splitBasePlus gives each municipality the base amount and the rest by
// population.
func splitBasePlus(amount, base money.Kr, kommuner []string, pop func(string) *big.Rat) (map[string]money.Kr, error) {
	n := money.Kr(len(kommuner))
	if base < 0 || base*n > amount {
		return nil, fmt.Errorf("grundbeloppet %s till var och en av %d kommuner är mer än de %s som fördelas", base, n, amount)
	}
	rest, err := apportion(amount-base*n, weigh(kommuner, pop))
	if err != nil {
		return nil, err
	}
	for k := range rest {
		rest[k] += base
	}
	return rest, nil
}

// splitMixed weighs each municipality's shares of population, municipal
// health care and an equal part by the weights.
func splitMixed(amount money.Kr, weights map[string]string, kommuner []string, figs map[string]Figure) (map[string]money.Kr, error) {
	w, err := mixWeights(weights)
	if err != nil {
		return nil, err
	}
	var totPop, totHSV int64
	for _, k := range kommuner {
		totPop += figs[k].Befolkning
		totHSV += figs[k].KommunalHSV
	}
	n := int64(len(kommuner))
	return apportion(amount, weigh(kommuner, func(k string) *big.Rat {
		x := new(big.Rat)
		if totPop > 0 {
			x.Add(x, new(big.Rat).Mul(w[FactorPopulation], big.NewRat(figs[k].Befolkning, totPop)))
		}
		if totHSV > 0 {
			x.Add(x, new(big.Rat).Mul(w[FactorHSV], big.NewRat(figs[k].KommunalHSV, totHSV)))
		}
		return x.Add(x, new(big.Rat).Mul(w[FactorEqual], big.NewRat(1, n)))
	}))
}

// splitManual takes the amounts given, which must sum to the component
// less the kept part exactly.
func splitManual(c Component, amount, kept money.Kr, kommuner []string, manual []Amount) (map[string]money.Kr, error) {
	out := map[string]money.Kr{}
	var sum money.Kr
	for _, a := range manual {
		if a.Component != c.ID {
			continue
		}
		k := Code(a.Kommun)
		switch _, seen := out[k]; {
		case !slices.Contains(kommuner, k):
			return nil, fmt.Errorf("kommunen %s hör inte till länet", a.Kommun)
		case seen:
			return nil, fmt.Errorf("kommunen %s har två belopp", k)
		case a.Amount < 0:
			return nil, fmt.Errorf("kommunen %s: beloppet får inte vara negativt", k)
		}
		out[k] = a.Amount
		sum += a.Amount
	}
	if sum != amount {
		return nil, fmt.Errorf("beloppen summerar till %s men ska vara exakt %s (komponenten %s minus %s som behålls); skillnad %s",
			sum, amount, c.Amount, kept, sum-amount)
	}
	return out, nil
}

func keyList() string {
	var s []string
	for _, k := range Keys {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

// mixWeights parses a mixed key's weights; they must be positive
// fractions of known factors summing to exactly one.
func mixWeights(ws map[string]string) (map[string]*big.Rat, error) {
	out := map[string]*big.Rat{FactorPopulation: new(big.Rat), FactorHSV: new(big.Rat), FactorEqual: new(big.Rat)}
	sum := new(big.Rat)
	for f, s := range ws {
		if _, ok := out[f]; !ok {
			return nil, fmt.Errorf("okänd faktor %q i vikterna (befolkning, kommunal_hsv, lika)", f)
		}
		r, ok := new(big.Rat).SetString(strings.TrimSpace(s))
		if !ok || r.Sign() < 0 {
			return nil, fmt.Errorf("vikten %q för %s är inget tal som 1/2", s, f)
		}
		out[f] = r
		sum.Add(sum, r)
	}
	if sum.Cmp(big.NewRat(1, 1)) != 0 {
		return nil, fmt.Errorf("vikterna summerar till %s, inte 1", sum.RatString())
	}
	return out, nil
}

// Status is where a decision is.
type Status string

// The statuses: drafted by the RSS's officer, decided by its signatory,
// replaced by a later decision (kept as history).
const (
	Draft    Status = "draft"
	Decided  Status = "decided"
	Replaced Status = "replaced"
)

// Swedish names the status for people.
func (s Status) Swedish() string {
	switch s {
	case Draft:
		return "utkast"
	case Decided:
		return "beslutad"
	case Replaced:
		return "ersatt"
	}
	return string(s)
}

// Decision is the RSS's onward decision under one agreement.
type Decision struct {
	ID        string
	Agreement string
	RSS       string
	County    string
	Plan      Plan
	Split     Split
	Status    Status
	CreatedBy string
	CreatedAt time.Time
	// The decision: who, when it was recorded, the decision's own date
	// and reference (diarienummer).
	DecidedBy    string
	DecidedAt    time.Time
	DecisionDate string // YYYY-MM-DD
	Reference    string
	ReplacedBy   string
}

// Decide records the signatory's decision of a draft.
func (d *Decision) Decide(by string, at time.Time, date, reference string) error {
	if d.Status != Draft {
		return fault.New(fault.Conflict, "Beslutet om vidareförmedling %s är %s och kan inte beslutas igen; gör ett nytt.", d.ID, d.Status.Swedish())
	}
	bad := fault.Fields{}
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		bad.Add("decision_date", "Ange beslutsdatum som ÅÅÅÅ-MM-DD.")
	}
	if strings.TrimSpace(reference) == "" {
		bad.Add("reference", "Ange beslutets diarienummer eller referens.")
	}
	if len(bad) > 0 {
		return bad.Err()
	}
	d.Status, d.DecidedBy, d.DecidedAt, d.DecisionDate, d.Reference = Decided, by, at, date, strings.TrimSpace(reference)
	return nil
}

// Payment is one onward payment by the RSS: amounts per municipality paid
// on a date, from a decided split.
type Payment struct {
	ID        string
	Agreement string
	RSS       string
	Decision  string
	PaidOn    string // YYYY-MM-DD
	Lines     []PaymentLine
	CreatedBy string
	CreatedAt time.Time
}

// PaymentLine is what one municipality was paid.
type PaymentLine struct {
	Kommun string   `json:"kommun"`
	Amount money.Kr `json:"amount_kr"`
}

// Total sums the payment's lines.
func (p Payment) Total() money.Kr {
	var t money.Kr
	for _, l := range p.Lines {
		t += l.Amount
	}
	return t
}

// CheckPayment checks a payment against the decided split, what each
// municipality has already been paid (by code) and what the RSS has
// received and already passed on: no line may be negative, no municipality
// outside the split, none paid more than the split gives it, and the RSS
// never passes on more than it has received (fault.Conflict).
func CheckPayment(p Payment, d Decision, paidBefore map[string]money.Kr, received, passedOn money.Kr) error {
	if d.Status != Decided {
		return fault.New(fault.Conflict, "Bara ett gällande beslut om vidareförmedling kan betalas ut; %s är %s.", d.ID, d.Status.Swedish())
	}
	if _, err := time.Parse(time.DateOnly, p.PaidOn); err != nil {
		return fault.Fields{"paid_on": "Ange utbetalningsdag som ÅÅÅÅ-MM-DD."}.Err()
	}
	if len(p.Lines) == 0 {
		return fault.Fields{"lines": "Inget att betala ut."}.Err()
	}
	seen := map[string]bool{}
	for _, l := range p.Lines {
		decided := d.Split.KommunTotal(l.Kommun)
		switch {
		case l.Amount <= 0:
			return fault.Fields{"lines": fmt.Sprintf("Beloppet till %s ska vara större än noll.", l.Kommun)}.Err()
		case seen[l.Kommun]:
			return fault.Fields{"lines": fmt.Sprintf("Kommunen %s finns två gånger.", l.Kommun)}.Err()
		case !slices.ContainsFunc(d.Split.Rows, func(r Row) bool { return r.Kommun == l.Kommun }):
			return fault.Fields{"lines": fmt.Sprintf("Kommunen %s finns inte i beslutet.", l.Kommun)}.Err()
		case paidBefore[l.Kommun]+l.Amount > decided:
			return fault.New(fault.Conflict, "Kommunen %s har beslutats få %s och fått %s; %s till är för mycket.",
				l.Kommun, decided, paidBefore[l.Kommun], l.Amount)
		}
		seen[l.Kommun] = true
	}
	if passedOn+p.Total() > received {
		return fault.New(fault.Conflict, "RSS:en kan inte betala vidare mer än den har fått: den har fått %s från Kammarkollegiet och redan betalat vidare %s, så högst %s kan betalas nu, inte %s.",
			received, passedOn, received-passedOn, p.Total())
	}
	return nil
}
