package agreement

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"narvard/internal/geo"
)

// checkVocabulary refuses a file that uses an id outside the vocabulary
// (vocabulary.go), a county code that is not Sweden's (package geo), or
// lacks a required deadline; it names each county as geo does unless the
// file names it. Each error names the file,
// the line of the field (or of its entry) and the field, e.g.
// FILE.toml:52: deadlines[3].id: okänd tidsfrist "x" (kända: …).
func (a *Agreement) checkVocabulary(name, src string) error {
	pos := newPositions(src)
	var errs []error
	bad := func(section string, i int, field string, err error) {
		line := pos.field(section, i, field)
		errs = append(errs, fmt.Errorf("%s%s[%d].%s: %w", pos.where(name, line), section, i, field, err))
	}
	for i, d := range a.Deadlines {
		if err := known("tidsfrist", d.ID, DeadlineIDs); err != nil {
			bad("deadlines", i, "id", err)
		}
	}
	part := 0 // parts are numbered through the file, as their headers stand
	for i, c := range a.Components {
		if err := known("mottagartyp", c.Recipient, RecipientKinds); err != nil {
			bad("components", i, "recipient", err)
		}
		for _, p := range c.Parts {
			if err := known("nyckel", p.Key, Keys); err != nil {
				bad("components.parts", part, "key", err)
			}
			part++
		}
	}
	seen := map[TableID]bool{}
	for i, t := range a.Tables {
		if err := known("tabell", t.ID, TableIDs); err != nil {
			bad("tables", i, "id", err)
		} else if seen[t.ID] {
			bad("tables", i, "id", fmt.Errorf("tabellen %q finns två gånger", t.ID))
		}
		seen[t.ID] = true
		if err := known("mottagartyp", t.Recipient, RecipientKinds); err != nil {
			bad("tables", i, "recipient", err)
		}
		if t.Binding == "" {
			bad("tables", i, "binding", fmt.Errorf("saknas: ange vilka belopp som är bindande (%s)", strings.Join(names(Bindings), " eller ")))
		} else if err := known("grund för bindande belopp", t.Binding, Bindings); err != nil {
			bad("tables", i, "binding", err)
		}
	}
	for i, p := range a.Published {
		if err := known("mottagartyp", p.Recipient, RecipientKinds); err != nil {
			bad("published", i, "recipient", err)
		}
	}
	for i := range a.Counties {
		c := &a.Counties[i]
		g, ok := geo.CountyByCode(c.Code)
		if !ok {
			bad("counties", i, "kod", fmt.Errorf("okänt län %q", c.Code))
			continue
		}
		c.Lan, c.Region = cmp.Or(c.Lan, g.Name), cmp.Or(c.Region, g.Region)
	}
	a.checkConditions(bad)
	if len(a.Components) > 0 {
		for _, id := range RequiredDeadlines {
			if _, ok := a.Deadline(id); !ok {
				errs = append(errs, fmt.Errorf("%sdeadlines: tidsfristen %q saknas (krävs för en överenskommelse med komponenter)", pos.where(name, 0), id))
			}
		}
	}
	return errors.Join(errs...)
}

// known says whether v is one of the valid values, in Swedish if not.
func known[T ~string](what string, v T, valid []T) error {
	if slices.Contains(valid, v) {
		return nil
	}
	return fmt.Errorf("okänd %s %q (kända: %s)", what, v, strings.Join(names(valid), ", "))
}

// names are the values as text.
func names[T ~string](valid []T) []string {
	out := make([]string, len(valid))
	for i, x := range valid {
		out[i] = string(x)
	}
	return out
}

// positions finds the lines of array-of-table entries in a TOML file
// written with [[headers]], as agreement files are (the decoder keeps only
// the last entry's position of a key).
type positions struct {
	lines []string
}

func newPositions(src string) positions {
	return positions{lines: strings.Split(src, "\n")}
}

// field returns the 1-based line of field in the i-th [[section]] entry:
// the line of "field =" if the entry has one, else the header's line, else
// 0.
func (p positions) field(section string, i int, field string) int {
	header, n := "[["+section+"]]", -1
	for ln, l := range p.lines {
		if strings.TrimSpace(l) != header {
			continue
		}
		if n++; n != i {
			continue
		}
		for j := ln + 1; j < len(p.lines); j++ {
			t := strings.TrimSpace(p.lines[j])
			if strings.HasPrefix(t, "[") {
				break
			}
			if k, _, ok := strings.Cut(t, "="); ok && strings.TrimSpace(k) == field {
				return j + 1
			}
		}
		return ln + 1
	}
	return 0
}

// where is "file:line: " (or "rad line: " without a file name), leaving out
// what is not known.
func (positions) where(name string, line int) string {
	switch {
	case name != "" && line > 0:
		return fmt.Sprintf("%s:%d: ", name, line)
	case name != "":
		return name + ": "
	case line > 0:
		return fmt.Sprintf("rad %d: ", line)
	}
	return ""
}
