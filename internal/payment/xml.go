package payment

import "encoding/xml"

// The pain.001.001.03 elements the product writes, in the schema's order.

type document struct {
	XMLName xml.Name `xml:"Document"`
	Xmlns   string   `xml:"xmlns,attr"`
	Initn   initn    `xml:"CstmrCdtTrfInitn"`
}

type initn struct {
	GrpHdr grpHdr   `xml:"GrpHdr"`
	PmtInf []pmtInf `xml:"PmtInf"`
}

type grpHdr struct {
	MsgID    string  `xml:"MsgId"`
	CreDtTm  string  `xml:"CreDtTm"`
	NbOfTxs  string  `xml:"NbOfTxs"`
	CtrlSum  string  `xml:"CtrlSum"`
	InitgPty partyID `xml:"InitgPty"`
}

type pmtInf struct {
	PmtInfID    string        `xml:"PmtInfId"`
	PmtMtd      string        `xml:"PmtMtd"`
	NbOfTxs     string        `xml:"NbOfTxs"`
	CtrlSum     string        `xml:"CtrlSum"`
	PmtTpInf    *pmtTpInf     `xml:"PmtTpInf"`
	ReqdExctnDt string        `xml:"ReqdExctnDt"`
	Dbtr        partyID       `xml:"Dbtr"`
	DbtrAcct    cashAccount   `xml:"DbtrAcct"`
	DbtrAgt     agent         `xml:"DbtrAgt"`
	CdtTrfTxInf []cdtTrfTxInf `xml:"CdtTrfTxInf"`
}

type pmtTpInf struct {
	SvcLvl code `xml:"SvcLvl"`
}

type code struct {
	Cd string `xml:"Cd"`
}

type partyID struct {
	Nm string       `xml:"Nm"`
	ID *orgIDChoice `xml:"Id"`
}

type orgIDChoice struct {
	OrgID orgID `xml:"OrgId"`
}

type orgID struct {
	Othr []genericOrgID `xml:"Othr"`
}

type genericOrgID struct {
	ID string `xml:"Id"`
}

type cashAccount struct {
	ID accountID `xml:"Id"`
}

type accountID struct {
	IBAN string            `xml:"IBAN,omitempty"`
	Othr *genericAccountID `xml:"Othr"`
}

type genericAccountID struct {
	ID      string      `xml:"Id"`
	SchmeNm *schemeName `xml:"SchmeNm"`
}

type schemeName struct {
	Cd    string `xml:"Cd,omitempty"`
	Prtry string `xml:"Prtry,omitempty"`
}

type agent struct {
	FinInstnID finInstnID `xml:"FinInstnId"`
}

type finInstnID struct {
	BIC         string       `xml:"BIC,omitempty"`
	ClrSysMmbID *clrSysMmbID `xml:"ClrSysMmbId"`
	Othr        *genericID   `xml:"Othr"`
}

type clrSysMmbID struct {
	ClrSysID code   `xml:"ClrSysId"`
	MmbID    string `xml:"MmbId"`
}

type genericID struct {
	ID string `xml:"Id"`
}

type cdtTrfTxInf struct {
	PmtID    pmtID       `xml:"PmtId"`
	Amt      amt         `xml:"Amt"`
	CdtrAgt  *agent      `xml:"CdtrAgt"`
	Cdtr     partyID     `xml:"Cdtr"`
	CdtrAcct cashAccount `xml:"CdtrAcct"`
	RmtInf   *rmtInf     `xml:"RmtInf"`
}

type pmtID struct {
	InstrID    string `xml:"InstrId"`
	EndToEndID string `xml:"EndToEndId"`
}

type amt struct {
	InstdAmt instdAmt `xml:"InstdAmt"`
}

type instdAmt struct {
	Ccy   string `xml:"Ccy,attr"`
	Value string `xml:",chardata"`
}

type rmtInf struct {
	Ustrd string `xml:"Ustrd"`
}
