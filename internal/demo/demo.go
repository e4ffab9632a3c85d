// Package demo fills a fresh database with users for every role and
// requisitions in every state, so that `narvard serve --demo` shows a
// living system. Everything goes through the app's use cases, so the
// ledger and the audit log are as real as the rest.
package demo

import (
	"context"
	"fmt"
	"time"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/money"
)

// Password is every demo user's password. The demo runs on loopback with a
// frozen clock in 2023; it is not for real data.
const Password = "demo-losenord-2023"

// Now is the moment the demo's clock is frozen at unless told otherwise:
// two weeks before the last day for requisitions.
const Now = "2023-11-15T10:00:00+01:00"

// Login is one demo user.
type Login struct {
	Email string
	Org   string
	Role  auth.Role
	Name  string
}

// Logins are the demo users: one per role, and officers and signatories for
// a few regions and RSS.
var Logins = []Login{
	{"handlaggare@norrbotten.demo", "region-25", auth.RecipientOfficer, "Anna Handläggare"},
	{"firmatecknare@norrbotten.demo", "region-25", auth.Signatory, "Erik Firmatecknare"},
	{"ekonomichef@norrbotten.demo", "region-25", auth.CFO, "Maria Ekonomichef"},
	{"handlaggare@jamtland.demo", "region-23", auth.RecipientOfficer, "Jonas Handläggare"},
	{"firmatecknare@jamtland.demo", "region-23", auth.Signatory, "Karin Firmatecknare"},
	{"handlaggare@rss-stockholm.demo", "rss-01", auth.RecipientOfficer, "Sara Handläggare"},
	{"firmatecknare@rss-stockholm.demo", "rss-01", auth.Signatory, "Per Firmatecknare"},
	{"handlaggare@rss-jamtland.demo", "rss-23", auth.RecipientOfficer, "Lena Handläggare"},
	{"firmatecknare@rss-jamtland.demo", "rss-23", auth.Signatory, "Olof Firmatecknare"},
	{"firmatecknare@skr.demo", "skr", auth.Signatory, "Eva Firmatecknare"},
	{"utbetalare@kammarkollegiet.demo", "kammarkollegiet", auth.Payer, "Johan Utbetalare"},
	{"uppfoljare@socialstyrelsen.demo", "socialstyrelsen", auth.FollowUp, "Ingrid Uppföljare"},
	{"analytiker@socialdepartementet.demo", "socialdepartementet", auth.Analyst, "Nils Analytiker"},
	{"admin@narvard.demo", "kammarkollegiet", auth.Admin, "Admin Administratör"},
	{"granskare@narvard.demo", "kammarkollegiet", auth.Auditor, "Greta Granskare"},
}

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
	if err := seedRequisitions(ctx, a, users); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return a.SetSetting(ctx, seededKey, time.Now().UTC().Format(time.RFC3339))
}

// seedRequisitions walks some recipients part of the way: Stockholm's RSS
// is paid, Jämtland's region approved, SKR submitted and Jämtland's RSS a
// draft. Norrbotten has not begun, for the visitor to try.
func seedRequisitions(ctx context.Context, a *app.App, u map[string]auth.Actor) error {
	payer := u["utbetalare@kammarkollegiet.demo"]
	steps := []struct {
		officer, signatory string
		recipient          string
		until              grant.Status
	}{
		{"handlaggare@rss-stockholm.demo", "firmatecknare@rss-stockholm.demo", "rss-01", grant.Paid},
		{"handlaggare@jamtland.demo", "firmatecknare@jamtland.demo", "region-23", grant.Approved},
		{"firmatecknare@skr.demo", "firmatecknare@skr.demo", "skr", grant.Submitted},
		{"handlaggare@rss-jamtland.demo", "", "rss-23", grant.Draft},
	}
	for _, s := range steps {
		al, _ := a.Allocation("gnv-2023", s.recipient)
		r, err := a.CreateRequisition(ctx, u[s.officer], form(s.recipient, al.Total(), u[s.officer]))
		if err != nil {
			return err
		}
		if s.until == grant.Draft {
			continue
		}
		if r, err = a.SignRequisition(ctx, u[s.signatory], r.ID); err != nil {
			return err
		}
		if s.until == grant.Submitted {
			continue
		}
		if _, err = a.ApproveRequisition(ctx, payer, r.ID); err != nil {
			return err
		}
		if s.until == grant.Approved {
			continue
		}
		b, err := a.CreateBatch(ctx, payer, "gnv-2023", []string{r.ID})
		if err != nil {
			return err
		}
		if _, err := a.ConfirmBatch(ctx, payer, b.ID, time.Time{}); err != nil {
			return err
		}
	}
	return nil
}

func form(recipient string, amount money.Kr, who auth.Actor) grant.Form {
	return grant.Form{Agreement: "gnv-2023", Recipient: recipient, Amount: amount,
		PeriodFrom: "2023-01-01", PeriodTo: "2023-12-31",
		Account:          grant.Account{Type: "bankgiro", Number: "5050-1055"},
		PaymentReference: "GNV 2023 " + recipient,
		Contact:          grant.Contact{Name: who.Name, Email: who.Email, Phone: "010-123 45 67"},
		AgreementDnr:     "S2023/00417", PaymentDecisionDnr: "S2023/03102"}
}
