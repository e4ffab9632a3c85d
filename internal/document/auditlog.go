package document

import (
	"bytes"

	"narvard/internal/xlsxfile"
)

// AuditLine is one entry of the audit log as the auditor's export shows
// it; At is the time in Stockholm as the page shows it.
type AuditLine struct {
	Seq                    int64
	At                     string
	Name, Email, Org       string
	Action, Object, Detail string
	Hash, PrevHash         string
}

// AuditWorkbook writes audit log entries as XLSX, one row per entry in
// the order given: the sequence number is an integer cell, everything
// else text (the hashes in full).
func AuditWorkbook(lines []AuditLine) ([]byte, error) {
	s := xlsxfile.New("Granskningslogg")
	defer s.Close()
	s.Header("Nr", "Tid", "Vem", "E-postadress", "Organisation", "Händelse", "Objekt", "Detaljer", "Hash", "Föregående hash")
	for _, l := range lines {
		s.Row(l.Seq, l.At, l.Name, l.Email, l.Org, l.Action, l.Object, l.Detail, l.Hash, l.PrevHash)
	}
	var b bytes.Buffer
	if _, err := s.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
