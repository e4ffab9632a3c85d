package store

import (
	"fmt"

	"narvard/internal/grant"
)

const docRequestColumns = `id, agreement, recipient, requester_org, requested_by, text, due_date, status, created_at,
	answer, answered_by, answered_at, closed_by, closed_at`

func docRequestArgs(r *grant.DocRequest) []any {
	return []any{r.ID, r.Agreement, r.Recipient, r.RequesterOrg, r.RequestedBy, r.Text, fmtDate(r.DueDate), string(r.Stored),
		fmtTime(r.CreatedAt), r.AnswerText, r.AnsweredBy, fmtTime(r.AnsweredAt), r.ClosedBy, fmtTime(r.ClosedAt)}
}

func scanDocRequest(s interface{ Scan(...any) error }) (grant.DocRequest, error) {
	var r grant.DocRequest
	var due, status, created, answered, closed string
	err := s.Scan(&r.ID, &r.Agreement, &r.Recipient, &r.RequesterOrg, &r.RequestedBy, &r.Text, &due, &status, &created,
		&r.AnswerText, &r.AnsweredBy, &answered, &r.ClosedBy, &closed)
	r.DueDate, r.Stored = parseDate(due), grant.DocRequestStatus(status)
	r.CreatedAt, r.AnsweredAt, r.ClosedAt = parseTime(created), parseTime(answered), parseTime(closed)
	return r, err
}

// InsertDocRequest saves a new request for underlag.
func (t *Tx) InsertDocRequest(r *grant.DocRequest) error {
	t.touch("docrequest", r.ID)
	_, err := t.exec(`INSERT INTO document_requests (`+docRequestColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`, docRequestArgs(r)...)
	return err
}

// UpdateDocRequest saves a request's status, answer and closing.
func (t *Tx) UpdateDocRequest(r *grant.DocRequest) error {
	t.touch("docrequest", r.ID)
	res, err := t.exec(`UPDATE document_requests SET status = $8, answer = $10, answered_by = $11, answered_at = $12,
		closed_by = $13, closed_at = $14
		WHERE id = $1 AND agreement = $2 AND recipient = $3 AND requester_org = $4 AND requested_by = $5 AND text = $6
		AND due_date = $7 AND created_at = $9`, docRequestArgs(r)...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("begäran om underlag %s: %w", r.ID, ErrNotFound)
	}
	return nil
}

// DocRequest returns the request with the given id.
func (t *Tx) DocRequest(id string) (grant.DocRequest, error) {
	r, err := scanDocRequest(t.queryRow("SELECT "+docRequestColumns+" FROM document_requests WHERE id = $1", id))
	if err != nil {
		return r, fmt.Errorf("begäran om underlag %s: %w", id, notFound(err))
	}
	return r, nil
}

// DocRequests lists the requests, newest first, narrowed to an agreement
// and a recipient when they are not "". The status is derived from the
// clock, so the caller filters by it.
func (t *Tx) DocRequests(agreementID, recipient string) ([]grant.DocRequest, error) {
	rows, err := t.query("SELECT "+docRequestColumns+` FROM document_requests
		WHERE ($1 = '' OR agreement = $1) AND ($2 = '' OR recipient = $2) ORDER BY created_at DESC, id`, agreementID, recipient)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []grant.DocRequest
	for rows.Next() {
		r, err := scanDocRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
