package web

import (
	"net/http"

	"narvard/internal/app"
	"narvard/internal/grant"
	"narvard/internal/listing"
)

// The work list's "status" is its section: what the payer is to do with
// the row.
const (
	sectionDecide = "att-besluta"
	sectionPay    = "att-betala"
	sectionReview = "att-granska"
	sectionOwing  = "skyldiga"
	sectionFlag   = "aterkrav"
)

var worklistSections = []listing.Option{
	{Value: sectionDecide, Label: "Rekvisitioner att besluta"},
	{Value: sectionPay, Label: "Godkända att betala"},
	{Value: sectionReview, Label: "Redovisningar att granska"},
	{Value: sectionOwing, Label: "Skyldiga"},
	{Value: sectionFlag, Label: "Flaggade för återkrav"},
}

var sectionNames = func() map[string]string {
	m := map[string]string{}
	for _, o := range worklistSections {
		m[o.Value] = o.Label
	}
	return m
}()

// filterWorklist narrows the work list's sections to the one asked for
// and to the recipients whose id or name (or the document's id) holds the
// text. Batches and bank files are about many recipients and stay.
func filterWorklist(f listing.Filter, v *worklistView) (shown, total int) {
	total = len(v.Submitted) + len(v.Approved) + len(v.Reports) + len(v.Owing) + len(v.Flagged)
	req := func(section string) func(grant.Requisition) (string, []string) {
		return func(r grant.Requisition) (string, []string) {
			return section, []string{r.Recipient, v.Names[r.Recipient], r.ID}
		}
	}
	st := func(section string) func(app.Status) (string, []string) {
		return func(s app.Status) (string, []string) { return section, []string{s.Recipient, s.Name} }
	}
	v.Submitted = listing.Keep(f, v.Submitted, req(sectionDecide))
	v.Approved = listing.Keep(f, v.Approved, req(sectionPay))
	v.Reports = listing.Keep(f, v.Reports, func(r app.ReportView) (string, []string) {
		return sectionReview, []string{r.Recipient, v.Names[r.Recipient], r.ID}
	})
	v.Owing = listing.Keep(f, v.Owing, st(sectionOwing))
	v.Flagged = listing.Keep(f, v.Flagged, st(sectionFlag))
	return len(v.Submitted) + len(v.Approved) + len(v.Reports) + len(v.Owing) + len(v.Flagged), total
}

// worklistExport is the work list as a workbook, one row per thing to do,
// filtered as the page is.
func (s *server) worklistExport(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.worklistData(w, r, sess, worklistView{})
	if !ok {
		return
	}
	t := listing.Table{Sheet: "Arbetslista", Title: v.Agency.Name + "s arbetslista, " + v.AgreementName,
		Headers: []string{"Avsnitt", "Dokument", "Mottagare-id", "Mottagare", "Status", "Belopp", "Skyldigt", "Datum"}}
	for _, q := range v.Submitted {
		t.Add(sectionNames[sectionDecide], q.ID, q.Recipient, v.Names[q.Recipient], q.Status.Swedish(), q.Amount, nil, dateText(q.SignedAt))
	}
	for _, q := range v.Approved {
		t.Add(sectionNames[sectionPay], q.ID, q.Recipient, v.Names[q.Recipient], q.Status.Swedish(), q.Amount, nil, dateText(q.DecidedAt))
	}
	for _, p := range v.Reports {
		t.Add(sectionNames[sectionReview], p.ID, p.Recipient, v.Names[p.Recipient], p.Status.Swedish(), p.Accounting.Costs, p.Accounting.Due, dateText(p.SignedAt))
	}
	for _, st := range v.Owing {
		t.Add(sectionNames[sectionOwing], nil, st.Recipient, st.Name, nil, st.Paid, st.Due, nil)
	}
	for _, st := range v.Flagged {
		t.Add(sectionNames[sectionFlag], nil, st.Recipient, st.Name, nil, st.Paid, st.Due, nil)
	}
	s.sendXLSX(w, r, "arbetslista-"+v.Agreement+".xlsx", t)
}

// Show reports whether the work list shows the section: every section
// unless the filter asks for one ("" are the batches and bank files,
// shown only then).
func (v worklistView) Show(section string) bool {
	return v.Filter.Status == "" || v.Filter.Status == section
}
