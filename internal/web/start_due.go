package web

import (
	"strings"
	"time"

	"narvard/internal/app"
	"narvard/internal/grant"
	"narvard/internal/money"
)

// dueNote explains on the start page what the recipient owes: why, by
// when, where and with which OCR reference, and whether the amount is
// still preliminary (its financial report not yet accepted).
type dueNote struct {
	Lines []string
	// Preliminary: the amount follows a report the paying agency has not
	// accepted, so it may change.
	Preliminary bool
	// Unfiled is the report's own costs while it is a draft or returned:
	// the status counts a report's costs only once it is filed.
	Unfiled      money.Kr
	UnfiledShown bool
}

// dueNoteOf is the start page's explanation of what is owed, or nil when
// nothing is owed and no report is in the works.
func dueNoteOf(st app.Status) *dueNote {
	n := &dueNote{}
	if rep := st.Report; rep != nil && rep.Status != grant.ReportAccepted {
		n.Preliminary = st.Due > 0
		if !rep.Status.Filed() {
			n.Unfiled, _ = rep.ReportForm.TotalCosts()
			n.UnfiledShown = true
			n.Lines = append(n.Lines, "Kostnaderna ovan räknas ur en inskickad redovisning. Er redovisning är "+rep.Status.Swedish()+
				" med kostnader "+n.Unfiled.String()+"; de räknas när den skickas in igen.")
		}
	}
	for _, d := range st.Dues {
		if d.Outstanding <= 0 {
			continue
		}
		line := d.Kind.Swedish() + ": " + d.Outstanding.String() + " – " + strings.TrimSuffix(d.Reason, ".") + ". Betala senast " + d.DueOn.Format(time.DateOnly) +
			" till " + d.AgencyName + ", " + d.BankgiroText() + ", med OCR-nummer " + d.OCR + "."
		n.Lines = append(n.Lines, line)
	}
	if n.Preliminary {
		n.Lines = append(n.Lines, "Preliminärt: beloppet bygger på en ekonomisk redovisning som Kammarkollegiet ännu inte har godkänt och kan ändras när den rättas eller granskas.")
	}
	if len(n.Lines) == 0 {
		return nil
	}
	return n
}
