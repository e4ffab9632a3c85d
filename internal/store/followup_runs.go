package store

import (
	"encoding/json"
	"time"

	"narvard/internal/followup"
)

// SaveFollowUpRun keeps a finished follow-up run with its result.
func (t *Tx) SaveFollowUpRun(r followup.Run) error {
	inputs, err := json.Marshal(r.Inputs)
	if err != nil {
		return err
	}
	result, err := followup.EncodeResult(r.Result)
	if err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO followup_runs (id, owner_id, org_id, created_at, elapsed_ms, inputs, result)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		r.ID, r.Owner, r.Org, fmtTime(r.At), r.Elapsed.Milliseconds(), string(inputs), string(result))
	return err
}

const runColumns = "r.id, r.owner_id, u.name, r.org_id, r.created_at, r.elapsed_ms, r.inputs"

// FollowUpRuns returns the saved runs, newest first, without their
// results.
func (t *Tx) FollowUpRuns() ([]followup.Run, error) {
	rows, err := t.query("SELECT " + runColumns + " FROM followup_runs r JOIN users u ON u.id = r.owner_id ORDER BY r.created_at DESC, r.id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []followup.Run
	for rows.Next() {
		r, _, err := scanRun(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FollowUpRun returns the saved run with the id, with its result.
func (t *Tx) FollowUpRun(id string) (followup.Run, error) {
	r, result, err := scanRun(t.queryRow("SELECT "+runColumns+", r.result FROM followup_runs r JOIN users u ON u.id = r.owner_id WHERE r.id = $1", id), true)
	if err != nil {
		return followup.Run{}, notFound(err)
	}
	r.Result, err = followup.DecodeResult([]byte(result))
	return r, err
}

// DeleteFollowUpRun removes the saved run with the id.
func (t *Tx) DeleteFollowUpRun(id string) error {
	res, err := t.exec("DELETE FROM followup_runs WHERE id = $1", id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return ErrNotFound
	}
	return err
}

func scanRun(s interface{ Scan(...any) error }, withResult bool) (followup.Run, string, error) {
	var r followup.Run
	var at, inputs, result string
	var ms int64
	dest := []any{&r.ID, &r.Owner, &r.OwnerName, &r.Org, &at, &ms, &inputs}
	if withResult {
		dest = append(dest, &result)
	}
	if err := s.Scan(dest...); err != nil {
		return r, "", err
	}
	r.At, r.Elapsed = parseTime(at), time.Duration(ms)*time.Millisecond
	return r, result, json.Unmarshal([]byte(inputs), &r.Inputs)
}
