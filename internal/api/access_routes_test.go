package api

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/grant"
	"narvard/internal/grant/granttest"
	"narvard/internal/org"
)

// apiRoute is one request to a route: the rules of internal/grant its use
// case calls (all must allow), and whether it is about the caller's own
// organisation whoever calls (a new batch is the caller's agency's).
type apiRoute struct {
	pattern, method, path, body string
	rules                       []string
	self                        bool
}

// matrixUser is a user of the route test: every role at every organisation
// of the test that may hold it.
type matrixUser struct {
	email, org string
	role       auth.Role
}

// TestEveryAPIRouteFollowsTheTable sends every route of the API as every
// role, of the organisation the route is about and of others, and checks
// the answer against the one table of who may do what
// (granttest.Rules): allowed is any answer but 401, 403 and 404, refused
// is 403 forbidden or 404 not_found. A route not listed here fails, so a
// new route gets its rules before it ships.
func TestEveryAPIRouteFollowsTheTable(t *testing.T) {
	c, a, clk := setup(t, "2023-11-15T10:00:00+01:00")
	ctx := context.Background()
	var users []matrixUser
	for _, o := range []string{"region-25", "region-24", "rss-25", org.Kammarkollegiet, org.Socialstyrelsen, org.Socialdepartementet} {
		organisation, err := a.Organisation(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, role := range auth.Roles {
			if grant.CanHoldRole(role, organisation) != nil {
				continue // the role does not belong there
			}
			email := fmt.Sprintf("%s@%s.matrix", role, o)
			if _, err := a.AddUser(ctx, email, "Matris "+string(role), o, role, "ett långt lösenord"); err != nil {
				t.Fatal(err)
			}
			tok, err := a.CreateToken(ctx, email, 24*time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			c.tokens[email] = tok
			users = append(users, matrixUser{email, o, role})
		}
	}
	must := func(want int, what string) func(int, map[string]any) map[string]any {
		return func(st int, out map[string]any) map[string]any {
			t.Helper()
			if st != want {
				t.Fatalf("%s: %d %v", what, st, out)
			}
			return out
		}
	}
	// Region Norrbotten's VFU report, written before the VFU deadline.
	clk.Set(time.Date(2023, 3, 1, 9, 0, 0, 0, clock.Stockholm))
	vfu, err := a.CreateVFUReport(ctx, auth.Actor{Email: "officer@region-25.matrix", Org: "region-25", Role: auth.RecipientOfficer},
		"gnv-2023", "region-25", grant.VFUFigures{WeeksBase: 10, WeeksCurrent: 12})
	if err != nil {
		t.Fatal(err)
	}
	clk.Set(time.Date(2023, 11, 15, 10, 0, 0, 0, clock.Stockholm))
	// Region Norrbotten's draft activity report.
	activity, err := a.CreateActivityReport(ctx, auth.Actor{Email: "officer@region-25.matrix", Org: "region-25", Role: auth.RecipientOfficer},
		"gnv-2023-verksamhetsrapport", "region-25", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.AttachToActivityReport(ctx, auth.Actor{Email: "officer@region-25.matrix", Org: "region-25", Role: auth.RecipientOfficer},
		activity.ID, "bilaga.csv", []byte("a;b\n")); err != nil {
		t.Fatal(err)
	}
	// A survey to the regions, open all the time the test runs.
	sv, err := a.CreateSurvey(ctx, auth.Actor{Email: "follow_up@socialstyrelsen.matrix", Org: org.Socialstyrelsen, Role: auth.FollowUp},
		app.SurveyForm{Template: json.RawMessage(`"enkat-kommuner-2019"`), Recipients: json.RawMessage(`"regioner"`), Opens: "2023-01-01", Closes: "2030-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	svp := "/api/v1/surveys/" + sv.ID
	// Region Norrbotten's requisition, paid; Region Västerbotten's,
	// approved, in a batch made by one payer and not yet attested.
	r1 := approvedRequisition(t, c, "1000000")
	// Norrbotten's RSS's too, paid in the same batch, so that it has money
	// to pass on.
	rssReq := strings.Replace(body("1000000", "5050-1055"), `"recipient":"region-25"`, `"recipient":"rss-25"`, 1)
	rssID := must(201, "rss requisition")(c.do("recipient_officer@rss-25.matrix", "POST", "/api/v1/requisitions", rssReq))["id"].(string)
	must(200, "rss sign")(c.do("signatory@rss-25.matrix", "POST", "/api/v1/requisitions/"+rssID+"/sign", ""))
	must(200, "rss approve")(c.do("pay@kammarkollegiet.se", "POST", "/api/v1/requisitions/"+rssID+"/approve", ""))
	c.readyToPay()
	b1 := must(201, "batch 1")(c.do("pay@kammarkollegiet.se", "POST", "/api/v1/payment-batches", `{"agreement":"gnv-2023"}`))["id"].(string)
	c.attest(b1)
	must(200, "confirm 1")(c.do("pay@kammarkollegiet.se", "POST", "/api/v1/payment-batches/"+b1+"/confirm", `{"paid_on":"2023-11-15"}`))
	other := strings.Replace(body("1000000", "5050-1055"), `"recipient":"region-25"`, `"recipient":"region-24"`, 1)
	r2 := must(201, "requisition 2")(c.do("officer@vll.se", "POST", "/api/v1/requisitions", other))["id"].(string)
	must(200, "sign 2")(c.do("signatory@region-24.matrix", "POST", "/api/v1/requisitions/"+r2+"/sign", ""))
	must(200, "approve 2")(c.do("pay@kammarkollegiet.se", "POST", "/api/v1/requisitions/"+r2+"/approve", ""))
	b2 := must(201, "batch 2")(c.do("pay@kammarkollegiet.se", "POST", "/api/v1/payment-batches", `{"agreement":"gnv-2023","requisitions":["`+r2+`"]}`))["id"].(string)
	// Region Norrbotten's financial report, reviewed and signed: 30 % of
	// the money unused, so it owes a debt with a letter.
	clk.Set(time.Date(2024, 3, 15, 9, 0, 0, 0, clock.Stockholm))
	al, _ := a.Allocation("gnv-2023", "region-25")
	var lines []string
	spent := false
	for _, comp := range al.Components {
		cost := 0
		if !spent && !comp.Earmarked {
			cost, spent = 700000, true
		}
		lines = append(lines, fmt.Sprintf(`{"item":"Personal","component":"%s","amount_kr":%d}`, comp.ID, cost))
	}
	report := fmt.Sprintf(`{"agreement":"gnv-2023","recipient":"region-25","period_from":"2023-01-01","period_to":"2023-12-31","costs":[%s],
		"contact":{"name":"Anna","email":"anna@x.se","phone":"010-1"},"agreement_dnr":"S2023/1","payment_decision_dnr":"S2023/2"}`, strings.Join(lines, ","))
	rep := must(201, "report")(c.do("officer@nll.se", "POST", "/api/v1/financial-reports", report))["id"].(string)
	must(201, "report attachment")(c.do("officer@nll.se", "POST", "/api/v1/financial-reports/"+rep+"/attachments", "konto;belopp\n4010;1\n", "X-Filename", "konton.csv"))
	must(200, "review")(c.do("cfo@region-25.matrix", "POST", "/api/v1/financial-reports/"+rep+"/review", `{"alternative":1}`))
	must(200, "sign report")(c.do("sign@nll.se", "POST", "/api/v1/financial-reports/"+rep+"/sign", ""))
	dues, _ := must(200, "status")(c.do("officer@nll.se", "GET", "/api/v1/recipients/region-25/status", ""))["due"].([]any)
	if len(dues) != 1 {
		t.Fatalf("region-25 owes %v", dues)
	}
	letter := dues[0].(map[string]any)["letter"].(string)
	// A bank notification whose every line is left unmatched.
	raw, err := os.ReadFile("../bank/testdata/notification.xml")
	if err != nil {
		t.Fatal(err)
	}
	camt := strings.NewReplacer("OCR_A", "1234", "OCR_B", "1234", "BATCH", "X", "REQ_1", "X", "REQ_2", "X",
		"AMOUNT_BATCH", "200.00", "AMOUNT_1", "100.00", "AMOUNT_2", "100.00").Replace(string(raw))
	bank := must(201, "bank notification")(c.do("pay@kammarkollegiet.se", "POST", "/api/v1/bank-notifications", camt))["id"].(string)

	// Norrbotten's RSS's onward decision, drafted: equal shares of each
	// component.
	rssAl, _ := a.Allocation("gnv-2023", "rss-25")
	var specs []string
	for _, comp := range rssAl.Components {
		specs = append(specs, fmt.Sprintf(`%q:{"key":"equal"}`, comp.ID))
	}
	onwardBody := `{"agreement":"gnv-2023","rss":"rss-25","components":{` + strings.Join(specs, ",") + `}}`
	onward := must(201, "onward decision")(c.do("recipient_officer@rss-25.matrix", "POST", "/api/v1/onward-decisions", onwardBody))["id"].(string)
	// Another, decided, with a payment recorded to Jokkmokk.
	decided := must(201, "onward decision 2")(c.do("recipient_officer@rss-25.matrix", "POST", "/api/v1/onward-decisions", onwardBody))["id"].(string)
	must(200, "decide")(c.do("signatory@rss-25.matrix", "POST", "/api/v1/onward-decisions/"+decided+"/decide", `{"decision_date":"2024-03-15","reference":"RSS 1"}`))
	onwardPaid := must(201, "onward payment")(c.do("recipient_officer@rss-25.matrix", "POST", "/api/v1/onward-payments",
		`{"decision":"`+decided+`","paid_on":"2024-03-15","lines":[{"kommun":"2510","amount_kr":1000}]}`))["id"].(string)

	// Jokkmokk's report to Norrbotten's RSS, signed.
	jokkmokk := auth.Actor{Email: "o@jokkmokk.se", Name: "Jokkmokk", Org: "kommun-2510", Role: auth.RecipientOfficer}
	mrCosts := []grant.CostLine{{Component: rssAl.Components[0].ID, Amount: 1000}}
	mr, err := a.CreateMunicipalReport(ctx, jokkmokk, "gnv-2023", "kommun-2510", mrCosts)
	if err != nil {
		t.Fatal(err)
	}
	jokkmokk.Role = auth.Signatory
	if _, err := a.SignMunicipalReport(ctx, jokkmokk, mr.ID); err != nil {
		t.Fatal(err)
	}
	mrBody := fmt.Sprintf(`{"agreement":"gnv-2023","kommun":"kommun-2510","costs":[{"component":%q,"amount_kr":5}]}`, rssAl.Components[0].ID)
	// Socialdepartementet asks Region Norrbotten for underlag; the officer
	// has attached one file.
	const docBody = `{"agreement":"gnv-2023","recipient":"region-25","text":"Huvudboken 2023","due_date":"2024-04-30"}`
	docReq := "/api/v1/document-requests/" + must(201, "document request")(c.do("follow_up@socialdepartementet.matrix", "POST", "/api/v1/document-requests", docBody))["id"].(string)
	must(201, "attachment")(c.do("recipient_officer@region-25.matrix", "POST", docReq+"/attachments", "%PDF-1.4\n", "X-Filename", "a.pdf"))
	// Region Norrbotten's plan, drafted: one measure not yet given an
	// amount.
	planBody := `{"agreement":"gnv-2023","recipient":"region-25","measures":[{"component":"nara_vard","measure":"Insats","cost_object":"9916"}]}`
	planID := must(201, "plan")(c.do("recipient_officer@region-25.matrix", "POST", "/api/v1/plans", planBody))["id"].(string)
	const books = "datum,konto,kostnadsobjekt,belopp\n2023-01-31,4010,9916,100\n"

	victimUser, err := a.AddUser(ctx, "victim@vll.se", "Offer", "region-24", auth.RecipientOfficer, "ett långt lösenord")
	if err != nil {
		t.Fatal(err)
	}
	victim := "/api/v1/users/" + strconv.FormatInt(victimUser.ID, 10)
	const reason = `{"reason":"Fel"}`
	routes := []apiRoute{
		{"GET /api/v1/me", "GET", "/api/v1/me", "", []string{"SignedIn"}, false},
		{"GET /api/v1/agreements", "GET", "/api/v1/agreements", "", []string{"SignedIn"}, false},
		{"GET /api/v1/organisations", "GET", "/api/v1/organisations", "", []string{"SignedIn"}, false},
		{"PUT /api/v1/organisations/{id}", "PUT", "/api/v1/organisations/region-25", `{"name":"Region Norrbotten"}`, []string{"CanManageOrganisations"}, false},
		{"POST /api/v1/requisitions", "POST", "/api/v1/requisitions", body("1000", "5050-1055"), []string{"CanDraft"}, false},
		{"GET /api/v1/requisitions", "GET", "/api/v1/requisitions?recipient=region-25", "", []string{"ListScope"}, false},
		{"GET /api/v1/requisitions/{id}", "GET", "/api/v1/requisitions/" + r1, "", []string{"CanRead"}, false},
		{"PUT /api/v1/requisitions/{id}", "PUT", "/api/v1/requisitions/" + r1, body("1000", "5050-1055"), []string{"CanRead", "CanDraft"}, false},
		{"GET /api/v1/requisitions/{id}/pdf", "GET", "/api/v1/requisitions/" + r1 + "/pdf", "", []string{"CanRead"}, false},
		{"POST /api/v1/requisitions/{id}/sign", "POST", "/api/v1/requisitions/" + r1 + "/sign", "", []string{"CanRead", "CanSign"}, false},
		{"POST /api/v1/requisitions/{id}/approve", "POST", "/api/v1/requisitions/" + r1 + "/approve", "", []string{"CanRead", "CanDecide", "CanDecideFor"}, false},
		{"POST /api/v1/requisitions/{id}/reject", "POST", "/api/v1/requisitions/" + r1 + "/reject", reason, []string{"CanRead", "CanDecide", "CanDecideFor"}, false},
		{"POST /api/v1/requisitions/{id}/withdraw", "POST", "/api/v1/requisitions/" + r1 + "/withdraw", "", []string{"CanRead", "CanDraft"}, false},
		{"POST /api/v1/payment-batches", "POST", "/api/v1/payment-batches", `{"agreement":"gnv-2023"}`, []string{"CanPay"}, true},
		{"GET /api/v1/payment-batches", "GET", "/api/v1/payment-batches", "", []string{"CanReadAll"}, false},
		{"GET /api/v1/payment-batches/{id}", "GET", "/api/v1/payment-batches/" + b2, "", []string{"CanReadAll"}, false},
		{"GET /api/v1/payment-batches/{id}/pain.001", "GET", "/api/v1/payment-batches/" + b2 + "/pain.001", "", []string{"CanReadAll", "CanReadPaymentFile"}, false},
		{"POST /api/v1/payment-batches/{id}/attest", "POST", "/api/v1/payment-batches/" + b2 + "/attest", "", []string{"CanAttest"}, false},
		{"POST /api/v1/payment-batches/{id}/confirm", "POST", "/api/v1/payment-batches/" + b2 + "/confirm", `{"paid_on":"2024-03-15"}`, []string{"CanDecide", "CanPay"}, false},
		{"GET /api/v1/recipients/{id}/status", "GET", "/api/v1/recipients/region-25/status", "", []string{"CanRead"}, false},
		{"GET /api/v1/status", "GET", "/api/v1/status", "", []string{"CanReadAll"}, false},
		{"GET /api/v1/status.xlsx", "GET", "/api/v1/status.xlsx", "", []string{"CanReadAll"}, false},
		{"POST /api/v1/financial-reports", "POST", "/api/v1/financial-reports", report, []string{"CanWriteReport"}, false},
		{"GET /api/v1/financial-reports", "GET", "/api/v1/financial-reports?recipient=region-25", "", []string{"ListScope"}, false},
		{"GET /api/v1/financial-reports/{id}", "GET", "/api/v1/financial-reports/" + rep, "", []string{"CanRead"}, false},
		{"PUT /api/v1/financial-reports/{id}", "PUT", "/api/v1/financial-reports/" + rep, report, []string{"CanRead", "CanWriteReport"}, false},
		{"GET /api/v1/financial-reports/{id}/pdf", "GET", "/api/v1/financial-reports/" + rep + "/pdf", "", []string{"CanRead"}, false},
		{"POST /api/v1/financial-reports/{id}/review", "POST", "/api/v1/financial-reports/" + rep + "/review", `{"alternative":1}`, []string{"CanRead", "CanReview"}, false},
		{"POST /api/v1/financial-reports/{id}/sign", "POST", "/api/v1/financial-reports/" + rep + "/sign", "", []string{"CanRead", "CanSign"}, false},
		{"POST /api/v1/financial-reports/{id}/accept", "POST", "/api/v1/financial-reports/" + rep + "/accept", "", []string{"CanRead", "CanDecide", "CanDecideFor"}, false},
		{"POST /api/v1/financial-reports/{id}/return", "POST", "/api/v1/financial-reports/" + rep + "/return", reason, []string{"CanRead", "CanDecide", "CanDecideFor"}, false},
		{"POST /api/v1/repayments", "POST", "/api/v1/repayments", `{"agreement":"gnv-2023","recipient":"region-25","amount_kr":1,"received_on":"2024-03-14","reference":"x"}`, []string{"CanDecide", "CanDecideFor"}, false},
		{"GET /api/v1/repayments", "GET", "/api/v1/repayments?recipient=region-25", "", []string{"ListScope"}, false},
		{"POST /api/v1/reclaims", "POST", "/api/v1/reclaims", `{"agreement":"gnv-2023","recipient":"region-25","amount_kr":1,"reason":"x"}`, []string{"CanDecide", "CanDecideFor"}, false},
		{"POST /api/v1/bank-notifications", "POST", "/api/v1/bank-notifications", camt, []string{"CanDecide"}, false},
		{"GET /api/v1/bank-notifications", "GET", "/api/v1/bank-notifications", "", []string{"CanReadAll"}, false},
		{"GET /api/v1/bank-notifications/{id}", "GET", "/api/v1/bank-notifications/" + bank, "", []string{"CanReadAll"}, false},
		{"GET /api/v1/debts/{id}/pdf", "GET", letter, "", []string{"CanRead"}, false},
		{"GET /api/v1/users", "GET", "/api/v1/users", "", []string{"CanListUsers"}, false},
		{"POST /api/v1/users", "POST", "/api/v1/users", `{"email":"ny@vll.se","name":"Ny","organisation":"region-24","role":"cfo"}`, []string{"CanManageUsers"}, false},
		{"GET /api/v1/users/{id}", "GET", victim, "", []string{"CanManageAccount"}, false},
		{"POST /api/v1/users/{id}/disable", "POST", victim + "/disable", "", []string{"CanManageUsers"}, false},
		{"POST /api/v1/users/{id}/enable", "POST", victim + "/enable", "", []string{"CanManageUsers"}, false},
		{"POST /api/v1/users/{id}/reset-password", "POST", victim + "/reset-password", "", []string{"CanManageUsers"}, false},
		{"DELETE /api/v1/users/{id}/sessions/{hash}", "DELETE", victim + "/sessions/finns-inte", "", []string{"CanManageAccount"}, false},
		{"DELETE /api/v1/users/{id}/tokens/{hash}", "DELETE", victim + "/tokens/finns-inte", "", []string{"CanManageAccount"}, false},
		{"POST /api/v1/onward-decisions", "POST", "/api/v1/onward-decisions", onwardBody, []string{"CanDraftOnward"}, false},
		{"GET /api/v1/onward-decisions", "GET", "/api/v1/onward-decisions?agreement=gnv-2023&rss=rss-25", "", []string{"CanReadOnward"}, false},
		{"GET /api/v1/onward-decisions/{id}", "GET", "/api/v1/onward-decisions/" + onward, "", []string{"CanReadOnward"}, false},
		{"POST /api/v1/onward-decisions/{id}/decide", "POST", "/api/v1/onward-decisions/" + onward + "/decide", `{"decision_date":"2023-11-15","reference":"x"}`, []string{"CanReadOnward", "CanDecideOnward"}, false},
		{"POST /api/v1/onward-payments", "POST", "/api/v1/onward-payments", `{"decision":"` + onward + `","paid_on":"2023-11-15"}`, []string{"CanReadOnward", "CanPayOnward"}, false},
		{"GET /api/v1/onward-payments/{id}/pain.001", "GET", "/api/v1/onward-payments/" + onwardPaid + "/pain.001", "", []string{"CanReadOnward", "CanPayOnward"}, false},
		{"GET /api/v1/recipients/{id}/onward", "GET", "/api/v1/recipients/region-25/onward?agreement=gnv-2023", "", []string{"CanRead"}, false},
		{"POST /api/v1/vfu-reports", "POST", "/api/v1/vfu-reports", `{"agreement":"gnv-2023","recipient":"region-25","weeks_vt2022":1,"places_vt2022":1,"weeks_vt2023":2,"places_vt2023":1}`, []string{"CanReportVFU"}, false},
		{"GET /api/v1/vfu-reports", "GET", "/api/v1/vfu-reports?agreement=gnv-2023", "", []string{"SignedIn"}, false},
		{"GET /api/v1/vfu-reports/{id}", "GET", "/api/v1/vfu-reports/" + vfu.ID, "", []string{"CanReadVFU"}, false},
		{"PUT /api/v1/vfu-reports/{id}", "PUT", "/api/v1/vfu-reports/" + vfu.ID, `{"weeks_vt2022":1,"places_vt2022":1,"weeks_vt2023":2,"places_vt2023":1}`, []string{"CanReadVFU", "CanReportVFU"}, false},
		{"POST /api/v1/vfu-reports/{id}/sign", "POST", "/api/v1/vfu-reports/" + vfu.ID + "/sign", "", []string{"CanReadVFU", "CanSignVFU"}, false},
		{"POST /api/v1/vfu-reports/{id}/return", "POST", "/api/v1/vfu-reports/" + vfu.ID + "/return", reason, []string{"CanReadVFU", "CanReviewVFU"}, false},
		{"GET /api/v1/vfu-rounds/{agreement}", "GET", "/api/v1/vfu-rounds/gnv-2023", "", []string{"SignedIn"}, false},
		{"POST /api/v1/vfu-rounds/{agreement}/close", "POST", "/api/v1/vfu-rounds/gnv-2023/close", "", []string{"CanReviewVFU"}, false},
		{"POST /api/v1/vfu-rounds/{agreement}/payment-batch", "POST", "/api/v1/vfu-rounds/gnv-2023/payment-batch", "", []string{"CanPay"}, false},
		{"POST /api/v1/municipal-reports", "POST", "/api/v1/municipal-reports", mrBody, []string{"CanWriteReport"}, false},
		{"GET /api/v1/municipal-reports", "GET", "/api/v1/municipal-reports?agreement=gnv-2023&rss=rss-25", "", []string{"CanReadOnward"}, false},
		{"GET /api/v1/municipal-reports/{id}", "GET", "/api/v1/municipal-reports/" + mr.ID, "", []string{"CanReadMunicipalReport"}, false},
		{"PUT /api/v1/municipal-reports/{id}", "PUT", "/api/v1/municipal-reports/" + mr.ID, mrBody, []string{"CanReadMunicipalReport", "CanWriteReport"}, false},
		{"POST /api/v1/municipal-reports/{id}/sign", "POST", "/api/v1/municipal-reports/" + mr.ID + "/sign", "", []string{"CanReadMunicipalReport", "CanSign"}, false},
		{"POST /api/v1/municipal-reports/{id}/return", "POST", "/api/v1/municipal-reports/" + mr.ID + "/return", reason, []string{"CanReadMunicipalReport", "CanReviewMunicipalReport"}, false},
		{"POST /api/v1/municipal-reports/{id}/accept", "POST", "/api/v1/municipal-reports/" + mr.ID + "/accept", "", []string{"CanReadMunicipalReport", "CanReviewMunicipalReport"}, false},
		{"POST /api/v1/document-requests", "POST", "/api/v1/document-requests", docBody, []string{"CanRequestDocuments"}, false},
		{"GET /api/v1/document-requests", "GET", "/api/v1/document-requests?recipient=region-25", "", []string{"CanReadDocumentRequest"}, false},
		{"GET /api/v1/document-requests/{id}", "GET", docReq, "", []string{"CanReadDocumentRequest"}, false},
		{"POST /api/v1/document-requests/{id}/attachments", "POST", docReq + "/attachments", "%PDF-1.4\n", []string{"CanReadDocumentRequest", "CanAnswerDocumentRequest"}, false},
		{"GET /api/v1/document-requests/{id}/attachments/{n}", "GET", docReq + "/attachments/1", "", []string{"CanReadDocumentRequest"}, false},
		{"POST /api/v1/document-requests/{id}/answer", "POST", docReq + "/answer", `{"text":"Se bilagan."}`, []string{"CanReadDocumentRequest", "CanAnswerDocumentRequest"}, false},
		{"POST /api/v1/document-requests/{id}/close", "POST", docReq + "/close", "", []string{"CanReadDocumentRequest", "CanCloseDocumentRequest"}, false},
		{"POST /api/v1/financial-reports/{id}/attachments", "POST", "/api/v1/financial-reports/" + rep + "/attachments", "a;b\n", []string{"CanRead", "CanWriteReport"}, false},
		{"GET /api/v1/financial-reports/{id}/attachments", "GET", "/api/v1/financial-reports/" + rep + "/attachments", "", []string{"CanRead"}, false},
		{"GET /api/v1/financial-reports/{id}/attachments/{n}", "GET", "/api/v1/financial-reports/" + rep + "/attachments/1", "", []string{"CanRead"}, false},
		{"POST /api/v1/plans", "POST", "/api/v1/plans", planBody, []string{"CanDraftPlan"}, false},
		{"GET /api/v1/plans", "GET", "/api/v1/plans?agreement=gnv-2023&recipient=region-25", "", []string{"CanRead"}, false},
		{"GET /api/v1/plans/{id}", "GET", "/api/v1/plans/" + planID, "", []string{"CanRead"}, false},
		{"PUT /api/v1/plans/{id}", "PUT", "/api/v1/plans/" + planID, planBody, []string{"CanRead", "CanDraftPlan"}, false},
		{"POST /api/v1/plans/{id}/outcome", "POST", "/api/v1/plans/" + planID + "/outcome?filename=bok.csv", books, []string{"CanRead", "CanImportOutcome"}, false},
		{"GET /api/v1/plans/{id}/decision-basis.pdf", "GET", "/api/v1/plans/" + planID + "/decision-basis.pdf", "", []string{"CanRead"}, false},
		{"PUT /api/v1/plans/{id}/forecasts", "PUT", "/api/v1/plans/" + planID + "/forecasts", `{"cost_object":"9916","forecast_kr":100}`, []string{"CanRead", "CanDraftPlan"}, false},
		{"GET /api/v1/plans/{id}/budget", "GET", "/api/v1/plans/" + planID + "/budget", "", []string{"CanRead"}, false},
		{"POST /api/v1/plans/{id}/decide", "POST", "/api/v1/plans/" + planID + "/decide", `{"body":"Regionstyrelsen","date":"2023-03-28","paragraph":"§ 40"}`, []string{"CanRead", "CanDecidePlan"}, false},
		{"GET /api/v1/question-templates", "GET", "/api/v1/question-templates", "", []string{"SignedIn"}, false},
		{"GET /api/v1/question-templates/{id}", "GET", "/api/v1/question-templates/gnv-2023-verksamhetsrapport", "", []string{"SignedIn"}, false},
		{"POST /api/v1/question-templates", "POST", "/api/v1/question-templates", newTemplate, []string{"CanPublishTemplate"}, false},
		{"POST /api/v1/activity-reports", "POST", "/api/v1/activity-reports", `{"template":"gnv-2023-verksamhetsrapport","recipient":"region-25","answers":{}}`, []string{"CanWriteActivityReport"}, false},
		{"GET /api/v1/activity-reports", "GET", "/api/v1/activity-reports?template=gnv-2023-verksamhetsrapport", "", []string{"SignedIn"}, false},
		{"GET /api/v1/activity-reports.csv", "GET", "/api/v1/activity-reports.csv?template=gnv-2023-verksamhetsrapport", "", []string{"CanReadAll"}, false},
		{"GET /api/v1/activity-reports.xlsx", "GET", "/api/v1/activity-reports.xlsx?template=gnv-2023-verksamhetsrapport", "", []string{"CanReadAll"}, false},
		{"GET /api/v1/activity-reports/{id}/pdf", "GET", "/api/v1/activity-reports/" + activity.ID + "/pdf", "", []string{"CanRead"}, false},
		{"GET /api/v1/activity-reports/{id}", "GET", "/api/v1/activity-reports/" + activity.ID, "", []string{"CanRead"}, false},
		{"PUT /api/v1/activity-reports/{id}", "PUT", "/api/v1/activity-reports/" + activity.ID, `{"answers":{"q1":"Insatser"}}`, []string{"CanRead", "CanWriteActivityReport"}, false},
		{"POST /api/v1/activity-reports/{id}/attachments", "POST", "/api/v1/activity-reports/" + activity.ID + "/attachments", "a;b\n", []string{"CanRead", "CanWriteActivityReport"}, false},
		{"GET /api/v1/activity-reports/{id}/attachments", "GET", "/api/v1/activity-reports/" + activity.ID + "/attachments", "", []string{"CanRead"}, false},
		{"GET /api/v1/activity-reports/{id}/attachments/{n}", "GET", "/api/v1/activity-reports/" + activity.ID + "/attachments/1", "", []string{"CanRead"}, false},
		{"POST /api/v1/activity-reports/{id}/sign", "POST", "/api/v1/activity-reports/" + activity.ID + "/sign", "", []string{"CanRead", "CanSign"}, false},
		{"POST /api/v1/activity-reports/{id}/return", "POST", "/api/v1/activity-reports/" + activity.ID + "/return", reason, []string{"CanRead", "CanReceiveActivityReport"}, false},
		{"POST /api/v1/activity-reports/{id}/accept", "POST", "/api/v1/activity-reports/" + activity.ID + "/accept", "", []string{"CanRead", "CanReceiveActivityReport"}, false},
		{"POST /api/v1/surveys", "POST", "/api/v1/surveys", `{"template":"enkat-kommuner-2019","recipients":"regioner","opens":"2023-01-01","closes":"2030-12-31"}`, []string{"CanRunSurvey"}, false},
		{"GET /api/v1/surveys", "GET", "/api/v1/surveys", "", []string{"SignedIn"}, false},
		{"GET /api/v1/surveys/{id}", "GET", svp, "", []string{"SignedIn"}, false},
		{"PUT /api/v1/surveys/{id}/responses/{recipient}", "PUT", svp + "/responses/region-25", `{"answers":{"q2":"ja"}}`, []string{"CanAnswerSurvey"}, false},
		{"GET /api/v1/surveys/{id}/responses/{recipient}", "GET", svp + "/responses/region-25", "", []string{"CanRead"}, false},
		{"POST /api/v1/surveys/{id}/responses/import", "POST", svp + "/responses/import", "recipient,q2\nregion-25,nej\n", []string{"CanRunSurvey"}, false},
		{"GET /api/v1/surveys/{id}/responses.csv", "GET", svp + "/responses.csv", "", []string{"CanReadAll"}, false},
		{"GET /api/v1/surveys/{id}/responses.xlsx", "GET", svp + "/responses.xlsx", "", []string{"CanReadAll"}, false},
		{"GET /api/v1/surveys/{id}/results", "GET", svp + "/results", "", []string{"CanReadAll"}, false},
		{"GET /api/v1/surveys/{id}/results.csv", "GET", svp + "/results.csv", "", []string{"CanReadAll"}, false},
		{"GET /api/v1/surveys/{id}/results.xlsx", "GET", svp + "/results.xlsx", "", []string{"CanReadAll"}, false},
		{"GET /api/v1/surveys/{id}/missing", "GET", svp + "/missing", "", []string{"CanRunSurvey"}, false},
		{"POST /api/v1/surveys/{id}/reminders", "POST", svp + "/reminders", `{}`, []string{"CanRunSurvey"}, false},
		{"POST /api/v1/me/password", "POST", "/api/v1/me/password", `{"current":"fel lösenord","password":"ett nytt långt lösenord"}`, []string{"SignedIn"}, false},
	}
	listed := map[string]bool{}
	for _, r := range routes {
		listed[r.pattern] = true
	}
	for _, p := range granttest.RoutePatterns(t, ".", "") {
		if !listed[p] {
			t.Errorf("route %s is not in the table of this test: add it with the rules its use case calls", p)
		}
	}
	for _, r := range routes {
		about := aboutOrg(r)
		// Those who must be refused go first, so that an allowed request
		// cannot change the state they meet.
		sorted := slices.Clone(users)
		slices.SortStableFunc(sorted, func(x, y matrixUser) int {
			ax, ay := granttest.Allowed(x.role, r.self || x.org == about, r.rules...), granttest.Allowed(y.role, r.self || y.org == about, r.rules...)
			switch {
			case ax == ay:
				return 0
			case !ax:
				return -1
			}
			return 1
		})
		for _, u := range sorted {
			own := r.self || u.org == about
			want := granttest.Allowed(u.role, own, r.rules...)
			st, out := c.do(u.email, r.method, r.path, r.body)
			refused := st == 403 || st == 404
			if refused == want || st == 401 || st >= 500 {
				t.Errorf("%s as %s of %s (own %v): %d %v, want allowed = %v by %v", r.pattern, u.role, u.org, own, st, code(out), want, r.rules)
			}
			if refused && code(out) != "forbidden" && code(out) != "not_found" {
				t.Errorf("%s as %s of %s: %d with code %q", r.pattern, u.role, u.org, st, code(out))
			}
		}
	}
}

// newTemplate is a template version that Socialstyrelsen may publish.
const newTemplate = `{"id": "gnv-2023-matris", "title": "Matris", "agreement": "gnv-2023", "recipients": ["region"],
 "receiver": "socialstyrelsen", "deadline": "activity_report",
 "sections": [{"id": "s1", "title": "Ett", "questions": [{"id": "q1", "text": "Fråga", "type": "text"}]}]}`

// aboutOrg is the organisation a route's rules are about: the paying
// agency for a rule about paying (Socialstyrelsen for VFU), Jokkmokk for
// the writing and signing of its report to its RSS, Norrbotten's RSS for
// its onward decisions and its municipalities' reports, else Region
// Norrbotten, whose documents the routes use.
func aboutOrg(r apiRoute) string {
	if strings.Contains(r.pattern, "/municipal-reports") && (slices.Contains(r.rules, "CanWriteReport") || slices.Contains(r.rules, "CanSign")) {
		return "kommun-2510" // Jokkmokk's own report: no user of the matrix is Jokkmokk's
	}
	for _, name := range r.rules {
		if granttest.Rules[name].Of == granttest.OfAgency && strings.Contains(r.pattern, "/vfu-") {
			return org.Socialstyrelsen // the agency that pays VFU
		}
		if granttest.Rules[name].Of == granttest.OfAgency && (strings.Contains(r.pattern, "/activity-reports") || strings.Contains(r.pattern, "/question-templates") || strings.Contains(r.pattern, "/surveys")) {
			return org.Socialstyrelsen // the receiver of a region's report, the publisher of gnv-2023's templates
		}
		if granttest.Rules[name].Of == granttest.OfAgency {
			return org.Kammarkollegiet
		}
		if granttest.Rules[name].Of == granttest.OfRSS {
			return "rss-25"
		}
		if granttest.Rules[name].Of == granttest.OfRequester {
			return org.Socialdepartementet // the test's requests are the ministry's
		}
	}
	return "region-25"
}
