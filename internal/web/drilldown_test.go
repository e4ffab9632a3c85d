package web

import (
	"strings"
	"testing"

	"narvard/internal/auth"
	"narvard/internal/org"
)

// TestMatrixDrillDown: each row of the national matrix links to the
// recipient's page, and each figure to the section that makes it up; the
// page lists the requisition paid, its batch and payment day, and a
// second requisition of another recipient nowhere; a recipient's officer
// may not open it.
func TestMatrixDrillDown(t *testing.T) {
	h, _ := newHandler(t, nil)
	a := handlerApp
	payer := auth.Actor{Email: "maker@kk.se", Org: org.Kammarkollegiet, Role: auth.Payer}
	attester := auth.Actor{Email: "attest@kk.se", Org: org.Kammarkollegiet, Role: auth.Payer}
	req, batch := attestedBatch(t, a, auth.Actor{Email: "o@nll.se", Org: "region-25", Role: auth.RecipientOfficer},
		auth.Actor{Email: "s@nll.se", Name: "S", Org: "region-25", Role: auth.Signatory}, payer, attester)
	if _, err := a.ConfirmBatch(t.Context(), payer, batch.ID, demoNow); err != nil {
		t.Fatal(err)
	}
	other := submitRequisition(t, "region-23", 5000)
	kk := signedInAs(t, h, "pay@kk.se", org.Kammarkollegiet, auth.Payer)

	matrix := kk.do("GET", "/oversikt?agreement=gnv-2023", nil).Body.String()
	const page = "/oversikt/region-25?agreement=gnv-2023"
	for _, want := range []string{`href="` + page + `" data-drill-link`, `href="` + page + `#rekvisitioner"`, `href="` + page + `#utbetalningar"`,
		`href="` + page + `#redovisningar"`, `href="` + page + `#skulder"`, `href="/rekvisitioner/` + req.ID + `"`} {
		if !strings.Contains(matrix, strings.ReplaceAll(want, "&", "&amp;")) {
			t.Errorf("the matrix lacks %s", want)
		}
	}
	rec := kk.do("GET", page, nil)
	body := rec.Body.String()
	if rec.Code != 200 {
		t.Fatalf("drill-down: %d %s", rec.Code, body)
	}
	for _, want := range []string{`data-requisition="` + req.ID + `"`, `href="/betalningar/` + batch.ID + `"`, "2023-11-15", `data-paid="1000"`, `data-requisitioned="1000"`,
		`id="tilldelning"`, `id="skulder"`, "Ingen redovisning."} {
		if !strings.Contains(body, want) {
			t.Errorf("the drill-down lacks %s", want)
		}
	}
	if strings.Contains(body, other.ID) {
		t.Error("another recipient's requisition is on the page")
	}
	if rec := signedInAs(t, h, "o2@nll.se", "region-25", auth.RecipientOfficer).do("GET", page, nil); rec.Code != 403 {
		t.Errorf("a recipient's officer opens the drill-down: %d", rec.Code)
	}
	if rec := kk.do("GET", "/oversikt/region-99?agreement=gnv-2023", nil); rec.Code != 404 {
		t.Errorf("an unknown recipient: %d", rec.Code)
	}
}
