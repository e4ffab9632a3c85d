package bank

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// The subset of camt.054.001.02 that narvard reads; everything else in a
// document is allowed and ignored.
type document struct {
	Msg *message `xml:"BkToCstmrDbtCdtNtfctn"`
}

type message struct {
	GrpHdr struct {
		MsgID   string `xml:"MsgId"`
		CreDtTm string `xml:"CreDtTm"`
	} `xml:"GrpHdr"`
	Ntfctn []struct {
		Ntry []ntry `xml:"Ntry"`
	} `xml:"Ntfctn"`
}

type ntry struct {
	Amt       *amount    `xml:"Amt"`
	CdtDbtInd string     `xml:"CdtDbtInd"`
	Sts       string     `xml:"Sts"`
	BookgDt   *dateOrDT  `xml:"BookgDt"`
	NtryDtls  []ntryDtls `xml:"NtryDtls"`
}

type ntryDtls struct {
	Btch *struct {
		PmtInfID string `xml:"PmtInfId"`
	} `xml:"Btch"`
	TxDtls []txDtls `xml:"TxDtls"`
}

type txDtls struct {
	Refs *struct {
		PmtInfID   string `xml:"PmtInfId"`
		EndToEndID string `xml:"EndToEndId"`
	} `xml:"Refs"`
	AmtDtls *struct {
		InstdAmt *struct {
			Amt *amount `xml:"Amt"`
		} `xml:"InstdAmt"`
		TxAmt *struct {
			Amt *amount `xml:"Amt"`
		} `xml:"TxAmt"`
	} `xml:"AmtDtls"`
	RmtInf *struct {
		Ustrd []string `xml:"Ustrd"`
		Strd  []struct {
			CdtrRefInf *struct {
				Ref string `xml:"Ref"`
			} `xml:"CdtrRefInf"`
		} `xml:"Strd"`
	} `xml:"RmtInf"`
}

// amount is the transaction's amount on the account (TxAmt), else the
// instructed one, else none.
func (t txDtls) amount() *amount {
	if t.AmtDtls == nil {
		return nil
	}
	if t.AmtDtls.TxAmt != nil && t.AmtDtls.TxAmt.Amt != nil {
		return t.AmtDtls.TxAmt.Amt
	}
	if t.AmtDtls.InstdAmt != nil && t.AmtDtls.InstdAmt.Amt != nil {
		return t.AmtDtls.InstdAmt.Amt
	}
	return nil
}

type amount struct {
	Ccy   string `xml:"Ccy,attr"`
	Value string `xml:",chardata"`
}

func (a *amount) parse() (Ore, string, error) {
	if a == nil {
		return 0, "", errors.New("saknas")
	}
	ccy := strings.TrimSpace(a.Ccy)
	if len(ccy) != 3 || strings.ToUpper(ccy) != ccy {
		return 0, "", fmt.Errorf("valutan %q är ingen valutakod", a.Ccy)
	}
	o, err := parseAmount(a.Value)
	return o, ccy, err
}

type dateOrDT struct {
	Dt   string `xml:"Dt"`
	DtTm string `xml:"DtTm"`
}

func (d *dateOrDT) date() (time.Time, error) {
	if s := strings.TrimSpace(d.Dt); s != "" {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q är inget datum", s)
		}
		return t, nil
	}
	if s := strings.TrimSpace(d.DtTm); s != "" {
		t, err := parseDateTime(s)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q är ingen tidpunkt", s)
		}
		// The booking day is the day where the bank booked it.
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), nil
	}
	return time.Time{}, errors.New("varken Dt eller DtTm")
}
