package api

import (
	"fmt"
	"io"
	"net/http"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/bank"
	"narvard/internal/fault"
)

// maxBankFile bounds an uploaded bank notification.
const maxBankFile = 16 << 20

func (h *API) bankRoutes() {
	h.handleOf("POST /api/v1/bank-notifications", maxBankFile+1, h.importBankNotification)
	h.handle("GET /api/v1/bank-notifications", h.listBankNotifications)
	h.handle("GET /api/v1/bank-notifications/{id}", h.getBankNotification)
	h.handle("GET /api/v1/debts/{id}/pdf", h.debtLetter)
}

// importBankNotification takes a camt.054.001.02 document as the body:
// 201 with what was matched and not, or 200 with the first import when
// the same message was imported before.
func (h *API) importBankNotification(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBankFile+1))
	if err != nil {
		return fault.Fields{"file": "Filen kunde inte läsas."}.Err()
	}
	if len(b) > maxBankFile {
		return &fault.Error{Code: fault.Invalid, Message: "Filen är större än 16 MB och togs inte emot; inget registrerades.",
			Fields: map[string]string{"file": "Högst 16 MB."}}
	}
	v, err := h.app.ImportBankNotification(r.Context(), actor, b)
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if v.AlreadyImported {
		status = http.StatusOK
	}
	w.Header().Set("Location", "/api/v1/bank-notifications/"+v.ID)
	writeJSON(w, status, bankJSON(v))
	return nil
}

func (h *API) getBankNotification(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	v, err := h.app.BankNotification(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, bankJSON(v))
	return nil
}

func (h *API) listBankNotifications(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	list, err := h.app.BankNotifications(r.Context(), actor)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(list))
	for _, v := range list {
		out = append(out, map[string]any{"id": v.ID, "message_id": v.MessageID, "imported_at": stamp(v.ImportedAt),
			"imported_by": v.ImportedBy, "matched": len(v.Matched()), "unmatched": len(v.Unmatched())})
	}
	writeJSON(w, http.StatusOK, map[string]any{"bank_notifications": out})
	return nil
}

func (h *API) debtLetter(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	d, b, err := h.app.DebtLetter(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	name := "aterbetalningsbesked-"
	if d.Kind == "reclaim" {
		name = "aterkravsbeslut-"
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+d.OCR+`.pdf"`)
	w.Write(b)
	return nil
}

func bankJSON(v app.BankImportView) map[string]any {
	lines := func(ls []bank.Line) []map[string]any {
		out := make([]map[string]any, 0, len(ls))
		for _, l := range ls {
			m := map[string]any{"line": l.N, "entry": l.Entry, "kind": l.Kind, "direction": l.Direction,
				"amount": decimalOre(l.Amount), "amount_ore": int64(l.Amount), "currency": l.Currency, "booked_on": day(l.BookedOn),
				"reference": l.Reference, "recipient": nilIfEmpty(l.Recipient), "note": l.Note}
			if kr, exact := l.Amount.Kronor(); exact {
				m["amount_kr"] = kr
			}
			switch l.Kind {
			case bank.LineRepayment:
				m["repayment"] = l.Object
			case bank.LinePayment:
				m["requisition"] = l.Object
			}
			out = append(out, m)
		}
		return out
	}
	return map[string]any{"id": v.ID, "message_id": v.MessageID, "imported_at": stamp(v.ImportedAt), "imported_by": v.ImportedBy,
		"already_imported": v.AlreadyImported, "matched": lines(v.Matched()), "unmatched": lines(v.Unmatched())}
}

// decimalOre writes öre as an ISO 20022 amount: "9700.50".
func decimalOre(o bank.Ore) string { return fmt.Sprintf("%d.%02d", int64(o/100), int64(o%100)) }

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// duesJSON is a status's due[]: what, why, by when and where.
func duesJSON(dues []app.Due) []map[string]any {
	out := make([]map[string]any, 0, len(dues))
	for _, d := range dues {
		out = append(out, map[string]any{"id": d.ID, "kind": d.Kind, "amount_kr": d.Outstanding, "decided_kr": d.Amount,
			"reason": d.Reason, "due_date": day(d.DueOn), "ocr": d.OCR, "bankgiro": nilIfEmpty(d.Bankgiro),
			"pay_to": d.AgencyName, "letter": "/api/v1/debts/" + d.ID + "/pdf"})
	}
	return out
}
