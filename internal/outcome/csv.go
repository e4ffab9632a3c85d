package outcome

import (
	"io"

	"narvard/internal/clock"
	"narvard/internal/csvfile"
)

// The columns of an outcome CSV file.
const (
	colDate    = "datum"
	colAccount = "konto"
	colObject  = "kostnadsobjekt"
	colAmount  = "belopp"
)

// ReadCSV reads an outcome file with the columns datum (2023-12-01),
// konto, kostnadsobjekt and belopp (kronor with öre, "1 234,56" or
// "1234.56"); a cost line is a row on a cost account. The file is read
// whole or refused whole, naming the line and the column.
func ReadCSV(name string, r io.Reader) ([]Entry, error) {
	f, err := csvfile.Read(name, r)
	if err != nil {
		return nil, err
	}
	if err := f.Require(colDate, colAccount, colObject, colAmount); err != nil {
		return nil, err
	}
	var entries []Entry
	for _, row := range f.Rows() {
		e, err := csvEntry(row)
		if err != nil {
			return nil, err
		}
		if IsCostAccount(e.Account) {
			entries = append(entries, e)
		}
	}
	return entries, nil
}

func csvEntry(row csvfile.Row) (Entry, error) {
	e := Entry{Account: row.Get(colAccount), CostObject: row.Get(colObject), Line: row.Line}
	date, err := clock.ParseDate(row.Get(colDate))
	if err != nil {
		return Entry{}, row.Err(colDate, "är inget datum (ÅÅÅÅ-MM-DD)")
	}
	e.Date = date
	if e.Account == "" {
		return Entry{}, row.Err(colAccount, csvfile.ErrEmptyValue.Error())
	}
	e.Amount, err = row.Ore(colAmount)
	return e, err
}
