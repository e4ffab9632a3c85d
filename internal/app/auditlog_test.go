package app

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/money"
	"narvard/internal/store/storetest"
)

// TestAuditLog: the auditor's search of the audit log by object, user and
// days (Stockholm's, both included), newest first, paged, with the names
// of who and which organisation, and the chain checked; only auditors and
// admins read it; bad dates are refused naming the field.
func TestAuditLog(t *testing.T) {
	ctx := context.Background()
	a, c := newTestApp(t, "2023-11-15T10:00:00+01:00")
	officer := addUser(t, a, "o@nll.se", "region-25", auth.RecipientOfficer)
	signatory := addUser(t, a, "s@nll.se", "region-25", auth.Signatory)
	other := addUser(t, a, "o@vll.se", "region-24", auth.RecipientOfficer)
	auditor := addUser(t, a, "g@kk.se", "kammarkollegiet", auth.Auditor)
	admin := addUser(t, a, "admin@kk.se", "kammarkollegiet", auth.Admin)
	payer := addUser(t, a, "p@kk.se", "kammarkollegiet", auth.Payer)
	r, err := a.CreateRequisition(ctx, officer, form("region-25", 1000))
	if err != nil {
		t.Fatal(err)
	}
	c.Set(time.Date(2023, 11, 16, 23, 30, 0, 0, clock.Stockholm)) // 22:30 UTC: still the 16th in Stockholm
	if _, err := a.SignRequisition(ctx, signatory, r.ID); err != nil {
		t.Fatal(err)
	}
	c.Set(time.Date(2023, 11, 17, 0, 30, 0, 0, clock.Stockholm)) // the 16th in UTC, the 17th in Stockholm
	r2, err := a.CreateRequisition(ctx, other, form("region-24", 2000))
	if err != nil {
		t.Fatal(err)
	}

	seqsOf := func(v AuditLogView) []string {
		var out []string
		for _, e := range v.Rows {
			out = append(out, e.Action+" "+e.Object)
		}
		return out
	}
	tests := []struct {
		name string
		q    AuditQuery
		want []string
	}{
		{"an object in full", AuditQuery{Object: "requisition:" + r.ID, Page: 1},
			[]string{"requisition.sign requisition:" + r.ID, "requisition.create requisition:" + r.ID}},
		{"part of an object, any case", AuditQuery{Object: r2.ID[2:], Page: 1}, []string{"requisition.create requisition:" + r2.ID}},
		{"a user", AuditQuery{User: "O@VLL", Page: 1}, []string{"requisition.create requisition:" + r2.ID}},
		{"a day in Stockholm", AuditQuery{Object: "requisition:", From: "2023-11-16", To: "2023-11-16", Page: 1}, []string{"requisition.sign requisition:" + r.ID}},
		{"from a day on", AuditQuery{Object: "requisition:", From: "2023-11-17", Page: 1}, []string{"requisition.create requisition:" + r2.ID}},
		{"up to a day", AuditQuery{Object: "requisition:", To: "2023-11-15", Page: 1}, []string{"requisition.create requisition:" + r.ID}},
		{"a LIKE wildcard is a character", AuditQuery{Object: "requisition%", Page: 1}, nil},
	}
	for _, tc := range tests {
		v, err := a.AuditLog(ctx, auditor, tc.q)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := seqsOf(v); !slices.Equal(got, tc.want) || v.Total != len(tc.want) {
			t.Errorf("%s: %d %q, want %q", tc.name, v.Total, got, tc.want)
		}
	}

	all, err := a.AuditLog(ctx, admin, AuditQuery{Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !all.Chain.Intact() || all.Chain.Entries != all.Total || all.Chain.Head != all.Rows[0].Hash || all.Chain.Rows == 0 {
		t.Errorf("chain: %+v, total %d", all.Chain, all.Total)
	}
	for i := 1; i < len(all.Rows); i++ {
		if all.Rows[i-1].Seq <= all.Rows[i].Seq || all.Rows[i-1].PrevHash != all.Rows[i].Hash {
			t.Errorf("not newest first at %d: %d after %d", i, all.Rows[i].Seq, all.Rows[i-1].Seq)
		}
	}
	if row := all.Rows[0]; row.Name != "Namn o@vll.se" || row.OrgName != "Region Västerbotten" {
		t.Errorf("names: %+v", row)
	}

	for _, tc := range []struct {
		name  string
		actor auth.Actor
		q     AuditQuery
		code  fault.Code
		field string
	}{
		{"a payer", payer, AuditQuery{Page: 1}, fault.Forbidden, ""},
		{"an officer", officer, AuditQuery{Page: 1}, fault.Forbidden, ""},
		{"a day that is not", auditor, AuditQuery{From: "2023-13-01", Page: 1}, fault.Invalid, "from"},
		{"a range backwards", auditor, AuditQuery{From: "2023-11-17", To: "2023-11-16", Page: 1}, fault.Invalid, "to"},
	} {
		_, err := a.AuditLog(ctx, tc.actor, tc.q)
		if fault.CodeOf(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
		if f, ok := err.(*fault.Error); tc.field != "" && (!ok || f.Fields[tc.field] == "") {
			t.Errorf("%s: no message for %s: %v", tc.name, tc.field, err)
		}
	}
}

// TestAuditLogPages: 50 entries a page, the last page holds the rest,
// and page 0 (the export) every entry without checking the chain.
func TestAuditLogPages(t *testing.T) {
	ctx := context.Background()
	a, _ := newTestApp(t, "2023-11-15T10:00:00+01:00")
	auditor := addUser(t, a, "g@kk.se", "kammarkollegiet", auth.Auditor)
	officer := addUser(t, a, "o@nll.se", "region-25", auth.RecipientOfficer)
	r, err := a.CreateRequisition(ctx, officer, form("region-25", 1000))
	if err != nil {
		t.Fatal(err)
	}
	for i := range AuditPerPage + 3 {
		f := form("region-25", 1000+money.Kr(i))
		if _, err := a.UpdateRequisition(ctx, officer, r.ID, f); err != nil {
			t.Fatal(err)
		}
	}
	q := AuditQuery{Object: r.ID}
	every, err := a.AuditLog(ctx, auditor, q)
	if err != nil || len(every.Rows) != AuditPerPage+4 || every.Chain.Entries != 0 {
		t.Fatalf("every entry: %d, %+v, %v", len(every.Rows), every.Chain, err)
	}
	for page, want := range map[int]int{1: AuditPerPage, 2: 4, 3: 0} {
		q.Page = page
		v, err := a.AuditLog(ctx, auditor, q)
		if err != nil || len(v.Rows) != want || v.Pages != 2 || v.Total != AuditPerPage+4 {
			t.Errorf("page %d: %d rows of %d pages, %v", page, len(v.Rows), v.Pages, err)
			continue
		}
		if want > 0 && v.Rows[0].Seq != every.Rows[(page-1)*AuditPerPage].Seq {
			t.Errorf("page %d begins at %d", page, v.Rows[0].Seq)
		}
	}
}

// TestAuditLogBreak: an entry changed outside the program shows as where
// the chain breaks (SQLite: the file is edited directly).
func TestAuditLogBreak(t *testing.T) {
	ctx := context.Background()
	s := storetest.SQLite(t)
	a, err := New(ctx, s, agreement.Builtin(), clock.NewFrozen(time.Date(2023, 11, 15, 10, 0, 0, 0, clock.Stockholm)), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	auditor := addUser(t, a, "g@kk.se", "kammarkollegiet", auth.Auditor)
	officer := addUser(t, a, "o@nll.se", "region-25", auth.RecipientOfficer)
	if _, err := a.CreateRequisition(ctx, officer, form("region-25", 1000)); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE audit_log SET actor = 'någon@annan.se' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	v, err := a.AuditLog(ctx, auditor, AuditQuery{Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	if v.Chain.Intact() || v.Chain.Break == nil || v.Chain.Break.Seq != 2 {
		t.Errorf("chain: %+v", v.Chain)
	}
}
