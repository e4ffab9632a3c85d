package browsertest

import (
	"context"
	"fmt"
	"strconv"
	"testing"
)

// Cell is one cell of a data table as the browser shows it. The product's
// tables mark their rows with data-kod (the recipient's code, "summa" for
// the sum row), their amount cells with data-col (the column's id) and
// data-kr (the amount in whole kronor, without formatting).
type Cell struct {
	Row  string `json:"row"`  // the row's data-kod
	Col  string `json:"col"`  // the cell's data-col
	Kr   string `json:"kr"`   // the cell's data-kr
	Text string `json:"text"` // the text as rendered (innerText)
}

// Amount returns the cell's data-kr as an integer.
func (c Cell) Amount() (int64, error) {
	n, err := strconv.ParseInt(c.Kr, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("rad %s, kolumn %s: data-kr %q: %w", c.Row, c.Col, c.Kr, err)
	}
	return n, nil
}

// TableCells returns every amount cell of the table whose data-table
// attribute is name, in document order, with the sum row's cells last.
func TableCells(t testing.TB, ctx context.Context, name string) []Cell {
	t.Helper()
	js := fmt.Sprintf(`Array.from(document.querySelectorAll('table[data-table=%s] tr[data-kod] td[data-col]')).map(td => ({
		row: td.closest('tr').dataset.kod,
		col: td.dataset.col,
		kr: td.dataset.kr || '',
		text: td.innerText,
	}))`, strconv.Quote(name))
	return Eval[[]Cell](t, ctx, js)
}
