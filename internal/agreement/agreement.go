// Package agreement holds the agreements (överenskommelser) between the state
// and SKR as data: components, keys, input figures, deadlines and the annex
// tables as published. Each agreement is one TOML file in data/, embedded in
// the binary; adding an agreement is adding a file.
package agreement

import (
	"math/big"
	"time"

	"narvard/internal/money"
)

// Agreement is one agreement with everything needed to allocate it.
type Agreement struct {
	ID            string        `toml:"id"`
	Name          string        `toml:"name"`
	ShortName     string        `toml:"short_name"`
	Year          int           `toml:"year"`
	Total         money.Kr      `toml:"total_kr"`
	PeriodFrom    Date          `toml:"period_from"`
	PeriodTo      Date          `toml:"period_to"`
	Dnr           string        `toml:"dnr"`
	Parties       []Party       `toml:"parties"`
	Appropriation Appropriation `toml:"appropriation"`
	Deadlines     []Deadline    `toml:"deadlines"`
	RuralWeights  RuralWeights  `toml:"rural_weights"`
	VFU           VFUPeriods    `toml:"vfu"`
	Components    []Component   `toml:"components"`
	Tables        []Table       `toml:"tables"`
	Counties      []County      `toml:"counties"`
	Published     []Published   `toml:"published"`
	Areas         []Area        `toml:"areas"`
	Conditions    []Condition   `toml:"conditions"`
}

// Party is a signing party.
type Party struct {
	Name      string `toml:"name"`
	OrgNr     string `toml:"org_nr"`
	Signed    Date   `toml:"signed"`
	Signatory string `toml:"signatory"`
}

// Appropriation is where in the state budget the money comes from.
type Appropriation struct {
	Utgiftsomrade     int           `toml:"utgiftsomrade"`
	UtgiftsomradeName string        `toml:"utgiftsomrade_name"`
	Anslag            string        `toml:"anslag"`
	AnslagName        string        `toml:"anslag_name"`
	BudgetYear        int           `toml:"budget_year"`
	Poster            []Anslagspost `toml:"poster"`
}

// Anslagspost is one post of the appropriation.
type Anslagspost struct {
	Nr   int    `toml:"nr"`
	Name string `toml:"name"`
}

// Deadline is a dated duty. A deadline on a date lasts the whole of that day
// in Europe/Stockholm.
type Deadline struct {
	ID   DeadlineID `toml:"id"`
	Date Date       `toml:"date"`
	Name string     `toml:"name"`
	Who  []string   `toml:"who"`
}

// RuralWeights weights the inhabitants of the three kinds of countryside in
// the rural key.
type RuralWeights struct {
	Tatortsnara int64 `toml:"tatortsnara"`
	Glesa       int64 `toml:"glesa"`
	MycketGlesa int64 `toml:"mycket_glesa"`
}

// VFUPeriods are the two periods whose VFU weeks a VFU key compares: the
// base period as carried out and the current one as estimated. Period ids
// name the columns of vfu.csv (veckor_<period>); labels are short, for
// table headings, and names are for prose (see the agreement files).
type VFUPeriods struct {
	BasePeriod    string `toml:"base_period"`
	BaseLabel     string `toml:"base_label"`
	BaseName      string `toml:"base_name"`
	CurrentPeriod string `toml:"current_period"`
	CurrentLabel  string `toml:"current_label"`
	CurrentName   string `toml:"current_name"`
}

// BaseColumn is the vfu.csv column of the base period's weeks.
func (v VFUPeriods) BaseColumn() string { return "veckor_" + v.BasePeriod }

// CurrentColumn is the vfu.csv column of the current period's weeks.
func (v VFUPeriods) CurrentColumn() string { return "veckor_" + v.CurrentPeriod }

// Table is an allocation table the agreement offers: the components of one
// recipient kind (or one part of a component) per recipient, with the
// captions people see.
type Table struct {
	ID        TableID       `toml:"id"`
	Recipient RecipientKind `toml:"recipient"`
	// Part, if set, is the one part the table shows ("component/part");
	// otherwise the table shows every component of Recipient.
	Part string `toml:"part"`
	// Binding says which amounts bind: the published annex's cells or the
	// exact computation.
	Binding   Binding `toml:"binding"`
	Title     string  `toml:"title"`      // the title of the text output
	Heading   string  `toml:"heading"`    // the heading on the agreement page
	Caption   string  `toml:"caption"`    // the caption of the table on the agreement page
	Intro     string  `toml:"intro"`      // a sentence on what the table shows
	RowHeader string  `toml:"row_header"` // the header of the recipients' column
}

// Component is one line of the agreement's money table.
type Component struct {
	ID          string        `toml:"id"`
	Recipient   RecipientKind `toml:"recipient"`
	Name        string        `toml:"name"`
	ShortName   string        `toml:"short_name"`
	Amount      money.Kr      `toml:"amount_kr"`
	Earmarked   bool          `toml:"earmarked"`
	Anslagspost int           `toml:"anslagspost"`
	Payer       string        `toml:"payer"`
	Parts       []Part        `toml:"parts"`
}

// Part is a piece of a component apportioned on its own by one key.
type Part struct {
	ID     string    `toml:"id"`
	Name   string    `toml:"name"`
	Amount money.Kr  `toml:"amount_kr"`
	Key    Key       `toml:"key"`
	Base   money.Kr  `toml:"base_kr"`
	To     string    `toml:"to"` // the one recipient of a fixed amount
	Mix    []MixTerm `toml:"mix"`
	Note   string    `toml:"note"`
}

// MixTerm is one figure of a mixed key and its weight, an exact fraction
// such as "1/2".
type MixTerm struct {
	Factor string `toml:"factor"`
	Weight string `toml:"weight"`
}

// Rat returns the term's weight as an exact rational.
func (m MixTerm) Rat() *big.Rat {
	r, _ := new(big.Rat).SetString(m.Weight) // validated at load
	return r
}

// County is one county (län) with its region and the figures the keys use.
// The file gives the code and the figures; the names come from the
// country's list of counties (package geo) unless the file gives them.
type County struct {
	Code        string `toml:"kod"`
	Lan         string `toml:"lan"`
	Region      string `toml:"region"`
	Befolkning  int64  `toml:"befolkning"`
	KommunalHSV int64  `toml:"kommunal_hsv"`
	LandsbygdKr int64  `toml:"landsbygd_kr"`
}

// Published is an annex table exactly as it was published.
type Published struct {
	ID            string         `toml:"id"`
	Title         string         `toml:"title"`
	Recipient     RecipientKind  `toml:"recipient"`
	Columns       []string       `toml:"columns"`
	SumOnly       bool           `toml:"sum_only"` // only the column sums can be checked
	PrintedTotals []int64        `toml:"printed_totals"`
	Rows          []PublishedRow `toml:"rows"`
}

// PublishedRow is one recipient's row of a published table.
type PublishedRow struct {
	Code string  `toml:"kod"`
	Kr   []int64 `toml:"kr"`
}

// Date is a calendar date without a time of day.
type Date struct{ time.Time }

// UnmarshalTOML accepts a TOML local date (YYYY-MM-DD) or a string.
func (d *Date) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case time.Time:
		d.Time = time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC)
		return nil
	case string:
		t, err := time.Parse(time.DateOnly, x)
		if err != nil {
			return err
		}
		d.Time = t
		return nil
	}
	return errInvalidDate
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Format(time.DateOnly)
}

// ComponentsFor returns the components paid to the given recipient kind, in
// the order of the agreement file.
func (a *Agreement) ComponentsFor(recipient RecipientKind) []Component {
	var out []Component
	for _, c := range a.Components {
		if c.Recipient == recipient {
			out = append(out, c)
		}
	}
	return out
}

// County returns the county with the given code.
func (a *Agreement) County(code string) (County, bool) {
	for _, c := range a.Counties {
		if c.Code == code {
			return c, true
		}
	}
	return County{}, false
}

// Deadline returns the deadline with the given id.
func (a *Agreement) Deadline(id DeadlineID) (Deadline, bool) {
	for _, d := range a.Deadlines {
		if d.ID == id {
			return d, true
		}
	}
	return Deadline{}, false
}

// Label is the name people see for a component: its short name if it has one.
func (c Component) Label() string {
	if c.ShortName != "" {
		return c.ShortName
	}
	return c.Name
}

// Table returns the allocation table with the given id, if the agreement
// offers it.
func (a *Agreement) Table(id TableID) (Table, bool) {
	for _, t := range a.Tables {
		if t.ID == id {
			return t, true
		}
	}
	return Table{}, false
}

// TableIDs returns the ids of the tables the agreement offers, in the
// file's order.
func (a *Agreement) TableIDs() []TableID {
	out := make([]TableID, len(a.Tables))
	for i, t := range a.Tables {
		out[i] = t.ID
	}
	return out
}

// ComponentTable returns the table that shows every component of the
// recipient kind, if the agreement offers one.
func (a *Agreement) ComponentTable(kind RecipientKind) (Table, bool) {
	for _, t := range a.Tables {
		if t.Recipient == kind && t.Part == "" {
			return t, true
		}
	}
	return Table{}, false
}
