package app

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/document"
	"narvard/internal/fault"
	"narvard/internal/geo"
	"narvard/internal/grant"
	"narvard/internal/org"
	"narvard/internal/questionnaire"
	"narvard/internal/store"
)

// QuestionTemplate returns the template with the id: one shipped with the
// product or one published since. Every signed-in user may see it, as the
// agreements.
func (a *App) QuestionTemplate(ctx context.Context, id string) (*questionnaire.Template, error) {
	var t *questionnaire.Template
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		t, err = a.template(tx, id)
		return err
	})
	return t, err
}

// QuestionTemplates lists every template, shipped and published, by id.
func (a *App) QuestionTemplates(ctx context.Context) ([]*questionnaire.Template, error) {
	out := a.templates.All()
	err := a.db.View(ctx, func(tx *store.Tx) error {
		list, err := tx.QuestionTemplates()
		if err != nil {
			return err
		}
		for _, p := range list {
			if t, err := a.published(p); err == nil {
				out = append(out, t)
			}
		}
		return nil
	})
	slices.SortFunc(out, func(x, y *questionnaire.Template) int { return strings.Compare(x.ID, y.ID) })
	return out, err
}

// template finds a template, shipped first, then published.
func (a *App) template(tx *store.Tx, id string) (*questionnaire.Template, error) {
	if t, ok := a.templates.Get(id); ok {
		return t, nil
	}
	list, err := tx.QuestionTemplates()
	if err != nil {
		return nil, err
	}
	for _, p := range list {
		if p.ID == id {
			return a.published(p)
		}
	}
	return nil, fault.New(fault.NotFound, "Frågeunderlaget %q finns inte.", id)
}

// published reads a stored template, checked again against its agreement
// as the product now has it.
func (a *App) published(p questionnaire.Published) (*questionnaire.Template, error) {
	t, err := questionnaire.Parse(p.Body)
	if err != nil {
		return nil, err
	}
	ag, err := a.agreement(t.Agreement)
	if err != nil {
		return nil, err
	}
	return t, t.CheckAgainst(ag)
}

// templatePublisher is who writes an agreement's question templates: the
// organisation its question_template deadline names.
func templatePublisher(ag *agreement.Agreement) string {
	d, _ := ag.Deadline(agreement.DeadlineQuestionTemplate)
	for _, w := range d.Who {
		if org.IsPayingAgency(w) || w == org.Socialdepartementet {
			return w
		}
	}
	return ""
}

// PublishTemplate stores a new version of a question template, uploaded by
// a follow-up officer of the agency that writes the agreement's templates.
// It is checked as the shipped ones are (Invalid naming the question);
// an id that exists is Conflict: a published version never changes.
func (a *App) PublishTemplate(ctx context.Context, actor auth.Actor, body []byte) (*questionnaire.Template, error) {
	t, err := questionnaire.Parse(body)
	if err != nil {
		return nil, err
	}
	ag, err := a.agreement(t.Agreement)
	if err != nil {
		return nil, err
	}
	if err := grant.CanPublishTemplate(actor, templatePublisher(ag)); err != nil {
		return nil, err
	}
	if err := t.CheckAgainst(ag); err != nil {
		return nil, err
	}
	now := a.Clock.Now()
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		if _, ok := a.templates.Get(t.ID); ok {
			return templateExists(t.ID)
		}
		err := tx.InsertQuestionTemplate(questionnaire.Published{ID: t.ID, Agreement: t.Agreement, Body: body, By: actor.Email, At: now})
		if errors.Is(err, store.ErrDuplicate) {
			return templateExists(t.ID)
		}
		if err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, now, "template.publish", "question_template:"+t.ID, map[string]any{"agreement": t.Agreement, "sections": len(t.Sections)}))
		return err
	})
	return t, err
}

func templateExists(id string) error {
	return fault.New(fault.Conflict, "Frågeunderlaget %q finns redan och ändras aldrig; publicera en ny version med ett nytt id.", id)
}

// AnswerContext is what the recipient's answers are given in: for an RSS,
// its county's municipalities.
func AnswerContext(recipient string) questionnaire.Context {
	kind, code, _ := org.Parse(recipient)
	if kind != org.KindRSS {
		return questionnaire.Context{}
	}
	var ctx questionnaire.Context
	for _, m := range geo.Municipalities() {
		if m.County == code {
			ctx.Kommuner = append(ctx.Kommuner, m.Code)
		}
	}
	return ctx
}

// Answers reports whether the organisation answers the template: one of
// its recipient kinds, taking part in its agreement.
func (a *App) Answers(t *questionnaire.Template, orgID string) bool {
	return a.reportsOn(t, orgID) == nil
}

// reportsOn checks that the recipient answers the template: one of its
// recipient kinds, taking part in its agreement.
func (a *App) reportsOn(t *questionnaire.Template, recipient string) error {
	kinds := grant.RecipientKinds(recipient)
	_, takesPart := a.Allocation(t.Agreement, recipient)
	if !takesPart || !slices.ContainsFunc(kinds, func(k agreement.RecipientKind) bool { return slices.Contains(t.Recipients, k) }) {
		return fault.Fields{"recipient": "Frågeunderlaget " + t.ID + " besvaras inte av " + recipient + "."}.Err()
	}
	return nil
}

// CreateActivityReport writes a recipient's draft report on a template:
// its officer or signatory. The answers are checked for type and limits
// (not yet for completeness); one report per template and recipient.
func (a *App) CreateActivityReport(ctx context.Context, actor auth.Actor, templateID, recipient string, answers questionnaire.Answers) (grant.ActivityReport, error) {
	if err := grant.CanWriteActivityReport(actor, recipient); err != nil {
		return grant.ActivityReport{}, err
	}
	now := a.Clock.Now()
	var r grant.ActivityReport
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		t, err := a.template(tx, templateID)
		if err != nil {
			return err
		}
		if err := a.reportsOn(t, recipient); err != nil {
			return err
		}
		clean, err := t.Clean(answers, AnswerContext(recipient), false)
		if err != nil {
			return err
		}
		r = grant.ActivityReport{ID: newID("A-"), Template: t.ID, Agreement: t.Agreement, Recipient: recipient, Receiver: t.Receiver,
			Answers: clean, Status: grant.ActivityDraft, CreatedBy: actor.Email, CreatedAt: now, UpdatedBy: actor.Email, UpdatedAt: now}
		if err := tx.InsertActivityReport(&r); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return fault.New(fault.Conflict, "%s har redan en rapport på %s; ändra den i stället.", recipient, t.ID)
			}
			return err
		}
		_, err = tx.Audit(entry(actor, now, "activity.create", "activity:"+r.ID, activityDetail(r)))
		return err
	})
	return r, err
}

func activityDetail(r grant.ActivityReport) map[string]any {
	return map[string]any{"template": r.Template, "recipient": r.Recipient, "status": r.Status, "late": r.Late, "answers": len(r.Answers)}
}

// activityTransition loads a report the actor may read, lets change act
// on it with its template and saves it with its audit entry.
func (a *App) activityTransition(ctx context.Context, actor auth.Actor, id, action string,
	change func(r *grant.ActivityReport, t *questionnaire.Template, now time.Time) error) (grant.ActivityReport, error) {
	now := a.Clock.Now()
	var r grant.ActivityReport
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if r, err = tx.ActivityReport(id); err != nil {
			return notFound(err, "Verksamhetsrapporten %s finns inte.", id)
		}
		if err := grant.CanRead(actor, r.Recipient); err != nil {
			return fault.New(fault.NotFound, "Verksamhetsrapporten %s finns inte.", id)
		}
		t, err := a.template(tx, r.Template)
		if err != nil {
			return err
		}
		if err := change(&r, t, now); err != nil {
			return err
		}
		if err := tx.UpdateActivityReport(&r); err != nil {
			return err
		}
		d := activityDetail(r)
		if r.Status == grant.ActivityReturned {
			d["reason"] = r.ReturnReason
		}
		_, err = tx.Audit(entry(actor, now, action, "activity:"+id, d))
		return err
	})
	return r, err
}

// CorrectActivityReport replaces the answers of a draft or returned
// report: the recipient's officer or signatory.
func (a *App) CorrectActivityReport(ctx context.Context, actor auth.Actor, id string, answers questionnaire.Answers) (grant.ActivityReport, error) {
	return a.activityTransition(ctx, actor, id, "activity.correct", func(r *grant.ActivityReport, t *questionnaire.Template, now time.Time) error {
		if err := grant.CanWriteActivityReport(actor, r.Recipient); err != nil {
			return err
		}
		clean, err := t.Clean(answers, AnswerContext(r.Recipient), false)
		if err != nil {
			return err
		}
		return r.Correct(actor, clean, now)
	})
}

// SignActivityReport submits a report on the word of the recipient's
// signatory once every visible required question is answered (Invalid
// with the questions otherwise); answers to hidden questions are dropped.
// After the template's deadline it is accepted and marked late.
func (a *App) SignActivityReport(ctx context.Context, actor auth.Actor, id string) (grant.ActivityReport, error) {
	return a.activityTransition(ctx, actor, id, "activity.sign", func(r *grant.ActivityReport, t *questionnaire.Template, now time.Time) error {
		if err := grant.CanSign(actor, r.Recipient); err != nil {
			return err
		}
		clean, err := t.Clean(r.Answers, AnswerContext(r.Recipient), true)
		if err != nil {
			return err
		}
		ag, err := a.agreement(t.Agreement)
		if err != nil {
			return err
		}
		_, passed := a.deadline(ag, t.Deadline)
		return r.Sign(actor, clean, now, passed)
	})
}

// ReturnActivityReport sends a submitted report back with a reason: the
// receiver's follow-up officers.
func (a *App) ReturnActivityReport(ctx context.Context, actor auth.Actor, id, reason string) (grant.ActivityReport, error) {
	return a.activityTransition(ctx, actor, id, "activity.return", func(r *grant.ActivityReport, _ *questionnaire.Template, now time.Time) error {
		if err := grant.CanReceiveActivityReport(actor, r.Receiver); err != nil {
			return err
		}
		return r.Return(actor, reason, now)
	})
}

// AcceptActivityReport accepts a submitted report: the receiver's
// follow-up officers.
func (a *App) AcceptActivityReport(ctx context.Context, actor auth.Actor, id string) (grant.ActivityReport, error) {
	return a.activityTransition(ctx, actor, id, "activity.accept", func(r *grant.ActivityReport, _ *questionnaire.Template, now time.Time) error {
		if err := grant.CanReceiveActivityReport(actor, r.Receiver); err != nil {
			return err
		}
		return r.Accept(actor, now)
	})
}

// ActivityReport returns one report to those who may read the recipient's
// documents (the receivers' follow-up officers read everything).
func (a *App) ActivityReport(ctx context.Context, actor auth.Actor, id string) (grant.ActivityReport, error) {
	var r grant.ActivityReport
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if r, err = tx.ActivityReport(id); err != nil {
			return notFound(err, "Verksamhetsrapporten %s finns inte.", id)
		}
		if grant.CanRead(actor, r.Recipient) != nil {
			return fault.New(fault.NotFound, "Verksamhetsrapporten %s finns inte.", id)
		}
		return nil
	})
	return r, err
}

// ActivityReports lists the reports on a template ("" for all) with a
// status ("" for any) that the actor may read.
func (a *App) ActivityReports(ctx context.Context, actor auth.Actor, templateID string, status grant.ActivityStatus) ([]grant.ActivityReport, error) {
	if status != "" && !slices.Contains(grant.ActivityStatuses, status) {
		return nil, fault.Fields{"status": "Okänd status; ange draft, submitted, returned eller accepted."}.Err()
	}
	var out []grant.ActivityReport
	err := a.db.View(ctx, func(tx *store.Tx) error {
		all, err := tx.ActivityReports(templateID, status)
		if err != nil {
			return err
		}
		for _, r := range all {
			if grant.CanRead(actor, r.Recipient) == nil {
				out = append(out, r)
			}
		}
		return nil
	})
	return out, err
}

// ActivityExport is a template's reports as a table: one row per report,
// one column per answer cell (questionnaire.CellKeys).
type ActivityExport struct {
	Template *questionnaire.Template
	Keys     []string
	Reports  []grant.ActivityReport
	Cells    []map[string]any // by report, by key
}

// ExportActivityReports is every report on the template as a table, for
// those who read everything. The columns of a section asked per
// municipality are those of the reporting RSSs' counties.
func (a *App) ExportActivityReports(ctx context.Context, actor auth.Actor, templateID string) (ActivityExport, error) {
	if err := grant.CanReadAll(actor); err != nil {
		return ActivityExport{}, err
	}
	var out ActivityExport
	err := a.db.View(ctx, func(tx *store.Tx) error {
		t, err := a.template(tx, templateID)
		if err != nil {
			return err
		}
		reports, err := tx.ActivityReports(t.ID, "")
		if err != nil {
			return err
		}
		var kommuner []string
		for _, r := range reports {
			kommuner = append(kommuner, AnswerContext(r.Recipient).Kommuner...)
		}
		slices.Sort(kommuner)
		out = ActivityExport{Template: t, Keys: t.CellKeys(slices.Compact(kommuner)), Reports: reports}
		for _, r := range reports {
			out.Cells = append(out.Cells, t.Cells(r.Answers))
		}
		return nil
	})
	return out, err
}

// Table is the export as a header and rows: the report, the recipient,
// the status, late, when signed, then every answer cell.
func (e ActivityExport) Table() ([]string, [][]any) {
	header := append([]string{"rapport", "mottagare", "status", "sen", "underskriven"}, e.Keys...)
	rows := make([][]any, len(e.Reports))
	for i, r := range e.Reports {
		signed := ""
		if !r.SignedAt.IsZero() {
			signed = r.SignedAt.In(clock.Stockholm).Format(time.DateOnly)
		}
		row := []any{r.ID, r.Recipient, string(r.Status), r.Late, signed}
		for _, k := range e.Keys {
			row = append(row, e.Cells[i][k])
		}
		rows[i] = row
	}
	return header, rows
}

// ActivityReportPDF renders a report, for those who may read it.
func (a *App) ActivityReportPDF(ctx context.Context, actor auth.Actor, id string) ([]byte, error) {
	r, err := a.ActivityReport(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	t, err := a.QuestionTemplate(ctx, r.Template)
	if err != nil {
		return nil, err
	}
	ag, err := a.agreement(r.Agreement)
	if err != nil {
		return nil, err
	}
	o, err := a.Organisation(ctx, r.Recipient)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = document.ActivityPDF(&buf, document.ActivityDoc{Agreement: ag, Template: t, Report: r, RecipientName: o.Name,
		ReceiverName: org.AgencyName(r.Receiver), Generated: a.Clock.Now(), Rehearsal: a.rehearsal()})
	return buf.Bytes(), err
}

// NotStarted lists the recipients that answer the template and have no
// report on it yet, for those who read everything.
func (a *App) NotStarted(ctx context.Context, actor auth.Actor, templateID string) ([]string, error) {
	if err := grant.CanReadAll(actor); err != nil {
		return nil, err
	}
	var out []string
	err := a.db.View(ctx, func(tx *store.Tx) error {
		t, err := a.template(tx, templateID)
		if err != nil {
			return err
		}
		reports, err := tx.ActivityReports(t.ID, "")
		if err != nil {
			return err
		}
		started := map[string]bool{}
		for _, r := range reports {
			started[r.Recipient] = true
		}
		for _, id := range sortedKeys(a.allocations[t.Agreement]) {
			if !started[id] && a.reportsOn(t, id) == nil {
				out = append(out, id)
			}
		}
		return nil
	})
	return out, err
}
