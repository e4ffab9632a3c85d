package app

import (
	"context"
	"errors"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/org"
	"narvard/internal/store"
)

// DocRequestForm is a request for underlag as the requester writes it.
type DocRequestForm struct {
	Agreement string `json:"agreement"`
	Recipient string `json:"recipient"`
	Text      string `json:"text"`
	DueDate   string `json:"due_date"`
}

// DocRequestView is a request with its status now and its attachments.
type DocRequestView struct {
	grant.DocRequest
	Status      grant.DocRequestStatus
	Attachments []grant.Attachment
}

// DocRequestFilter narrows a list of requests; "" is any.
type DocRequestFilter struct {
	Agreement, Recipient string
	Status               grant.DocRequestStatus
}

// recipientIn refuses a recipient that does not exist, is no recipient,
// or takes no part in the agreement.
func (a *App) recipientIn(tx *store.Tx, agreementID, recipient string) error {
	o, err := tx.Organisation(recipient)
	if errors.Is(err, store.ErrNotFound) {
		return fault.Fields{"recipient": "Organisationen " + recipient + " finns inte."}.Err()
	}
	if err != nil {
		return err
	}
	switch o.Kind {
	case org.KindRegion, org.KindRSS, org.KindKommun, org.KindSKR:
	default:
		return fault.Fields{"recipient": o.Name + " tar inte emot medel och kan inte få en begäran om underlag."}.Err()
	}
	for _, ag := range a.TakesPart(recipient) {
		if ag.ID == agreementID {
			return nil
		}
	}
	return fault.Fields{"recipient": o.Name + " får inga medel enligt " + agreementID + "."}.Err()
}

// RequestDocuments asks a recipient for underlag by a due date: a payer of
// a paying agency or a follow-up officer of Socialdepartementet.
func (a *App) RequestDocuments(ctx context.Context, actor auth.Actor, f DocRequestForm) (DocRequestView, error) {
	if err := grant.CanRequestDocuments(actor); err != nil {
		return DocRequestView{}, err
	}
	ag, err := a.agreement(f.Agreement)
	if err != nil {
		return DocRequestView{}, err
	}
	now := a.Clock.Now()
	text, due, err := grant.CheckDocRequest(f.Text, f.DueDate, now)
	if err != nil {
		return DocRequestView{}, err
	}
	r := grant.DocRequest{ID: newID("U-"), Agreement: ag.ID, Recipient: f.Recipient, RequesterOrg: actor.Org,
		RequestedBy: actor.Email, Text: text, DueDate: due, Stored: grant.DocRequestOpen, CreatedAt: now}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		if err := a.recipientIn(tx, ag.ID, f.Recipient); err != nil {
			return err
		}
		if err := tx.InsertDocRequest(&r); err != nil {
			return err
		}
		_, err := tx.Audit(entry(actor, now, "document_request.create", "docrequest:"+r.ID, map[string]any{
			"agreement": r.Agreement, "recipient": r.Recipient, "due_date": due.Format(time.DateOnly), "text": r.Text}))
		if err != nil {
			return err
		}
		return a.notifyDocRequest(tx, now, r)
	})
	return DocRequestView{DocRequest: r, Status: r.Status(now)}, err
}

// readableDocRequest loads a request the actor may see; another's is not
// found, so that its existence does not show.
func (a *App) readableDocRequest(tx *store.Tx, actor auth.Actor, id string) (grant.DocRequest, error) {
	r, err := tx.DocRequest(id)
	if err != nil {
		return r, notFound(err, "Begäran om underlag %s finns inte.", id)
	}
	if grant.CanReadDocumentRequest(actor, r.Recipient) != nil {
		return grant.DocRequest{}, fault.New(fault.NotFound, "Begäran om underlag %s finns inte.", id)
	}
	return r, nil
}

func docRequestView(tx *store.Tx, r grant.DocRequest, now time.Time) (DocRequestView, error) {
	atts, err := tx.Attachments(grant.OwnerDocRequest, r.ID)
	return DocRequestView{DocRequest: r, Status: r.Status(now), Attachments: atts}, err
}

// DocumentRequest returns one request with its attachments.
func (a *App) DocumentRequest(ctx context.Context, actor auth.Actor, id string) (DocRequestView, error) {
	var v DocRequestView
	err := a.db.View(ctx, func(tx *store.Tx) error {
		r, err := a.readableDocRequest(tx, actor, id)
		if err != nil {
			return err
		}
		v, err = docRequestView(tx, r, a.Clock.Now())
		return err
	})
	return v, err
}

// DocumentRequests lists the requests the actor may see: a recipient's
// people their own organisation's, the requesters and those who check
// any recipient's (or all).
func (a *App) DocumentRequests(ctx context.Context, actor auth.Actor, f DocRequestFilter) ([]DocRequestView, error) {
	if f.Recipient == "" && grant.CanReadDocumentRequest(actor, "") != nil {
		f.Recipient = actor.Org
	}
	if err := grant.CanReadDocumentRequest(actor, f.Recipient); err != nil {
		return nil, err
	}
	now := a.Clock.Now()
	var out []DocRequestView
	err := a.db.View(ctx, func(tx *store.Tx) error {
		list, err := tx.DocRequests(f.Agreement, f.Recipient)
		if err != nil {
			return err
		}
		for _, r := range list {
			if f.Status != "" && r.Status(now) != f.Status {
				continue
			}
			v, err := docRequestView(tx, r, now)
			if err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	return out, err
}

// docRequestChange loads a request the actor may see, lets change act on
// it and saves it with its audit entry, in one transaction.
func (a *App) docRequestChange(ctx context.Context, actor auth.Actor, id, action string,
	change func(tx *store.Tx, r *grant.DocRequest, now time.Time) error) (DocRequestView, error) {
	now := a.Clock.Now()
	var v DocRequestView
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		r, err := a.readableDocRequest(tx, actor, id)
		if err != nil {
			return err
		}
		if err := change(tx, &r, now); err != nil {
			return err
		}
		if err := tx.UpdateDocRequest(&r); err != nil {
			return err
		}
		if v, err = docRequestView(tx, r, now); err != nil {
			return err
		}
		names := make([]string, 0, len(v.Attachments))
		for _, at := range v.Attachments {
			names = append(names, at.Name+" sha256:"+at.SHA256)
		}
		if _, err = tx.Audit(entry(actor, now, action, "docrequest:"+r.ID, map[string]any{
			"recipient": r.Recipient, "status": r.Stored, "answer": r.AnswerText, "attachments": names})); err != nil {
			return err
		}
		return a.notifyDocAnswered(tx, now, r)
	})
	return v, err
}

// AnswerDocumentRequest answers an open (or overdue) request with a text;
// its files must be attached first.
func (a *App) AnswerDocumentRequest(ctx context.Context, actor auth.Actor, id, text string) (DocRequestView, error) {
	return a.docRequestChange(ctx, actor, id, "document_request.answer", func(tx *store.Tx, r *grant.DocRequest, now time.Time) error {
		if err := grant.CanAnswerDocumentRequest(actor, r.Recipient); err != nil {
			return err
		}
		atts, err := tx.Attachments(grant.OwnerDocRequest, r.ID)
		if err != nil {
			return err
		}
		return r.Answer(actor.Email, text, len(atts), now)
	})
}

// CloseDocumentRequest closes a request, answered or not: the
// organisation that asked.
func (a *App) CloseDocumentRequest(ctx context.Context, actor auth.Actor, id string) (DocRequestView, error) {
	return a.docRequestChange(ctx, actor, id, "document_request.close", func(_ *store.Tx, r *grant.DocRequest, now time.Time) error {
		if err := grant.CanCloseDocumentRequest(actor, *r); err != nil {
			return err
		}
		return r.Close(actor.Email, now)
	})
}

// AttachToDocumentRequest adds a file to an open request's answer: those
// who may answer it.
func (a *App) AttachToDocumentRequest(ctx context.Context, actor auth.Actor, id, name string, content []byte) (grant.Attachment, error) {
	now := a.Clock.Now()
	var at grant.Attachment
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		r, err := a.readableDocRequest(tx, actor, id)
		if err != nil {
			return err
		}
		if err := grant.CanAnswerDocumentRequest(actor, r.Recipient); err != nil {
			return err
		}
		if err := r.AttachmentsOpen(now); err != nil {
			return err
		}
		f, err := checkFile(name, content)
		if err != nil {
			return err
		}
		at, err = attach(tx, actor, grant.OwnerDocRequest, r.ID, f, content, now)
		return err
	})
	return at, err
}

// DocumentRequestFile returns one of a request's attachments with its
// content, for both sides.
func (a *App) DocumentRequestFile(ctx context.Context, actor auth.Actor, id string, n int) (grant.Attachment, []byte, error) {
	var at grant.Attachment
	var content []byte
	err := a.db.View(ctx, func(tx *store.Tx) error {
		r, err := a.readableDocRequest(tx, actor, id)
		if err != nil {
			return err
		}
		at, content, err = tx.Attachment(grant.OwnerDocRequest, r.ID, n)
		return notFound(err, "Begäran %s har ingen bilaga %d.", id, n)
	})
	return at, content, err
}
