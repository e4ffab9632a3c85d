// Package bank owns what the bank tells the paying agency: the ISO 20022
// debit/credit notification camt.054.001.02 (BankToCustomerDebitCredit-
// Notification) that a Swedish bank sends for money in and out of an
// account, read with encoding/xml into integer öre, never a float.
//
// A document is taken whole or refused whole: anything that is not a
// camt.054.001.02 notification, or lacks what an entry must have (amount,
// currency, credit or debit, booking date), is an error naming the entry.
package bank

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"narvard/internal/money"
)

// Namespace is camt.054.001.02's XML namespace.
const Namespace = "urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"

// ErrDocument is wrapped by every refusal of a document.
var ErrDocument = errors.New("filen är inte en giltig camt.054.001.02-avisering")

// Direction is an entry's credit or debit indicator.
type Direction string

// The two directions: money in to the account, money out of it.
const (
	Credit Direction = "CRDT"
	Debit  Direction = "DBIT"
)

// Swedish is the direction in words.
func (d Direction) Swedish() string {
	if d == Credit {
		return "insättning"
	}
	return "uttag"
}

// Ore is an amount in öre (hundredths of a krona).
type Ore int64

// Kronor returns the amount as whole kronor, and whether it is exact (no
// öre).
func (o Ore) Kronor() (money.Kr, bool) { return money.Kr(o / 100), o%100 == 0 }

// String writes the amount as "1 234,50 kr".
func (o Ore) String() string {
	kr := money.Kr(o / 100)
	if o%100 == 0 {
		return kr.String()
	}
	s := kr.String()
	return strings.TrimSuffix(s, " kr") + fmt.Sprintf(",%02d kr", int64(o%100))
}

// Notification is one camt.054 message.
type Notification struct {
	MessageID string
	Created   time.Time // zero when the file gives none
	Entries   []Entry
}

// Entry is one booked (or pending) entry on the account.
type Entry struct {
	N            int // 1-based, in the document's order
	Amount       Ore
	Currency     string
	Direction    Direction
	Booked       bool // Sts is BOOK
	BookingDate  time.Time
	Transactions []Transaction
}

// Transaction is one payment inside an entry (an entry with no details is
// one transaction of the entry's amount).
type Transaction struct {
	Amount       Ore
	Currency     string
	EndToEndID   string
	PmtInfID     string // the transaction's, or the entry's batch's
	References   []string
	Unstructured string
}

// Parse reads a camt.054.001.02 document.
func Parse(b []byte) (Notification, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var root xml.StartElement
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return Notification{}, refuse("filen är tom eller saknar ett XML-dokument")
		}
		if err != nil {
			return Notification{}, refuse("filen är inte läsbar XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			root = se
			break
		}
	}
	if root.Name.Local != "Document" || root.Name.Space != Namespace {
		return Notification{}, refuse("rotelementet är {%s}%s, väntat {%s}Document", root.Name.Space, root.Name.Local, Namespace)
	}
	var d document
	if err := dec.DecodeElement(&d, &root); err != nil {
		return Notification{}, refuse("filen är inte läsbar XML: %v", err)
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Notification{}, refuse("filen är inte läsbar XML efter dokumentet: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return Notification{}, refuse("filen har mer än ett dokument (%s)", t.Name.Local)
		case xml.CharData:
			if len(bytes.TrimSpace(t)) != 0 {
				return Notification{}, refuse("filen har text efter dokumentet")
			}
		}
	}
	return d.notification()
}

func refuse(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrDocument, fmt.Sprintf(format, args...))
}

func (d document) notification() (Notification, error) {
	m := d.Msg
	if m == nil {
		return Notification{}, refuse("BkToCstmrDbtCdtNtfctn saknas")
	}
	n := Notification{MessageID: strings.TrimSpace(m.GrpHdr.MsgID)}
	if n.MessageID == "" {
		return Notification{}, refuse("GrpHdr/MsgId saknas")
	}
	if len(n.MessageID) > 35 {
		return Notification{}, refuse("GrpHdr/MsgId är längre än 35 tecken")
	}
	if s := strings.TrimSpace(m.GrpHdr.CreDtTm); s != "" {
		t, err := parseDateTime(s)
		if err != nil {
			return Notification{}, refuse("GrpHdr/CreDtTm %q är ingen tidpunkt", s)
		}
		n.Created = t
	}
	if len(m.Ntfctn) == 0 {
		return Notification{}, refuse("Ntfctn saknas")
	}
	for _, nt := range m.Ntfctn {
		for _, x := range nt.Ntry {
			e, err := x.entry(len(n.Entries) + 1)
			if err != nil {
				return Notification{}, err
			}
			n.Entries = append(n.Entries, e)
		}
	}
	return n, nil
}

func (x ntry) entry(i int) (Entry, error) {
	bad := func(format string, args ...any) (Entry, error) {
		return Entry{}, refuse("post %d (Ntry): %s", i, fmt.Sprintf(format, args...))
	}
	e := Entry{N: i, Direction: Direction(strings.TrimSpace(x.CdtDbtInd)), Booked: strings.TrimSpace(x.Sts) == "BOOK"}
	var err error
	if e.Amount, e.Currency, err = x.Amt.parse(); err != nil {
		return bad("Amt: %v", err)
	}
	if e.Direction != Credit && e.Direction != Debit {
		return bad("CdtDbtInd %q är varken CRDT eller DBIT", x.CdtDbtInd)
	}
	if strings.TrimSpace(x.Sts) == "" {
		return bad("Sts saknas")
	}
	if x.BookgDt == nil {
		return bad("BookgDt saknas")
	}
	if e.BookingDate, err = x.BookgDt.date(); err != nil {
		return bad("BookgDt: %v", err)
	}
	if e.Transactions, err = x.transactions(e); err != nil {
		return bad("%v", err)
	}
	return e, nil
}

// transactions reads the entry's transaction details; an entry without
// any is one transaction of its whole amount. Several transactions must
// each give their amount, and those in the entry's currency must sum to it.
func (x ntry) transactions(e Entry) ([]Transaction, error) {
	var batchPmtInf string
	var txs []txDtls
	for _, nd := range x.NtryDtls {
		if nd.Btch != nil && batchPmtInf == "" {
			batchPmtInf = strings.TrimSpace(nd.Btch.PmtInfID)
		}
		txs = append(txs, nd.TxDtls...)
	}
	if len(txs) == 0 {
		return []Transaction{{Amount: e.Amount, Currency: e.Currency, PmtInfID: batchPmtInf}}, nil
	}
	var out []Transaction
	var sum Ore
	mixed := false // amounts in other currencies are not summed
	for j, t := range txs {
		tr, err := t.transaction(e, batchPmtInf, len(txs) > 1)
		if err != nil {
			return nil, fmt.Errorf("TxDtls %d: %w", j+1, err)
		}
		if tr.Currency == e.Currency {
			sum += tr.Amount
		} else {
			mixed = true
		}
		out = append(out, tr)
	}
	if len(txs) > 1 && !mixed && sum != e.Amount {
		return nil, fmt.Errorf("transaktionernas belopp (%s) är inte postens belopp (%s)", sum, e.Amount)
	}
	return out, nil
}

// transaction reads one transaction's references, amount and remittance
// information; it has the entry's amount unless it gives its own, which it
// must when it is one of several.
func (t txDtls) transaction(e Entry, batchPmtInf string, several bool) (Transaction, error) {
	tr := Transaction{Amount: e.Amount, Currency: e.Currency, PmtInfID: batchPmtInf}
	if t.Refs != nil {
		tr.EndToEndID = strings.TrimSpace(t.Refs.EndToEndID)
		if p := strings.TrimSpace(t.Refs.PmtInfID); p != "" {
			tr.PmtInfID = p
		}
		if tr.EndToEndID == "NOTPROVIDED" {
			tr.EndToEndID = ""
		}
	}
	if a := t.amount(); a != nil {
		var err error
		if tr.Amount, tr.Currency, err = a.parse(); err != nil {
			return tr, fmt.Errorf("belopp: %w", err)
		}
	} else if several {
		return tr, errors.New("saknar belopp (AmtDtls) fast posten har flera transaktioner")
	}
	if t.RmtInf != nil {
		tr.Unstructured = strings.TrimSpace(strings.Join(t.RmtInf.Ustrd, " "))
		for _, s := range t.RmtInf.Strd {
			if s.CdtrRefInf != nil {
				if r := strings.TrimSpace(s.CdtrRefInf.Ref); r != "" {
					tr.References = append(tr.References, r)
				}
			}
		}
	}
	return tr, nil
}

// parseAmount reads an ISO 20022 amount ("1234.50", "1234", at most 18
// digits, no sign) into öre, without floats. More than two decimals are
// accepted only when the extra ones are zero.
func parseAmount(s string) (Ore, error) {
	s = strings.TrimSpace(s)
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || (dot && frac == "") || len(whole)+len(frac) > 18 {
		return 0, fmt.Errorf("%q är inget belopp", s)
	}
	for _, part := range []string{whole, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return 0, fmt.Errorf("%q är inget belopp", s)
			}
		}
	}
	if len(whole) > 16 {
		return 0, fmt.Errorf("%q är för stort", s)
	}
	if len(frac) > 2 {
		if strings.Trim(frac[2:], "0") != "" {
			return 0, fmt.Errorf("%q har fler decimaler än ören", s)
		}
		frac = frac[:2]
	}
	frac += strings.Repeat("0", 2-len(frac))
	var o int64
	for _, c := range whole + frac {
		o = o*10 + int64(c-'0')
	}
	return Ore(o), nil
}

func parseDateTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, time.DateOnly + "T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("ogiltig tidpunkt")
}
