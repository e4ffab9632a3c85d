// Package payment writes payment batches as ISO 20022 pain.001.001.03
// customer credit transfer initiations, the file Kammarkollegiet sends to
// its bank, with Swedish bankgiro and plusgiro accounts as the creditors'.
package payment

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"narvard/internal/ident"
	"narvard/internal/money"
)

// Namespace is the pain.001.001.03 XML namespace.
const Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"

// Party is the debtor or a creditor.
type Party struct {
	Name  string
	OrgNr string // NNNNNN-NNNN, may be empty for a creditor
}

// Account is a Swedish giro account, or an account at a bank by its IBAN
// and the bank's BIC (the debtor's, a paying agency's own account).
type Account struct {
	Type   string // "bankgiro", "plusgiro" or "iban"
	Number string
	BIC    string // for "iban": the bank's BIC
}

// Transfer is one payment in the batch.
type Transfer struct {
	EndToEndID string // the requisition's id; reaches the recipient's bank statement
	Amount     money.Kr
	Creditor   Party
	Account    Account
	Reference  string // the recipient's wished-for payment reference
}

// File is a set of transfers paid from the debtor's account on one day.
type File struct {
	MessageID  string
	Created    time.Time
	ExecuteOn  time.Time // requested execution date
	Debtor     Party
	DebtorAcct Account
	Transfers  []Transfer
}

// ErrEmpty is returned for a file without transfers.
var ErrEmpty = errors.New("betalningsomgången är tom")

// ControlSum sums the transfers.
func (b File) ControlSum() (money.Kr, error) {
	var sum money.Kr
	for _, t := range b.Transfers {
		if t.Amount <= 0 {
			return 0, fmt.Errorf("%s: belopp %d är inte positivt", t.EndToEndID, t.Amount)
		}
		var err error
		if sum, err = money.Add(sum, t.Amount); err != nil {
			return 0, err
		}
	}
	return sum, nil
}

// Pain001 writes the batch as a pain.001.001.03 document.
func Pain001(b File) ([]byte, error) {
	if len(b.Transfers) == 0 {
		return nil, ErrEmpty
	}
	sum, err := b.ControlSum()
	if err != nil {
		return nil, err
	}
	n := strconv.Itoa(len(b.Transfers))
	dbtrAcct, dbtrAgt, err := account(b.DebtorAcct)
	if err != nil {
		return nil, fmt.Errorf("avsändarkonto: %w", err)
	}
	if dbtrAgt == nil || dbtrAgt.FinInstnID.BIC == "" {
		dbtrAgt = &agent{FinInstnID: finInstnID{Othr: &genericID{ID: "NOTPROVIDED"}}}
	}
	pmt := pmtInf{
		PmtInfID: max35(b.MessageID + "-1"), PmtMtd: "TRF", NbOfTxs: n, CtrlSum: decimal(sum),
		PmtTpInf:    &pmtTpInf{SvcLvl: code{Cd: "NURG"}},
		ReqdExctnDt: b.ExecuteOn.Format(time.DateOnly),
		Dbtr:        party(b.Debtor), DbtrAcct: dbtrAcct, DbtrAgt: *dbtrAgt,
	}
	for _, t := range b.Transfers {
		acct, agt, err := account(t.Account)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.EndToEndID, err)
		}
		tx := cdtTrfTxInf{
			PmtID:    pmtID{InstrID: max35(t.EndToEndID), EndToEndID: max35(t.EndToEndID)},
			Amt:      amt{InstdAmt: instdAmt{Ccy: "SEK", Value: decimal(t.Amount)}},
			CdtrAgt:  agt,
			Cdtr:     party(t.Creditor),
			CdtrAcct: acct,
		}
		if t.Reference != "" {
			tx.RmtInf = &rmtInf{Ustrd: max140(t.Reference)}
		}
		pmt.CdtTrfTxInf = append(pmt.CdtTrfTxInf, tx)
	}
	doc := document{Xmlns: Namespace, Initn: initn{
		GrpHdr: grpHdr{MsgID: max35(b.MessageID), CreDtTm: b.Created.UTC().Format(time.DateOnly + "T" + time.TimeOnly),
			NbOfTxs: n, CtrlSum: decimal(sum), InitgPty: party(b.Debtor)},
		PmtInf: []pmtInf{pmt},
	}}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	buf.WriteString("\n")
	return buf.Bytes(), nil
}

// decimal writes whole kronor as an ISO 20022 amount: "1234.00".
func decimal(k money.Kr) string { return strconv.FormatInt(int64(k), 10) + ".00" }

func party(p Party) partyID {
	out := partyID{Nm: max140(p.Name)}
	if d := ident.Digits(p.OrgNr); d != "" {
		out.ID = &orgIDChoice{OrgID: orgID{Othr: []genericOrgID{{ID: d}}}}
	}
	return out
}

// account returns the account in the form Swedish banks take in
// pain.001: a bankgiro number with the proprietary scheme BGNR, a
// plusgiro number as a BBAN held at clearing number 9960 (Plusgirot), or
// an IBAN held at the bank with the BIC.
func account(a Account) (cashAccount, *agent, error) {
	switch a.Type {
	case "bankgiro":
		n, err := ident.Bankgiro(a.Number)
		if err != nil {
			return cashAccount{}, nil, fmt.Errorf("bankgiro %q: %w", a.Number, err)
		}
		return cashAccount{ID: accountID{Othr: &genericAccountID{ID: ident.Digits(n), SchmeNm: &schemeName{Prtry: "BGNR"}}}}, nil, nil
	case "plusgiro":
		n, err := ident.Plusgiro(a.Number)
		if err != nil {
			return cashAccount{}, nil, fmt.Errorf("plusgiro %q: %w", a.Number, err)
		}
		agt := &agent{FinInstnID: finInstnID{ClrSysMmbID: &clrSysMmbID{ClrSysID: code{Cd: "SESBA"}, MmbID: "9960"}}}
		return cashAccount{ID: accountID{Othr: &genericAccountID{ID: ident.Digits(n), SchmeNm: &schemeName{Cd: "BBAN"}}}}, agt, nil
	case "iban":
		n, err := ident.IBAN(a.Number)
		if err != nil {
			return cashAccount{}, nil, fmt.Errorf("IBAN %q: %w", a.Number, err)
		}
		bic, err := ident.BIC(a.BIC)
		if err != nil {
			return cashAccount{}, nil, fmt.Errorf("BIC %q: %w", a.BIC, err)
		}
		return cashAccount{ID: accountID{IBAN: n}}, &agent{FinInstnID: finInstnID{BIC: bic}}, nil
	}
	return cashAccount{}, nil, fmt.Errorf("okänd kontotyp %q", a.Type)
}

func truncate(s string, n int) string {
	for utf8.RuneCountInString(s) > n {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}

func max35(s string) string  { return truncate(s, 35) }
func max140(s string) string { return truncate(s, 140) }
