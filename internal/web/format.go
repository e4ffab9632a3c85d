package web

import (
	"time"

	"html/template"
	"math/big"
	"strconv"
	"strings"

	"narvard/internal/clock"
	"narvard/internal/money"
)

// funcs are the templates' formatting helpers. Amounts are formatted the
// Swedish way, with a space between groups of three digits.
var funcs = template.FuncMap{
	"kr":         func(k money.Kr) string { return k.String() },
	"favicon":    func() string { return faviconHref },
	"num":        func(k money.Kr) string { return money.Group(int64(k)) },
	"count":      func(n int) string { return money.Group(int64(n)) },
	"raw":        func(k money.Kr) string { return strconv.FormatInt(int64(k), 10) },
	"signed":     signed,
	"rowNumber":  func(i int) int { return i + 1 },
	"fieldLabel": labelOf,
	"csrf":       func() string { return "" }, // replaced per request by withCSRF
	"date":       dateOf,
	"when":       whenOf,
	"objectLink": objectLink,
	"shortHash":  shortHash,
	"stateName": func(s string) string {
		return map[string]string{"done": "klar", "open": "öppen", "missed": "missad"}[s]
	},
	"fieldOf": fieldOf,
	"byOptions": func() map[string]string {
		return map[string]string{"riket": "riket", "lan": "län", "kommun": "kommun", "rss": "RSS (län)", "enhet": "vårdenhet", "kon": "kön", "aldersgrupp": "åldersgrupp"}
	},
	"add": func(a, b int) int { return a + b },
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.Format(time.DateOnly)
}

func whenOf(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.In(clock.Stockholm).Format(time.DateOnly + " 15:04")
}

// form is a page's form: what the user typed and the messages for it.
type form interface {
	FormValue(name string) string
	FormError(name string) string
}

// field is one input of a form, for the "field" template.
type field struct {
	Name, Label, Type, Value, Error string
	Hint                            string // help under the label, from help/fields.json
}

// DescribedBy is the ids of the hint and the message that describe the
// input, or "".
func (f field) DescribedBy() string {
	switch {
	case f.Hint != "" && f.Error != "":
		return "h-" + f.Name + " e-" + f.Name
	case f.Hint != "":
		return "h-" + f.Name
	case f.Error != "":
		return "e-" + f.Name
	}
	return ""
}

func fieldOf(f form, name, label, typ string) field {
	return field{Name: name, Label: label, Type: typ, Value: f.FormValue(name), Error: f.FormError(name), Hint: hintOf(f, name)}
}

// signed formats a difference with its sign: "+79 464", "-21 652", "0".
func signed(k money.Kr) string {
	if k > 0 {
		return "+" + money.Group(int64(k))
	}
	return money.Group(int64(k))
}

// percent writes an exact fraction as a percentage when it is a whole one
// ("50 %"), else as the fraction itself ("1/3").
func percent(r *big.Rat) string {
	p := new(big.Rat).Mul(r, big.NewRat(100, 1))
	if p.IsInt() {
		return p.Num().String() + " %"
	}
	return r.RatString()
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
