package web

import (
	"fmt"
	"strings"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
	"narvard/internal/money"
	"narvard/internal/verify"
)

// agreementView is what the agreement page shows.
type agreementView struct {
	A          *agreement.Agreement
	Deadlines  []deadlineView
	Components []componentView
	Posts      []string
	Tables     []tableView
	VFU        *vfuView
	Annexes    []annexView
	Findings   int
	Tolerance  money.Kr
}

type deadlineView struct {
	Date string
	Name string
	Who  string
}

type componentView struct {
	Name      string
	Recipient string
	Amount    money.Kr
	Key       []string
	Notes     []string
	Earmarked bool
	Payer     string
}

type vfuView struct {
	Amount   money.Kr
	Deadline string
	Periods  agreement.VFUPeriods
}

// tableView is one allocation table, ready to print.
type tableView struct {
	ID, Heading, Caption, Intro, RecipientHeader string
	Columns                                      []alloc.Column
	Rows                                         []rowView
	Sums                                         []cellView
	Grand                                        money.Kr
	HasTotal                                     bool
	CSV, XLSX                                    string
}

type rowView struct {
	Code, Name string
	Cells      []cellView
	Total      money.Kr
}

type cellView struct {
	Col string
	Kr  money.Kr
}

// annexView is one published annex and what verification found in it.
type annexView struct {
	ID, Title string
	SumOnly   bool
	Findings  []findingView
}

type findingView struct {
	verify.Finding
	Column string
	Total  bool
}

// downloadTables are the tables that can be shown and downloaded from the
// agreement's own figures; VFU needs the recipients' reports.
func downloadTables(a *agreement.Agreement) []agreement.TableID {
	var out []agreement.TableID
	for _, t := range a.Tables {
		if t.ID != agreement.TableVFU {
			out = append(out, t.ID)
		}
	}
	return out
}

var payerNames = map[string]string{"kammarkollegiet": "Kammarkollegiet", "socialstyrelsen": "Socialstyrelsen"}

var whoNames = map[string]string{"region": "regionerna", "kommun": "kommunerna", "rss": "RSS", "skr": "SKR", "socialstyrelsen": "Socialstyrelsen"}

func nameOr(m map[string]string, k string) string {
	if v, ok := m[k]; ok {
		return v
	}
	return k
}

// buildAgreementView gathers everything the agreement page shows: the
// agreement's own text, the exact allocation tables and the verification
// of the published annexes.
func (s *server) buildAgreementView(a *agreement.Agreement) (*agreementView, error) {
	v := &agreementView{A: a, Tolerance: verify.DefaultTolerance}
	for _, d := range a.Deadlines {
		who := make([]string, len(d.Who))
		for i, w := range d.Who {
			who[i] = nameOr(whoNames, w)
		}
		v.Deadlines = append(v.Deadlines, deadlineView{d.Date.String(), d.Name, capitalize(strings.Join(who, ", "))})
	}
	for _, p := range a.Appropriation.Poster {
		v.Posts = append(v.Posts, fmt.Sprintf("anslagspost %d %s", p.Nr, p.Name))
	}
	for _, c := range a.Components {
		v.Components = append(v.Components, componentViewOf(a, c))
		if c.Recipient == agreement.RegionKommun {
			v.VFU = &vfuView{Amount: c.Amount, Periods: a.VFU}
			if d, ok := a.Deadline(agreement.DeadlineVFUReport); ok {
				v.VFU.Deadline = d.Date.String()
			}
		}
	}
	for _, name := range downloadTables(a) {
		t, err := s.app.AllocationTable(a.ID, name)
		if err != nil {
			return nil, err
		}
		tv, err := tableViewOf(t)
		if err != nil {
			return nil, fmt.Errorf("%s: tabell %s: %w", a.ID, name, err)
		}
		v.Tables = append(v.Tables, tv)
	}
	findings, err := s.app.AnnexFindings(a.ID, verify.DefaultTolerance)
	if err != nil {
		return nil, err
	}
	v.Findings = len(findings)
	v.Annexes = annexViews(a, findings)
	return v, nil
}

func componentViewOf(a *agreement.Agreement, c agreement.Component) componentView {
	cv := componentView{Name: c.Label(), Recipient: c.Recipient.Swedish(),
		Amount: c.Amount, Earmarked: c.Earmarked, Payer: nameOr(payerNames, c.Payer)}
	for _, p := range c.Parts {
		key := keyWords(p)
		if len(c.Parts) > 1 {
			key = fmt.Sprintf("%s efter %s", p.Amount, key)
		}
		cv.Key = append(cv.Key, key)
		if p.Note != "" {
			cv.Notes = append(cv.Notes, p.Note)
		}
	}
	return cv
}

var mixNames = map[string]string{"befolkning": "befolkningsandel", "kommunal_hsv": "andel individer med kommunal hälso- och sjukvård"}

// keyWords says in Swedish how a part is apportioned.
func keyWords(p agreement.Part) string {
	switch p.Key {
	case agreement.KeyMixed:
		terms := make([]string, len(p.Mix))
		for i, m := range p.Mix {
			terms[i] = percent(m.Rat()) + " " + nameOr(mixNames, m.Factor)
		}
		return strings.Join(terms, " och ")
	case agreement.KeyBasePlusPopulation:
		return fmt.Sprintf("grundbelopp %s per mottagare, resten efter befolkningsandel", p.Base)
	}
	return p.Key.Swedish()
}

// tableViewOf prints a table's cells and its derived sums. It refuses a
// table whose column sums are not the columns' amounts: that would be a bug
// in the engine, and such a table must not be shown as the allocation.
func tableViewOf(t *alloc.Table) (tableView, error) {
	spec := t.Spec
	tv := tableView{ID: string(t.Name), Heading: spec.Heading, Caption: spec.Caption, Intro: spec.Intro, RecipientHeader: spec.RowHeader,
		Columns: t.Columns, HasTotal: len(t.Columns) > 1,
		CSV:  fmt.Sprintf("/overenskommelser/%s/%s.csv", t.Agreement.ID, t.Name),
		XLSX: fmt.Sprintf("/overenskommelser/%s/%s.xlsx", t.Agreement.ID, t.Name)}
	for _, r := range t.Rows {
		total, err := r.Total()
		if err != nil {
			return tableView{}, err
		}
		rv := rowView{Code: r.Code, Name: r.Name, Total: total}
		for i, c := range r.Cells {
			rv.Cells = append(rv.Cells, cellView{t.Columns[i].ID, c.Amount})
		}
		tv.Rows = append(tv.Rows, rv)
	}
	sums, grand, err := t.ColumnTotals()
	if err != nil {
		return tableView{}, err
	}
	for i, s := range sums {
		if s != t.Columns[i].Amount {
			return tableView{}, fmt.Errorf("kolumnen %s summerar till %d, inte %d", t.Columns[i].ID, s, t.Columns[i].Amount)
		}
		tv.Sums = append(tv.Sums, cellView{t.Columns[i].ID, s})
	}
	tv.Grand = grand
	return tv, nil
}

// annexViews groups the findings by published annex, in the agreement's
// order, and names each finding's column.
func annexViews(a *agreement.Agreement, findings []verify.Finding) []annexView {
	var out []annexView
	for _, p := range a.Published {
		av := annexView{ID: p.ID, Title: p.Title, SumOnly: p.SumOnly}
		labels := map[string]string{}
		for _, ref := range p.Columns {
			if c, part, err := a.Ref(p.Recipient, ref); err == nil {
				if part != nil {
					labels[part.ID] = part.Name
				} else {
					labels[c.ID] = c.Label()
				}
			}
		}
		for _, f := range findings {
			if f.Table == p.ID {
				av.Findings = append(av.Findings, findingView{Finding: f, Column: nameOr(labels, f.Component), Total: f.Code == verify.TotalCode})
			}
		}
		out = append(out, av)
	}
	return out
}
