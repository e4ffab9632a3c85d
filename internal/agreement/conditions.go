package agreement

import (
	"fmt"
	"slices"
)

// Area is a development area (utvecklingsområde) of an agreement: the
// heading its conditions stand under.
type Area struct {
	ID      string `toml:"id"`
	Name    string `toml:"name"`
	Section string `toml:"section"` // the agreement's section of the area, e.g. "2"
}

// Condition is what a kind of recipient must do to take part of the money
// ("För att få ta del av medlen ska …"): the agreement's own words, its
// section, the area and components it concerns and the recipient kinds it
// binds. ID is the section number, with a further number where a section
// lists several conditions ("2.1.2.1").
type Condition struct {
	ID         string          `toml:"id"`
	Area       string          `toml:"area"`
	Components []string        `toml:"components"`
	Recipients []RecipientKind `toml:"recipients"`
	Title      string          `toml:"title"`
	Text       string          `toml:"text"`
	Section    string          `toml:"section"`
}

// Condition returns the condition with the given id.
func (a *Agreement) Condition(id string) (Condition, bool) {
	for _, c := range a.Conditions {
		if c.ID == id {
			return c, true
		}
	}
	return Condition{}, false
}

// Area returns the development area with the given id.
func (a *Agreement) Area(id string) (Area, bool) {
	for _, x := range a.Areas {
		if x.ID == id {
			return x, true
		}
	}
	return Area{}, false
}

// AreaConditions is one development area with its conditions, in the
// file's order.
type AreaConditions struct {
	Area       Area
	Conditions []Condition
}

// ConditionsByArea groups the conditions that bind any of the kinds (all
// of them when no kind is given) under their areas, in the file's order;
// areas without such a condition are left out.
func (a *Agreement) ConditionsByArea(kinds ...RecipientKind) []AreaConditions {
	var out []AreaConditions
	for _, area := range a.Areas {
		g := AreaConditions{Area: area}
		for _, c := range a.Conditions {
			if c.Area == area.ID && (len(kinds) == 0 || c.Binds(kinds...)) {
				g.Conditions = append(g.Conditions, c)
			}
		}
		if len(g.Conditions) > 0 {
			out = append(out, g)
		}
	}
	return out
}

// Binds reports whether the condition binds any of the kinds.
func (c Condition) Binds(kinds ...RecipientKind) bool {
	for _, k := range kinds {
		if slices.Contains(c.Recipients, k) {
			return true
		}
	}
	return false
}

// checkConditions refuses an area without id or name, a condition with an
// unknown area, component or recipient kind, a duplicate id, or no text;
// each error names the file and line like the rest of the vocabulary.
func (a *Agreement) checkConditions(bad func(section string, i int, field string, err error)) {
	areas := map[string]bool{}
	for i, x := range a.Areas {
		if x.ID == "" || x.Name == "" || areas[x.ID] {
			bad("areas", i, "id", fmt.Errorf("området saknar id eller namn, eller id %q finns två gånger", x.ID))
		}
		areas[x.ID] = true
	}
	seen := map[string]bool{}
	for i, c := range a.Conditions {
		switch {
		case c.ID == "" || seen[c.ID]:
			bad("conditions", i, "id", fmt.Errorf("villkoret saknar id eller id %q finns två gånger", c.ID))
		case c.Text == "" || c.Section == "":
			bad("conditions", i, "text", fmt.Errorf("villkoret %s saknar text eller avsnitt (section)", c.ID))
		}
		seen[c.ID] = true
		if !areas[c.Area] {
			bad("conditions", i, "area", fmt.Errorf("okänt utvecklingsområde %q", c.Area))
		}
		a.checkConditionRefs(i, c, bad)
	}
}

// checkConditionRefs refuses a condition's unknown recipient kinds and
// components.
func (a *Agreement) checkConditionRefs(i int, c Condition, bad func(section string, i int, field string, err error)) {
	if len(c.Recipients) == 0 {
		bad("conditions", i, "recipients", fmt.Errorf("villkoret %s gäller ingen mottagartyp", c.ID))
	}
	for _, k := range c.Recipients {
		if err := known("mottagartyp", k, RecipientKinds); err != nil {
			bad("conditions", i, "recipients", err)
		}
	}
	for _, id := range c.Components {
		if !a.hasComponent(id) {
			bad("conditions", i, "components", fmt.Errorf("okänd komponent %q", id))
		}
	}
}

func (a *Agreement) hasComponent(id string) bool {
	for _, c := range a.Components {
		if c.ID == id {
			return true
		}
	}
	return false
}
