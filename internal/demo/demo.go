// Package demo fills a fresh database with users for every role and
// requisitions in every state, so that `narvard serve --demo` shows a
// living system. Everything goes through the app's use cases, so the
// ledger and the audit log are as real as the rest.
package demo

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/BurntSushi/toml"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/clock"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/money"
	"narvard/internal/onward"
	"narvard/internal/org"
)

//go:embed data/demo.toml
var scenarioFile string

// scenario is the demo as data/demo.toml describes it.
type scenario struct {
	Agreement    string          `toml:"agreement"`
	Now          string          `toml:"now"`
	Password     string          `toml:"password"`
	Users        []Login         `toml:"users"`
	Payer        string          `toml:"payer"`
	Attester     string          `toml:"attester"`
	Admin        string          `toml:"admin"`
	Accounts     []account       `toml:"agency_accounts"`
	Requisitions []step          `toml:"requisitions"`
	Form         formValue       `toml:"form"`
	VFUAt        string          `toml:"vfu_at"`
	VFUReviewer  string          `toml:"vfu_reviewer"`
	VFUReports   []vfuStep       `toml:"vfu_reports"`
	Onward       onwardRun       `toml:"onward"`
	Municipal    []municipalStep `toml:"municipal_reports"`
}

// municipalStep is one municipality's report to its RSS, walked until the
// status (draft, submitted, accepted by the reviewer of the RSS).
type municipalStep struct {
	Writer    string                `toml:"writer"`
	Signatory string                `toml:"signatory"`
	Kommun    string                `toml:"kommun"`
	Until     grant.MunicipalStatus `toml:"until"`
	Reviewer  string                `toml:"reviewer"`
	Costs     []costLine            `toml:"costs"`
}

// costLine is one cost of a municipal report.
type costLine struct {
	Item      string `toml:"item"`
	Component string `toml:"component"`
	Amount    int64  `toml:"amount_kr"`
}

// vfuStep is one demo VFU report and the status it is walked until
// (draft, submitted, or returned with a reason).
type vfuStep struct {
	Writer        string          `toml:"writer"`
	Signatory     string          `toml:"signatory"`
	Recipient     string          `toml:"recipient"`
	Until         grant.VFUStatus `toml:"until"`
	WeeksBase     int64           `toml:"weeks_base"`
	PlacesBase    int64           `toml:"places_base"`
	WeeksCurrent  int64           `toml:"weeks_current"`
	PlacesCurrent int64           `toml:"places_current"`
	Reason        string          `toml:"reason"`
}

// onwardRun is the demo RSS's onward decision: drafted by its officer
// with one key for every component and the figures, decided by its
// signatory, and paid in full once.
type onwardRun struct {
	RSS          string     `toml:"rss"`
	Officer      string     `toml:"officer"`
	Signatory    string     `toml:"signatory"`
	Key          onward.Key `toml:"key"`
	DecisionDate string     `toml:"decision_date"`
	Reference    string     `toml:"reference"`
	PaidOn       string     `toml:"paid_on"`
	Figures      []figure   `toml:"figures"`
}

// figure is one municipality's made-up key figures.
type figure struct {
	Kommun      string `toml:"kommun"`
	Befolkning  int64  `toml:"befolkning"`
	KommunalHSV int64  `toml:"kommunal_hsv"`
}

// step is one demo requisition and the status it is walked until.
type step struct {
	Officer   string       `toml:"officer"`
	Signatory string       `toml:"signatory"`
	Recipient string       `toml:"recipient"`
	Until     grant.Status `toml:"until"`
}

// account is a paying agency's own account as the demo admin sets it.
type account struct {
	Org    string `toml:"org"`
	Type   string `toml:"type"`
	Number string `toml:"number"`
	BIC    string `toml:"bic"`
}

// formValue is what every demo requisition form says besides its
// recipient, amount and contact.
type formValue struct {
	PeriodFrom         string `toml:"period_from"`
	PeriodTo           string `toml:"period_to"`
	AccountType        string `toml:"account_type"`
	AccountNumber      string `toml:"account_number"`
	PaymentReference   string `toml:"payment_reference"`
	Phone              string `toml:"phone"`
	AgreementDnr       string `toml:"agreement_dnr"`
	PaymentDecisionDnr string `toml:"payment_decision_dnr"`
}

// demoScenario reads data/demo.toml; it panics only if the embedded file is
// broken, which the tests rule out.
func demoScenario() scenario {
	var s scenario
	md, err := toml.Decode(scenarioFile, &s)
	if err == nil && len(md.Undecoded()) > 0 {
		err = fmt.Errorf("okänt fält %q", md.Undecoded()[0].String())
	}
	if err != nil {
		panic("demo: data/demo.toml: " + err.Error())
	}
	return s
}

var demo = demoScenario()

// Password is every demo user's password. The demo runs on loopback with a
// frozen clock; it is not for real data.
var Password = demo.Password

// Now is the moment the demo's clock is frozen at unless told otherwise
// (RFC 3339): two weeks before the last day for requisitions.
var Now = demo.Now

// Login is one demo user.
type Login struct {
	Email string    `toml:"email"`
	Org   string    `toml:"org"`
	Role  auth.Role `toml:"role"`
	Name  string    `toml:"name"`
}

// Logins are the demo users: one per role, and officers and signatories for
// a few regions and RSS.
var Logins = demo.Users

const seededKey = "demo.seeded"

// Seed adds the demo users and requisitions unless the database already
// has them. The clock should be frozen before the requisition deadline.
func Seed(ctx context.Context, a *app.App) error {
	if _, seeded, err := a.Setting(ctx, seededKey); err != nil || seeded {
		return err
	}
	users := map[string]auth.Actor{}
	for _, l := range Logins {
		u, err := a.AddUser(ctx, l.Email, l.Name, l.Org, l.Role, Password)
		if err != nil && fault.CodeOf(err) != fault.Conflict {
			return fmt.Errorf("demo: %s: %w", l.Email, err)
		}
		users[l.Email] = u.Actor()
	}
	if err := seedAccounts(ctx, a, users[demo.Admin]); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := seedVFU(ctx, a, users); err != nil {
		return fmt.Errorf("demo: VFU: %w", err)
	}
	if err := seedRequisitions(ctx, a, users); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := seedOnward(ctx, a, users); err != nil {
		return fmt.Errorf("demo: onward: %w", err)
	}
	if err := seedMunicipal(ctx, a, users); err != nil {
		return fmt.Errorf("demo: municipal reports: %w", err)
	}
	if err := seedPlan(ctx, a, users); err != nil {
		return fmt.Errorf("demo: plan: %w", err)
	}
	if err := seedActivity(ctx, a, users); err != nil {
		return fmt.Errorf("demo: activity report: %w", err)
	}
	if err := seedSurvey(ctx, a, users); err != nil {
		return fmt.Errorf("demo: survey: %w", err)
	}
	return a.SetSetting(ctx, seededKey, time.Now().UTC().Format(time.RFC3339))
}

// seedAccounts has the admin give the paying agencies their accounts.
func seedAccounts(ctx context.Context, a *app.App, admin auth.Actor) error {
	for _, acct := range demo.Accounts {
		o, err := a.Organisation(ctx, acct.Org)
		if err != nil {
			return err
		}
		_, err = a.UpdateOrganisation(ctx, admin, o.ID, app.OrganisationEdit{Name: o.Name, OrgNr: o.OrgNr, Host: o.Host, Address: o.Address,
			Account: &org.Account{Type: acct.Type, Number: acct.Number, BIC: acct.BIC}})
		if err != nil {
			return fmt.Errorf("%s: %w", acct.Org, err)
		}
	}
	return nil
}

// seedRequisitions walks the scenario's requisitions part of the way:
// drafted, signed, approved, paid (those to be paid in one batch, made by
// the payer, attested by the attester, confirmed).
func seedRequisitions(ctx context.Context, a *app.App, u map[string]auth.Actor) error {
	payer, attester := u[demo.Payer], u[demo.Attester]
	var pay []string
	for _, s := range demo.Requisitions {
		al, _ := a.Allocation(demo.Agreement, s.Recipient)
		r, err := a.CreateRequisition(ctx, u[s.Officer], form(s.Recipient, al.Total(), u[s.Officer]))
		if err != nil {
			return err
		}
		if s.Until == grant.Draft {
			continue
		}
		if r, err = a.SignRequisition(ctx, u[s.Signatory], r.ID); err != nil {
			return err
		}
		if s.Until == grant.Submitted {
			continue
		}
		if _, err = a.ApproveRequisition(ctx, payer, r.ID); err != nil {
			return err
		}
		if s.Until == grant.Paid {
			pay = append(pay, r.ID)
		}
	}
	if len(pay) == 0 {
		return nil
	}
	b, err := a.CreateBatch(ctx, payer, demo.Agreement, pay)
	if err != nil {
		return err
	}
	if _, err := a.AttestBatch(ctx, attester, b.ID); err != nil {
		return err
	}
	_, err = a.ConfirmBatch(ctx, payer, b.ID, time.Time{})
	return err
}

// seedOnward has the demo RSS draft, decide and pay its onward decision.
func seedOnward(ctx context.Context, a *app.App, u map[string]auth.Actor) error {
	o := demo.Onward
	if o.RSS == "" {
		return nil
	}
	al, ok := a.Allocation(demo.Agreement, o.RSS)
	if !ok {
		return fmt.Errorf("%s has no allocation", o.RSS)
	}
	plan := onward.Plan{Components: map[string]onward.Spec{}}
	for _, f := range o.Figures {
		plan.Figures = append(plan.Figures, onward.Figure{Kommun: f.Kommun, Befolkning: f.Befolkning, KommunalHSV: f.KommunalHSV})
	}
	for _, c := range al.Components {
		plan.Components[c.ID] = onward.Spec{Key: o.Key}
	}
	d, err := a.CreateOnward(ctx, u[o.Officer], demo.Agreement, o.RSS, plan)
	if err != nil {
		return err
	}
	if _, err := a.DecideOnward(ctx, u[o.Signatory], d.ID, o.DecisionDate, o.Reference); err != nil {
		return err
	}
	_, err = a.PayOnward(ctx, u[o.Officer], d.ID, o.PaidOn, nil)
	return err
}

// seedMunicipal has the demo municipalities report to their RSS, each
// walked until its status.
func seedMunicipal(ctx context.Context, a *app.App, u map[string]auth.Actor) error {
	for _, m := range demo.Municipal {
		var costs []grant.CostLine
		for _, c := range m.Costs {
			costs = append(costs, grant.CostLine{Item: c.Item, Component: c.Component, Amount: money.Kr(c.Amount)})
		}
		r, err := a.CreateMunicipalReport(ctx, u[m.Writer], demo.Agreement, m.Kommun, costs)
		if err != nil {
			return fmt.Errorf("%s: %w", m.Kommun, err)
		}
		if m.Until == grant.MunicipalDraft {
			continue
		}
		if _, err := a.SignMunicipalReport(ctx, u[m.Signatory], r.ID); err != nil {
			return fmt.Errorf("%s: %w", m.Kommun, err)
		}
		if m.Until == grant.MunicipalAccepted {
			if _, err := a.AcceptMunicipalReport(ctx, u[m.Reviewer], r.ID); err != nil {
				return fmt.Errorf("%s: %w", m.Kommun, err)
			}
		}
	}
	return nil
}

// seedVFU writes the scenario's VFU reports at vfu_at, before the VFU
// deadline, with the frozen clock set back there for the while; a clock
// that is not frozen gets no VFU reports.
func seedVFU(ctx context.Context, a *app.App, u map[string]auth.Actor) error {
	frozen, ok := a.Clock.(*clock.Frozen)
	if !ok || len(demo.VFUReports) == 0 {
		return nil
	}
	at, err := time.Parse(time.RFC3339, demo.VFUAt)
	if err != nil {
		return fmt.Errorf("vfu_at: %w", err)
	}
	was := frozen.Now()
	frozen.Set(at)
	defer frozen.Set(was)
	for _, s := range demo.VFUReports {
		r, err := a.CreateVFUReport(ctx, u[s.Writer], demo.Agreement, s.Recipient, grant.VFUFigures{WeeksBase: s.WeeksBase,
			PlacesBase: s.PlacesBase, WeeksCurrent: s.WeeksCurrent, PlacesCurrent: s.PlacesCurrent})
		if err != nil {
			return fmt.Errorf("%s: %w", s.Recipient, err)
		}
		if s.Until == grant.VFUDraft {
			continue
		}
		if _, err := a.SignVFUReport(ctx, u[s.Signatory], r.ID); err != nil {
			return fmt.Errorf("%s: %w", s.Recipient, err)
		}
		if s.Until == grant.VFUReturned {
			if _, err := a.ReturnVFUReport(ctx, u[demo.VFUReviewer], r.ID, s.Reason); err != nil {
				return fmt.Errorf("%s: %w", s.Recipient, err)
			}
		}
	}
	return nil
}

func form(recipient string, amount money.Kr, who auth.Actor) grant.Form {
	f := demo.Form
	return grant.Form{Agreement: demo.Agreement, Recipient: recipient, Amount: amount,
		PeriodFrom: f.PeriodFrom, PeriodTo: f.PeriodTo,
		Account:          grant.Account{Type: f.AccountType, Number: f.AccountNumber},
		PaymentReference: f.PaymentReference + recipient,
		Contact:          grant.Contact{Name: who.Name, Email: who.Email, Phone: f.Phone},
		AgreementDnr:     f.AgreementDnr, PaymentDecisionDnr: f.PaymentDecisionDnr}
}
