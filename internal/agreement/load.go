package agreement

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"path"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"narvard/internal/money"
)

//go:embed data/*.toml
var embedded embed.FS

var errInvalidDate = errors.New("not a date")

// ErrNotFound is returned for an agreement id that is not known.
var ErrNotFound = errors.New("okänd överenskommelse")

// Set is the agreements known to the product, by id.
type Set struct {
	byID map[string]*Agreement
	ids  []string
}

// Builtin returns the agreements embedded in the binary. It panics only if
// the embedded files are broken, which the tests rule out.
func Builtin() *Set {
	s, err := LoadFS(embedded, "data")
	if err != nil {
		panic(err)
	}
	return s
}

// LoadFS reads every *.toml file in dir of fsys as an agreement.
func LoadFS(fsys fs.FS, dir string) (*Set, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.toml"))
	if err != nil {
		return nil, err
	}
	s := &Set{byID: map[string]*Agreement{}}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		a, err := parse(path.Base(name), b)
		if err != nil {
			return nil, err
		}
		if _, dup := s.byID[a.ID]; dup {
			return nil, fmt.Errorf("%s: id %q finns redan", path.Base(name), a.ID)
		}
		s.byID[a.ID] = a
		s.ids = append(s.ids, a.ID)
	}
	slices.Sort(s.ids)
	return s, nil
}

// Join returns the agreements of all the sets as one set; an id in more
// than one set is refused.
func Join(sets ...*Set) (*Set, error) {
	out := &Set{byID: map[string]*Agreement{}}
	for _, s := range sets {
		for _, a := range s.All() {
			if _, dup := out.byID[a.ID]; dup {
				return nil, fmt.Errorf("överenskommelsen %q finns två gånger", a.ID)
			}
			out.byID[a.ID] = a
			out.ids = append(out.ids, a.ID)
		}
	}
	slices.Sort(out.ids)
	return out, nil
}

// Get returns the agreement with the given id.
func (s *Set) Get(id string) (*Agreement, error) {
	a, ok := s.byID[id]
	if !ok {
		return nil, fmt.Errorf("%w: %q (kända: %s)", ErrNotFound, id, strings.Join(s.ids, ", "))
	}
	return a, nil
}

// All returns the agreements sorted by id.
func (s *Set) All() []*Agreement {
	out := make([]*Agreement, 0, len(s.ids))
	for _, id := range s.ids {
		out = append(out, s.byID[id])
	}
	return out
}

// Parse reads one agreement file and checks that it is consistent.
func Parse(b []byte) (*Agreement, error) {
	return parse("", b)
}

// parse reads the agreement file name (for messages; "" if it has none)
// and checks it: first its vocabulary, each unknown id named by file and
// line, then that its figures add up.
func parse(name string, b []byte) (*Agreement, error) {
	var a Agreement
	md, err := toml.Decode(string(b), &a)
	if err != nil {
		return nil, withFile(name, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		return nil, withFile(name, fmt.Errorf("okänt fält %q", und[0].String()))
	}
	if err := a.checkVocabulary(name, string(b)); err != nil {
		return nil, err
	}
	if err := a.validate(); err != nil {
		return nil, withFile(name, fmt.Errorf("%s: %w", a.ID, err))
	}
	return &a, nil
}

func withFile(name string, err error) error {
	if name == "" {
		return err
	}
	return fmt.Errorf("%s: %w", name, err)
}

func (a *Agreement) validate() error {
	if a.ID == "" || a.Name == "" {
		return errors.New("id och name krävs")
	}
	if err := a.validateCounties(); err != nil {
		return err
	}
	var total money.Kr
	seen := map[string]bool{}
	for _, c := range a.Components {
		ref := string(c.Recipient) + "/" + c.ID
		if seen[ref] {
			return fmt.Errorf("komponent %s finns två gånger", ref)
		}
		seen[ref] = true
		if err := a.validateComponent(c); err != nil {
			return fmt.Errorf("komponent %s: %w", ref, err)
		}
		var err error
		if total, err = money.Add(total, c.Amount); err != nil {
			return err
		}
	}
	if total != a.Total {
		return fmt.Errorf("komponenterna summerar till %d, inte total_kr %d", total, a.Total)
	}
	for _, p := range a.Published {
		if err := a.validatePublished(p); err != nil {
			return fmt.Errorf("publicerad tabell %s: %w", p.ID, err)
		}
	}
	for _, t := range a.Tables {
		if err := a.validateTable(t); err != nil {
			return fmt.Errorf("tabell %s: %w", t.ID, err)
		}
	}
	return nil
}

func (a *Agreement) validateTable(t Table) error {
	if t.Part != "" {
		if _, p, err := a.Ref(t.Recipient, t.Part); err != nil || p == nil {
			return fmt.Errorf("part %q är ingen del av en komponent för %s", t.Part, t.Recipient)
		}
	} else if len(a.ComponentsFor(t.Recipient)) == 0 {
		return fmt.Errorf("inga komponenter för mottagartypen %s", t.Recipient)
	}
	return a.validateBinding(t)
}

func (a *Agreement) validateCounties() error {
	seen := map[string]bool{}
	for _, c := range a.Counties {
		if len(c.Code) != 2 || seen[c.Code] {
			return fmt.Errorf("län %q: kod saknas, är fel eller finns två gånger", c.Code)
		}
		seen[c.Code] = true
		if c.Befolkning < 0 || c.KommunalHSV < 0 || c.LandsbygdKr < 0 {
			return fmt.Errorf("län %s: negativ siffra", c.Code)
		}
	}
	if !slices.IsSortedFunc(a.Counties, func(x, y County) int { return strings.Compare(x.Code, y.Code) }) {
		return errors.New("länen ska stå i kodordning")
	}
	return nil
}

func (a *Agreement) validateComponent(c Component) error {
	if c.Amount <= 0 || len(c.Parts) == 0 {
		return errors.New("belopp och minst en del krävs")
	}
	var sum money.Kr
	for _, p := range c.Parts {
		if err := a.validatePart(c, p); err != nil {
			return fmt.Errorf("del %s: %w", p.ID, err)
		}
		sum += p.Amount
	}
	if sum != c.Amount {
		return fmt.Errorf("delarna summerar till %d, inte %d", sum, c.Amount)
	}
	return nil
}

func (a *Agreement) validatePart(c Component, p Part) error {
	if p.ID == "" || p.Amount <= 0 {
		return errors.New("id och positivt belopp krävs")
	}
	if err := a.validateKey(c, p); err != nil {
		return err
	}
	if p.Key != KeyFixed && p.Key != KeyVFUIncrease && c.Recipient != Region && c.Recipient != RSS {
		return fmt.Errorf("nyckeln %s fördelar per län och passar inte mottagartypen %s", p.Key, c.Recipient)
	}
	return nil
}

// validateKey checks what the part's key needs of the part and of its
// component.
func (a *Agreement) validateKey(c Component, p Part) error {
	switch p.Key {
	case KeyMixed:
		return validateMix(p.Mix)
	case KeyBasePlusPopulation:
		if p.Base <= 0 || int64(p.Base)*int64(len(a.Counties)) > int64(p.Amount) {
			return fmt.Errorf("grundbelopp %d per mottagare ryms inte i %d", p.Base, p.Amount)
		}
	case KeyFixed:
		if c.Recipient != SKR || p.To == "" {
			return errors.New("fast belopp går bara till en enda mottagare (mottagartyp skr, to = mottagarens id)")
		}
	case KeyVFUIncrease:
		if c.Recipient != RegionKommun {
			return errors.New("VFU-nyckeln gäller regioner och kommuner")
		}
		if a.VFU.BasePeriod == "" || a.VFU.CurrentPeriod == "" {
			return errors.New("VFU-nyckeln kräver [vfu] base_period och current_period")
		}
	}
	return nil
}

// validateMix checks a mixed key's terms: known factors, weights that are
// non-negative fractions summing to exactly 1.
func validateMix(mix []MixTerm) error {
	sum := new(big.Rat)
	for _, m := range mix {
		w, ok := new(big.Rat).SetString(m.Weight)
		if !ok || w.Sign() < 0 || !slices.Contains(MixFactors, m.Factor) {
			return fmt.Errorf("blandad nyckel: term %s=%q är fel", m.Factor, m.Weight)
		}
		sum.Add(sum, w)
	}
	if sum.Cmp(big.NewRat(1, 1)) != 0 {
		return fmt.Errorf("blandad nyckel: vikterna summerar till %s, inte 1", sum.RatString())
	}
	return nil
}

func (a *Agreement) validatePublished(p Published) error {
	for _, col := range p.Columns {
		if col == "totalt" {
			continue
		}
		if _, _, err := a.Ref(p.Recipient, col); err != nil {
			return err
		}
	}
	if len(p.PrintedTotals) != 0 && len(p.PrintedTotals) != len(p.Columns) {
		return errors.New("printed_totals har fel antal värden")
	}
	for _, r := range p.Rows {
		if _, ok := a.County(r.Code); !ok {
			return fmt.Errorf("okänd kod %q", r.Code)
		}
		if len(r.Kr) != len(p.Columns) {
			return fmt.Errorf("rad %s har %d värden, inte %d", r.Code, len(r.Kr), len(p.Columns))
		}
	}
	return nil
}

// Ref resolves a column reference of a published table: "component" is a
// component, "component/part" one of its parts (part is nil for a whole
// component).
func (a *Agreement) Ref(recipient RecipientKind, ref string) (Component, *Part, error) {
	compID, partID, hasPart := strings.Cut(ref, "/")
	for _, c := range a.ComponentsFor(recipient) {
		if c.ID != compID {
			continue
		}
		if !hasPart {
			return c, nil, nil
		}
		for i := range c.Parts {
			if c.Parts[i].ID == partID {
				return c, &c.Parts[i], nil
			}
		}
	}
	return Component{}, nil, fmt.Errorf("okänd komponent %q för %s", ref, recipient)
}
