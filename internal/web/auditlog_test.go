package web

import (
	"bytes"
	"context"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"narvard/internal/auth"
)

// TestAuditLogPage: the auditor's audit log shows every entry newest
// first with who, organisation, action, the object linked to its page and
// both hashes; says the chain is intact; searches by object, user and
// days, refusing a day that is not one beside the form; exports what it
// found as XLSX with the sequence number an integer cell; is linked from
// the auditor's start page and header, and closed to a payer.
func TestAuditLogPage(t *testing.T) {
	h, _ := newHandler(t, nil)
	readyToPay(t, handlerApp)
	auditor := signedInAs(t, h, "granskare@kk.se", "kammarkollegiet", auth.Auditor)
	payer := signedInAs(t, h, "pay@kk.se", "kammarkollegiet", auth.Payer)
	officer := actorOf(t, "officer@nll.se", "Olle Handläggare", "region-25", auth.RecipientOfficer)
	signatory := actorOf(t, "sign@nll.se", "Siv Firmatecknare", "region-25", auth.Signatory)
	maker := actorOf(t, "maker@kk.se", "Karin Utbetalare", "kammarkollegiet", auth.Payer)
	attester := actorOf(t, "attest@kk.se", "Erik Attestant", "kammarkollegiet", auth.Payer)
	r, b := attestedBatch(t, handlerApp, officer, signatory, maker, attester)

	start := auditor.do("GET", "/start", nil).Body.String()
	if !strings.Contains(start, `data-audit-link`) || !strings.Contains(start, `<a href="/granskning">Granskningslogg</a>`) {
		t.Errorf("no link to the audit log on the auditor's start page and header")
	}
	rec := auditor.do("GET", "/granskning", nil)
	page := html.UnescapeString(rec.Body.String())
	if rec.Code != http.StatusOK || !strings.Contains(page, `data-chain="intakt"`) || !strings.Contains(page, "Kedjan är obruten.") {
		t.Fatalf("the log: %d\n%s", rec.Code, page)
	}
	for _, want := range []string{
		`<a href="/rekvisitioner/` + r.ID + `">requisition:` + r.ID + `</a>`,
		`<a href="/betalningar/` + b.ID + `">batch:` + b.ID + `</a>`,
		"<td>batch.attest</td>", "Erik Attestant (attest@kk.se)", "<td>Kammarkollegiet</td>", "<td>Region Norrbotten</td>",
		"data-hash>", "<summary><code title=",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the log lacks %q", want)
		}
	}
	if first, attest := strings.Index(page, "<td>batch.attest</td>"), strings.Index(page, "<td>requisition.create</td>"); first < 0 || attest < first {
		t.Error("the log is not newest first")
	}

	found := html.UnescapeString(auditor.do("GET", "/granskning?objekt="+r.ID+"&anvandare=sign@nll&from=2023-11-15&to=2023-11-15", nil).Body.String())
	if strings.Count(found, "<tr data-seq=") != 1 || !strings.Contains(found, "<td>requisition.sign</td>") || !strings.Contains(found, "Sökningen ger 1 poster") ||
		!strings.Contains(found, `value="sign@nll"`) {
		t.Errorf("the search by object, user and day:\n%s", found)
	}
	if none := auditor.do("GET", "/granskning?objekt="+r.ID+"&from=2023-11-16", nil).Body.String(); !strings.Contains(none, "Inga poster.") {
		t.Error("a day after every entry still finds some")
	}
	rec = auditor.do("GET", "/granskning?from=15+november", nil)
	if bad := html.UnescapeString(rec.Body.String()); rec.Code != http.StatusUnprocessableEntity ||
		!strings.Contains(bad, `Från och med: ange ett datum som 2023-12-01, inte "15 november".`) || !strings.Contains(bad, `value="15 november"`) {
		t.Errorf("a day that is not one: %d\n%s", rec.Code, bad)
	}

	rec = auditor.do("GET", "/granskning.xlsx?objekt="+r.ID, nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), "granskningslogg-2023-11-15.xlsx") {
		t.Fatalf("export: %d %v", rec.Code, rec.Header())
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Granskningslogg", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	// Created, signed, approved, each in its own row, newest first.
	if len(rows) != 4 || rows[0][0] != "Nr" || rows[1][6] != "requisition:"+r.ID || len(rows[1][8]) != 64 {
		t.Fatalf("the workbook: %q", rows)
	}
	if typ, err := f.GetCellType("Granskningslogg", "A2"); err != nil || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("the sequence number is not a number: %v %v", typ, err)
	}

	for _, p := range []string{"/granskning", "/granskning.xlsx"} {
		if rec := payer.do("GET", p, nil); rec.Code != http.StatusForbidden {
			t.Errorf("a payer at %s: %d", p, rec.Code)
		}
	}
}

// actorOf adds a user with a name and returns it as an actor.
func actorOf(t *testing.T, email, name, org string, role auth.Role) auth.Actor {
	t.Helper()
	u, err := handlerApp.AddUser(context.Background(), email, name, org, role, "ett långt lösenord")
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}
