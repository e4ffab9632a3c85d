package web

import (
	"bytes"
	"context"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"narvard/internal/auth"
	"narvard/internal/grant"
)

// uploadBank posts a bank file as the worklist's form does: the CSRF
// token first (unless ""), then the file.
func (b *browser) uploadBank(token, file string) *httptest.ResponseRecorder {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if token != "" {
		mw.WriteField("csrf", token)
	}
	fw, _ := mw.CreateFormFile("file", "camt054.xml")
	fw.Write([]byte(file))
	mw.Close()
	req := httptest.NewRequest("POST", "/bankaviseringar", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	return rec
}

// TestBankUploadAndWhatIsOwed: Kammarkollegiet uploads the bank's file,
// which confirms a payment and lists an unknown credit; the recipient's
// report then makes money due, and its start page says what, why, by
// when, where and with which OCR, with the decision letter as PDF.
func TestBankUploadAndWhatIsOwed(t *testing.T) {
	ctx := context.Background()
	h, _ := newHandler(t, nil)
	a := handlerApp
	actor := func(email, org string, role auth.Role) auth.Actor {
		u, err := a.AddUser(ctx, email, "", org, role, "ett långt lösenord")
		if err != nil {
			t.Fatal(err)
		}
		return u.Actor()
	}
	officer, signatory, cfo := actor("o@nll.se", "region-25", auth.RecipientOfficer), actor("s@nll.se", "region-25", auth.Signatory), actor("c@nll.se", "region-25", auth.CFO)
	b := signedInAs(t, h, "pay@kk.se", "kammarkollegiet", auth.Payer)
	payer := auth.Actor{Email: "pay@kk.se", Org: "kammarkollegiet", Role: auth.Payer}
	r, _ := attestedBatch(t, a, officer, signatory, payer, auth.Actor{Email: "second@kk.se", Org: "kammarkollegiet", Role: auth.Payer})
	file := `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>WEB-1</MsgId></GrpHdr><Ntfctn>
<Ntry><Amt Ccy="SEK">1000.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2023-11-14</Dt></BookgDt>
<NtryDtls><TxDtls><Refs><EndToEndId>` + r.ID + `</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>
<Ntry><Amt Ccy="SEK">77.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2023-11-14</Dt></BookgDt>
<NtryDtls><TxDtls><RmtInf><Ustrd>Gåva</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`

	page := b.do("GET", "/kammarkollegiet", nil).Body.String()
	if !strings.Contains(page, `action="/bankaviseringar" enctype="multipart/form-data"`) {
		t.Fatalf("no upload form on the worklist:\n%s", page)
	}
	if rec := b.uploadBank("", file); rec.Code != http.StatusForbidden {
		t.Errorf("without CSRF: %d", rec.Code)
	}
	token := b.csrf("/kammarkollegiet")
	rec := b.uploadBank(token, strings.Replace(file, "</Document>", "", 1))
	if page := html.UnescapeString(rec.Body.String()); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(page, "Filen togs inte emot och inget registrerades") {
		t.Errorf("damaged: %d\n%s", rec.Code, page)
	}
	rec = b.uploadBank(token, file)
	loc := rec.Header().Get("Location")
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(loc, "/bankaviseringar/BA-") {
		t.Fatalf("upload: %d %q\n%s", rec.Code, loc, rec.Body.String())
	}
	page = html.UnescapeString(b.do("GET", loc, nil).Body.String())
	for _, want := range []string{"Bankavisering WEB-1", "Matchade (1)", "Ej matchade – hanteras för hand (1)", r.ID, "Omgången är bekräftad som betald.", "ingen giltig OCR-referens", "77 kr"} {
		if !strings.Contains(page, want) {
			t.Errorf("bank page lacks %q", want)
		}
	}
	if again := b.uploadBank(token, file); again.Header().Get("Location") != loc {
		t.Errorf("second upload: %d %q, want %q", again.Code, again.Header().Get("Location"), loc)
	}
	if page := b.do("GET", "/kammarkollegiet", nil).Body.String(); !strings.Contains(page, `href="`+loc+`"`) {
		t.Errorf("the worklist does not list the import")
	}

	// The recipient spends 600 of the 1 000 kr: 400 kr is due.
	al, _ := a.Allocation("gnv-2023", "region-25")
	rf := grant.ReportForm{Agreement: "gnv-2023", Recipient: "region-25", PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
		Contact: r.Contact, AgreementDnr: "S2023/1", PaymentDecisionDnr: "S2023/2"}
	for _, c := range al.Components {
		rf.Costs = append(rf.Costs, grant.CostLine{Item: "Personal", Component: c.ID, Amount: 0})
	}
	rf.Costs[0].Amount = 600
	rep, err := a.CreateReport(ctx, officer, rf)
	if err == nil {
		_, err = a.ReviewReport(ctx, cfo, rep.ID, grant.Review{Alternative: 1})
	}
	if err == nil {
		rep, err = a.SignReport(ctx, signatory, rep.ID)
	}
	if err != nil {
		t.Fatal(err)
	}
	rb := &browser{t: t, h: h, cookies: map[string]string{}}
	if rec := rb.signIn("o@nll.se"); rec.Code != http.StatusSeeOther {
		t.Fatalf("sign in: %d", rec.Code)
	}
	page = html.UnescapeString(rb.do("GET", "/start", nil).Body.String())
	st, _ := a.RecipientStatus(ctx, officer, "gnv-2023", "region-25")
	if len(st.Dues) != 1 {
		t.Fatalf("dues: %+v (report due %d)", st.Dues, rep.Due)
	}
	d := st.Dues[0]
	for _, want := range []string{"Att betala tillbaka", "Återbetalningsbesked", d.Outstanding.String(), "2024-03-31", "Kammarkollegiet, bankgiro 5050-1055", d.OCR, `/skulder/` + d.ID + `/pdf`} {
		if !strings.Contains(page, want) {
			t.Errorf("start page lacks %q", want)
		}
	}
	if rec := rb.do("GET", "/skulder/"+d.ID+"/pdf", nil); rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), "%PDF") {
		t.Errorf("letter: %d", rec.Code)
	}
}
