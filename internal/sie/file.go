package sie

import (
	"time"

	"narvard/internal/money"
)

// File is what a SIE 4 file holds that the product uses.
type File struct {
	Type        string    // #SIETYP: "4" for type 4E and 4I alike
	Program     string    // #PROGRAM: the exporting program and its version
	Generated   time.Time // #GEN: the date the file was made
	GeneratedBy string    // #GEN's signature, when given
	Company     string    // #FNAMN
	OrgNr       string    // #ORGNR
	Years       []Year
	Accounts    map[string]string    // #KONTO: account number → name
	Dimensions  map[int]string       // #DIM and #UNDERDIM: number → name
	Objects     map[ObjectRef]string // #OBJEKT: dimension and object → name
	Vouchers    []Voucher
	Checksummed bool // the file carried #KSUMMA and its sum matched
}

// Year is a financial year of #RAR: 0 is the current year, -1 the one
// before.
type Year struct {
	Index      int
	Start, End time.Time
}

// ObjectRef names an object within its dimension: {1 "9916"} is cost
// centre 9916 when dimension 1 is the cost centres.
type ObjectRef struct {
	Dim int
	ID  string
}

// Voucher is a verification (#VER) with its transactions, which balance.
type Voucher struct {
	Series string
	Number string
	Date   time.Time
	Text   string
	Line   int
	Trans  []Trans
}

// Trans is one transaction line (#TRANS) of a verification: debit
// positive, credit negative.
type Trans struct {
	Account string
	Objects []ObjectRef
	Amount  money.Ore
	Date    time.Time // the transaction's own date, else its voucher's
	Text    string
	Line    int
}

// Object returns the transaction's object in dimension dim.
func (t Trans) Object(dim int) (string, bool) {
	for _, o := range t.Objects {
		if o.Dim == dim {
			return o.ID, true
		}
	}
	return "", false
}

// InYears reports whether date falls in one of the file's financial
// years; a file without #RAR has no years to check against.
func (f *File) InYears(date time.Time) bool {
	if len(f.Years) == 0 {
		return true
	}
	for _, y := range f.Years {
		if !date.Before(y.Start) && !date.After(y.End) {
			return true
		}
	}
	return false
}
