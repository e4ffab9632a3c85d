package ledger

import (
	"errors"
	"testing"
	"time"
)

func TestTxCheck(t *testing.T) {
	at := time.Date(2023, 11, 15, 9, 0, 0, 0, time.UTC)
	ok := Move(KindPayment, "gnv-2023", "region-25", "R1", at, Requisitioned("gnv-2023", "region-25"), Paid("gnv-2023", "region-25"), 100)
	if err := ok.Check(); err != nil {
		t.Fatal(err)
	}
	bad := []Tx{
		{Postings: []Posting{{"a", 5}}},
		{Postings: []Posting{{"a", 5}, {"b", -4}}},
		{Postings: []Posting{{"a", 0}, {"b", 0}}},
		{Postings: []Posting{{"", 5}, {"b", -5}}},
	}
	for _, tx := range bad {
		if err := tx.Check(); !errors.Is(err, ErrUnbalanced) {
			t.Errorf("%v: err = %v", tx.Postings, err)
		}
	}
}

func TestBalances(t *testing.T) {
	at := time.Now()
	txs := []Tx{
		Move(KindAllocation, "g", "r", "", at, Appropriation("g"), Allocated("g", "r"), 1000),
		Move(KindRequisition, "g", "r", "R1", at, Allocated("g", "r"), Requisitioned("g", "r"), 600),
		Move(KindPayment, "g", "r", "R1", at, Requisitioned("g", "r"), Paid("g", "r"), 600),
	}
	b, err := Balances(txs)
	if err != nil {
		t.Fatal(err)
	}
	if b[Allocated("g", "r")] != 400 || b[Paid("g", "r")] != 600 || b[Requisitioned("g", "r")] != 0 || b[Appropriation("g")] != -1000 {
		t.Errorf("balances = %v", b)
	}
	if got := Allocated("g", "r"); got != "mottagare:g:r:tilldelat" {
		t.Errorf("account name = %q", got)
	}
	var sum int64
	for _, v := range b {
		sum += int64(v)
	}
	if sum != 0 {
		t.Errorf("ledger sums to %d", sum)
	}
}
