package grant

import (
	"errors"
	"testing"
	"time"

	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/org"
)

// TestDocumentRequestRules: who asks for underlag, closes, answers and
// reads, beyond the table's two organisations.
func TestDocumentRequestRules(t *testing.T) {
	req := DocRequest{ID: "U-1", Recipient: "region-25", RequesterOrg: org.Socialstyrelsen}
	tests := []struct {
		who                         string
		actor                       auth.Actor
		request, close, answer, see bool
	}{
		{"a payer of Kammarkollegiet", auth.Actor{Org: org.Kammarkollegiet, Role: auth.Payer}, true, false, false, true},
		{"a payer of Socialstyrelsen, who asked", auth.Actor{Org: org.Socialstyrelsen, Role: auth.Payer}, true, true, false, true},
		{"Socialstyrelsen's follow-up officer", auth.Actor{Org: org.Socialstyrelsen, Role: auth.FollowUp}, false, false, false, true},
		{"Socialdepartementet's follow-up officer", auth.Actor{Org: org.Socialdepartementet, Role: auth.FollowUp}, true, false, false, true},
		{"Socialdepartementet's analyst", auth.Actor{Org: org.Socialdepartementet, Role: auth.Analyst}, false, false, false, false},
		{"the recipient's officer", auth.Actor{Org: "region-25", Role: auth.RecipientOfficer}, false, false, true, true},
		{"the recipient's CFO", auth.Actor{Org: "region-25", Role: auth.CFO}, false, false, false, true},
		{"another region's officer", auth.Actor{Org: "region-24", Role: auth.RecipientOfficer}, false, false, false, false},
		{"a payer without an organisation", auth.Actor{Role: auth.Payer}, false, false, false, true},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			rule string
			err  error
			want bool
		}{
			{"request", CanRequestDocuments(tt.actor), tt.request},
			{"close", CanCloseDocumentRequest(tt.actor, req), tt.close},
			{"answer", CanAnswerDocumentRequest(tt.actor, req.Recipient), tt.answer},
			{"read", CanReadDocumentRequest(tt.actor, req.Recipient), tt.see},
		} {
			if (c.err == nil) != c.want {
				t.Errorf("%s may %s: %v, want %v", tt.who, c.rule, c.err, c.want)
			}
		}
	}
}

func TestDocRequestLife(t *testing.T) {
	day := func(d string, hm ...int) time.Time {
		x, _ := time.ParseInLocation(time.DateOnly, d, clock.Stockholm)
		if len(hm) == 2 {
			x = x.Add(time.Duration(hm[0])*time.Hour + time.Duration(hm[1])*time.Minute)
		}
		return x
	}
	text, due, err := CheckDocRequest("  Kopior av huvudboken 2023.  ", "2024-04-30", day("2024-04-02", 9, 0))
	if err != nil || text != "Kopior av huvudboken 2023." || !due.Equal(day("2024-04-30")) {
		t.Fatalf("CheckDocRequest = %q, %v, %v", text, due, err)
	}
	r := DocRequest{ID: "U-1", Stored: DocRequestOpen, DueDate: due}
	for _, c := range []struct {
		at   time.Time
		want DocRequestStatus
	}{
		{day("2024-04-30", 23, 59), DocRequestOpen},
		{day("2024-05-01", 0, 0), DocRequestOverdue},
	} {
		if got := r.Status(c.at); got != c.want {
			t.Errorf("status at %s = %s, want %s", c.at, got, c.want)
		}
	}
	if err := r.Answer("a@x.se", "Här", 0, day("2024-05-02")); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("answered without a file: %v", err)
	}
	if err := r.Answer("a@x.se", "Här", 1, day("2024-05-02")); err != nil || r.Status(day("2024-06-01")) != DocRequestAnswered {
		t.Fatalf("answer late: %v, %s", err, r.Status(day("2024-06-01")))
	}
	if err := r.AttachmentsOpen(day("2024-05-02")); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("attachment after the answer: %v", err)
	}
	if err := r.Answer("a@x.se", "Igen", 1, day("2024-05-02")); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("answered twice: %v", err)
	}
	if err := r.Close("k@x.se", day("2024-05-03")); err != nil || r.Stored != DocRequestClosed {
		t.Errorf("close: %v", err)
	}
	if err := r.Close("k@x.se", day("2024-05-03")); fault.CodeOf(err) != fault.Conflict {
		t.Errorf("closed twice: %v", err)
	}
	for _, c := range []struct{ text, due, field string }{
		{"", "2024-04-30", "text"},
		{"x", "30/4", "due_date"},
		{"x", "2024-04-01", "due_date"},
	} {
		_, _, err := CheckDocRequest(c.text, c.due, day("2024-04-02", 9, 0))
		var f *fault.Error
		if !errors.As(err, &f) || f.Fields[c.field] == "" {
			t.Errorf("CheckDocRequest(%q, %q) = %v, want a message for %s", c.text, c.due, err, c.field)
		}
	}
}
