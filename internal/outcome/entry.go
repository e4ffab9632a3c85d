// Package outcome reads what a recipient's own books say it spent on the
// agreement's money: the cost lines of a SIE 4 file or of a CSV file
// (datum,konto,kostnadsobjekt,belopp), summed exactly in öre per cost
// object and month, for the plan's budget against outcome.
package outcome

import (
	"time"

	"narvard/internal/money"
	"narvard/internal/sie"
)

// Entry is one cost line of the books: debit positive, a credit (a credit
// note, a correction) negative.
type Entry struct {
	Date       time.Time `json:"date"`
	Account    string    `json:"account"`
	CostObject string    `json:"cost_object"`
	Amount     money.Ore `json:"amount_ore"`
	Line       int       `json:"line"` // in the file it came from
}

// IsCostAccount reports whether the account is in classes 4–7 of the
// chart of accounts (BAS and the municipal and regional charts alike):
// goods, services, staff and other costs.
func IsCostAccount(account string) bool {
	if account == "" || account[0] < '4' || account[0] > '7' {
		return false
	}
	for i := 1; i < len(account); i++ {
		if account[i] < '0' || account[i] > '9' {
			return false
		}
	}
	return true
}

// FromSIE returns the transactions of a SIE file on cost accounts that
// carry an object in dimension dim, the recipient's cost objects.
func FromSIE(f *sie.File, dim int) []Entry {
	var entries []Entry
	for _, v := range f.Vouchers {
		for _, t := range v.Trans {
			object, ok := t.Object(dim)
			if !ok || !IsCostAccount(t.Account) {
				continue
			}
			entries = append(entries, Entry{Date: t.Date, Account: t.Account, CostObject: object, Amount: t.Amount, Line: t.Line})
		}
	}
	return entries
}
