package document

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/grant"
	"narvard/internal/questionnaire"
)

// TestActivityPDF: the PDF of a submitted report shows every answered
// question with its answer (options by their text, a table's cells), the
// conditions answered, the signature and the agreement's name; a hidden
// or unanswered question does not appear.
func TestActivityPDF(t *testing.T) {
	ag, err := agreement.Builtin().Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	lib, err := questionnaire.Builtin(agreement.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	tm, _ := lib.Get("gnv-2023-skr-delrapport")
	var answers questionnaire.Answers
	if err := json.Unmarshal([]byte(`{"d1": "SKR har stött regionerna i omställningen.", "d2": {"nara_vard": "enligt_plan", "ambulans": "forsenat"},
		"d3": "nej", "d4": "Fortsatt stöd till kontinuitet."}`), &answers); err != nil {
		t.Fatal(err)
	}
	rep := grant.ActivityReport{ID: "A-PDF", Template: tm.ID, Agreement: ag.ID, Recipient: "skr", Receiver: "socialdepartementet",
		Answers: answers, Status: grant.ActivitySubmitted, SignedBy: "Palle Lundberg", SignedAt: signed}
	var buf bytes.Buffer
	if err := ActivityPDF(&buf, ActivityDoc{Agreement: ag, Template: tm, Report: rep, RecipientName: "Sveriges Kommuner och Regioner",
		ReceiverName: "Socialdepartementet", Generated: time.Date(2023, 9, 29, 12, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pdfText(t, buf.Bytes()), " ")
	requireAll(t, text, tm.Title, ag.Name, "Sveriges Kommuner och Regioner", "Socialdepartementet",
		"Redogör för den verksamhet som SKR har bedrivit under första halvåret 2023 med stöd av bidraget.", "SKR har stött regionerna i omställningen.",
		"Omställningen till en nära vård (2.1.3): Enligt plan", "Ambulanssjukvården (5.1.2): Försenat",
		"Finns hinder eller utmaningar", "Nej", "Fortsatt stöd till kontinuitet.",
		"9.2 SKR:s rapportering", "2.1.3 Insatser som SKR ska genomföra", "Palle Lundberg", "Elektroniskt underskriven", "Regeringskansliets dnr")
	if strings.Contains(text, "Redogör för hindren") {
		t.Error("the hidden question d3a is printed")
	}
}
