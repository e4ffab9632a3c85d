package grant

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"

	"narvard/internal/agreement"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant/granttest"
	"narvard/internal/org"
	"narvard/internal/payment"
)

// roles is shorthand for a set of roles in the tests below.
func roles(rs ...auth.Role) []auth.Role { return rs }

var readers = granttest.Readers

// ruleChecks calls each rule of access.go for an actor, about the
// organisation own (a recipient or a paying agency, as the table's Of
// says).
var ruleChecks = map[string]func(a auth.Actor, own string) error{
	"CanDraft":                 func(a auth.Actor, own string) error { return CanDraft(a, own) },
	"CanWriteReport":           func(a auth.Actor, own string) error { return CanWriteReport(a, own) },
	"CanSign":                  func(a auth.Actor, own string) error { return CanSign(a, own) },
	"CanReview":                func(a auth.Actor, own string) error { return CanReview(a, own) },
	"CanReportVFU":             func(a auth.Actor, own string) error { return CanReportVFU(a, own) },
	"CanSignVFU":               func(a auth.Actor, own string) error { return CanSignVFU(a, own) },
	"CanReadVFU":               func(a auth.Actor, own string) error { return CanReadVFU(a, own) },
	"CanReviewVFU":             func(a auth.Actor, own string) error { return CanReviewVFU(a, own) },
	"CanWriteActivityReport":   func(a auth.Actor, own string) error { return CanWriteActivityReport(a, own) },
	"CanReceiveActivityReport": func(a auth.Actor, own string) error { return CanReceiveActivityReport(a, own) },
	"CanPublishTemplate":       func(a auth.Actor, own string) error { return CanPublishTemplate(a, own) },
	"CanRunSurvey":             func(a auth.Actor, own string) error { return CanRunSurvey(a, own) },
	"CanAnswerSurvey":          func(a auth.Actor, own string) error { return CanAnswerSurvey(a, own) },
	"CanDecide":                func(a auth.Actor, _ string) error { return CanDecide(a) },
	"CanDecideFor":             func(a auth.Actor, own string) error { return CanDecideFor(a, own) },
	"CanPay":                   func(a auth.Actor, own string) error { return CanPay(a, own) },
	"CanAttest": func(a auth.Actor, own string) error {
		return CanAttest(a, payment.Batch{ID: "B-1", Payer: own, CreatedBy: "maker@kk.se"})
	},
	"CanRead":                func(a auth.Actor, own string) error { return CanRead(a, own) },
	"ListScope":              func(a auth.Actor, own string) error { _, err := ListScope(a, own); return err },
	"CanReadAll":             func(a auth.Actor, _ string) error { return CanReadAll(a) },
	"CanReadPaymentFile":     func(a auth.Actor, _ string) error { return CanReadPaymentFile(a) },
	"CanManageOrganisations": func(a auth.Actor, _ string) error { return CanManageOrganisations(a) },
	"CanListUsers":           func(a auth.Actor, _ string) error { return CanListUsers(a) },
	"CanManageUsers":         func(a auth.Actor, _ string) error { return CanManageUsers(a) },
	"CanManageMail":          func(a auth.Actor, _ string) error { return CanManageMail(a) },
	"CanReadAuditLog":        func(a auth.Actor, _ string) error { return CanReadAuditLog(a) },
	// Another user's account (the actor is user 7); TestOwnAccount has the
	// actor's own.
	"CanManageAccount":     func(a auth.Actor, _ string) error { return CanManageAccount(a, 8) },
	"CanFollowUp":          func(a auth.Actor, _ string) error { return CanFollowUp(a) },
	"CanSeeJob":            func(a auth.Actor, _ string) error { return CanSeeJob(a, 99) }, // started by user 99
	"CanSeeFollowUpRun":    func(a auth.Actor, own string) error { return CanSeeFollowUpRun(a, own) },
	"CanDeleteFollowUpRun": func(a auth.Actor, _ string) error { return CanDeleteFollowUpRun(a, 99) }, // made by user 99
	"CanDraftOnward":       func(a auth.Actor, own string) error { return CanDraftOnward(a, own) },
	"CanDecideOnward":      func(a auth.Actor, own string) error { return CanDecideOnward(a, own) },
	"CanPayOnward":         func(a auth.Actor, own string) error { return CanPayOnward(a, own) },
	"CanReadOnward":        func(a auth.Actor, own string) error { return CanReadOnward(a, own) },
	// About the RSS: asked of a municipality of its county.
	"CanReadMunicipalReport":   func(a auth.Actor, own string) error { return CanReadMunicipalReport(a, kommunOf(own)) },
	"CanReviewMunicipalReport": func(a auth.Actor, own string) error { return CanReviewMunicipalReport(a, kommunOf(own)) },
	"CanRequestDocuments":      func(a auth.Actor, _ string) error { return CanRequestDocuments(a) },
	"CanCloseDocumentRequest": func(a auth.Actor, own string) error {
		return CanCloseDocumentRequest(a, DocRequest{ID: "U-1", RequesterOrg: own})
	},
	"CanAnswerDocumentRequest": func(a auth.Actor, own string) error { return CanAnswerDocumentRequest(a, own) },
	"CanReadDocumentRequest":   func(a auth.Actor, own string) error { return CanReadDocumentRequest(a, own) },
	"CanDraftPlan":             func(a auth.Actor, own string) error { return CanDraftPlan(a, own) },
	"CanDecidePlan":            func(a auth.Actor, own string) error { return CanDecidePlan(a, own) },
	"CanImportOutcome":         func(a auth.Actor, own string) error { return CanImportOutcome(a, own) },
}

// TestAccessTable checks every rule for every role, acting for the
// organisation the rule is about and for another one, against the one
// table of who may do what (package granttest, which the route tests of
// internal/api and internal/web share). The table is the specification:
// opening or closing any rule for any role fails here.
func TestAccessTable(t *testing.T) {
	for _, name := range granttest.Names() {
		rule := granttest.Rules[name]
		check, ok := ruleChecks[name]
		if name == "SignedIn" {
			continue // no function: every signed-in user
		}
		if !ok {
			t.Errorf("the table's rule %s has no check here", name)
			continue
		}
		own, other := "region-25", "region-24"
		if rule.Of == granttest.OfAgency {
			own, other = org.Kammarkollegiet, org.Socialstyrelsen
		}
		if rule.Of == granttest.OfRSS {
			own, other = "rss-25", "rss-24"
		}
		if rule.Of == granttest.OfRequester {
			own, other = org.Socialdepartementet, org.Kammarkollegiet
		}
		for _, role := range auth.Roles {
			for _, o := range []string{own, other} {
				a := auth.Actor{UserID: 7, Email: "x@example.se", Org: o, Role: role}
				want := rule.Allows(role, o == own)
				err := check(a, own)
				if got := err == nil; got != want {
					t.Errorf("%s(%s of %s) allowed = %v, want %v", name, role, o, got, want)
				}
				if c := fault.CodeOf(err); err != nil && c != fault.Forbidden && c != fault.NotFound {
					t.Errorf("%s(%s of %s): code %q, want forbidden", name, role, o, c)
				}
			}
		}
	}
}

// TestEveryRuleIsInTheTable: every exported function of access.go that
// answers who may do what has its row in granttest's table.
func TestEveryRuleIsInTheTable(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "access.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || !fn.Name.IsExported() || fn.Name.Name == "CanHoldRole" {
			continue // CanHoldRole is about users, with TestRoleHomeTable
		}
		if _, ok := granttest.Rules[fn.Name.Name]; !ok {
			t.Errorf("%s is not in granttest.Rules", fn.Name.Name)
		}
		if _, ok := ruleChecks[fn.Name.Name]; !ok {
			t.Errorf("%s has no check in ruleChecks", fn.Name.Name)
		}
	}
}

// TestNoOrganisationActsForNone: an actor without an organisation acts for
// no recipient, not even the empty one.
func TestNoOrganisationActsForNone(t *testing.T) {
	for _, role := range []auth.Role{auth.RecipientOfficer, auth.Signatory, auth.CFO} {
		a := auth.Actor{Role: role}
		if CanDraft(a, "") == nil || CanSign(a, "") == nil || CanReview(a, "") == nil || CanWriteReport(a, "") == nil {
			t.Errorf("%s without an organisation acts for the empty recipient", role)
		}
	}
}

func TestListScope(t *testing.T) {
	tests := []struct {
		actor     auth.Actor
		asked     string
		want      string
		forbidden bool
	}{
		{auth.Actor{Org: "region-25", Role: auth.RecipientOfficer}, "", "region-25", false},
		{auth.Actor{Org: "region-25", Role: auth.CFO}, "region-25", "region-25", false},
		{auth.Actor{Org: "region-25", Role: auth.Signatory}, "region-24", "", true},
		{auth.Actor{Org: "kammarkollegiet", Role: auth.Payer}, "", "", false},
		{auth.Actor{Org: "kammarkollegiet", Role: auth.Payer}, "region-24", "region-24", false},
		{auth.Actor{Org: "socialdepartementet", Role: auth.Analyst}, "", "", false},
	}
	for _, tt := range tests {
		got, err := ListScope(tt.actor, tt.asked)
		if (err != nil) != tt.forbidden || got != tt.want {
			t.Errorf("ListScope(%s of %s, %q) = %q, %v; want %q, forbidden %v", tt.actor.Role, tt.actor.Org, tt.asked, got, err, tt.want, tt.forbidden)
		}
	}
}

// TestPaymentRules: a batch is made and confirmed by a payer of the
// agency that pays it, and attested by another payer of the same agency,
// never by its maker; every other role and organisation is refused.
func TestPaymentRules(t *testing.T) {
	batch := payment.Batch{ID: "B-1", Payer: org.Kammarkollegiet, CreatedBy: "maker@kammarkollegiet.se"}
	tests := []struct {
		who         string
		actor       auth.Actor
		pay, attest bool
	}{
		{"the maker", auth.Actor{Email: "maker@kammarkollegiet.se", Org: org.Kammarkollegiet, Role: auth.Payer}, true, false},
		{"another payer of the agency", auth.Actor{Email: "second@kammarkollegiet.se", Org: org.Kammarkollegiet, Role: auth.Payer}, true, true},
		{"a payer of another agency", auth.Actor{Email: "payer@socialstyrelsen.se", Org: org.Socialstyrelsen, Role: auth.Payer}, false, false},
		{"the agency's analyst", auth.Actor{Email: "analys@kammarkollegiet.se", Org: org.Kammarkollegiet, Role: auth.Analyst}, false, false},
		{"the agency's admin", auth.Actor{Email: "admin@kammarkollegiet.se", Org: org.Kammarkollegiet, Role: auth.Admin}, false, false},
		{"the agency's auditor", auth.Actor{Email: "granskare@kammarkollegiet.se", Org: org.Kammarkollegiet, Role: auth.Auditor}, false, false},
		{"a payer without an organisation", auth.Actor{Email: "x@example.se", Role: auth.Payer}, false, false},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			rule string
			err  error
			want bool
		}{{"CanPay", CanPay(tt.actor, org.Kammarkollegiet), tt.pay}, {"CanAttest", CanAttest(tt.actor, batch), tt.attest}} {
			if (c.err == nil) != c.want {
				t.Errorf("%s(%s) = %v, want allowed %v", c.rule, tt.who, c.err, c.want)
			}
			if c.err != nil && fault.CodeOf(c.err) != fault.Forbidden {
				t.Errorf("%s(%s): code %q, want forbidden", c.rule, tt.who, fault.CodeOf(c.err))
			}
		}
	}
	sos := auth.Actor{Email: "payer@socialstyrelsen.se", Org: org.Socialstyrelsen, Role: auth.Payer}
	if CanPay(sos, org.Socialstyrelsen) != nil {
		t.Error("Socialstyrelsen's payer may not pay what Socialstyrelsen pays")
	}
	if CanPay(auth.Actor{Org: "region-25", Role: auth.Payer}, "region-25") == nil {
		t.Error("a region pays as an agency")
	}
	if err := CanAttest(tests[0].actor, batch); err == nil || !strings.Contains(err.Error(), "själv") {
		t.Errorf("the maker's refusal should say why: %v", err)
	}
}

func TestCanSeeJob(t *testing.T) {
	owner := auth.Actor{UserID: 3, Role: auth.Analyst}
	for _, tt := range []struct {
		actor auth.Actor
		ok    bool
	}{
		{owner, true},
		{auth.Actor{UserID: 4, Role: auth.Analyst}, false},
		{auth.Actor{UserID: 5, Role: auth.FollowUp}, false},
		{auth.Actor{UserID: 6, Role: auth.Auditor}, false},
		{auth.Actor{UserID: 9, Role: auth.Admin}, true},
	} {
		if err := CanSeeJob(tt.actor, owner.UserID); (err == nil) != tt.ok {
			t.Errorf("CanSeeJob(%d %s) = %v, want ok %v", tt.actor.UserID, tt.actor.Role, err, tt.ok)
		}
	}
}

// The organisations of TestRoleHomeTable, one of each kind, and the
// agencies one by one: they differ in which roles they hold.
var (
	atRegion      = org.Organisation{ID: "region-25", Kind: org.KindRegion, Name: "Region Norrbotten", County: "25"}
	atRSS         = org.Organisation{ID: "rss-25", Kind: org.KindRSS, Name: "RSS Norrbottens län", County: "25", Host: "Norrbottens kommunförbund"}
	atKommun      = org.Organisation{ID: "kommun-2580", Kind: org.KindKommun, Name: "Luleå kommun", County: "25"}
	atSKR         = org.Organisation{ID: org.SKR, Kind: org.KindSKR, Name: "Sveriges Kommuner och Regioner"}
	atKK          = org.Organisation{ID: org.Kammarkollegiet, Kind: org.KindAgency, Name: "Kammarkollegiet"}
	atSoS         = org.Organisation{ID: org.Socialstyrelsen, Kind: org.KindAgency, Name: "Socialstyrelsen"}
	atMinistry    = org.Organisation{ID: org.Socialdepartementet, Kind: org.KindMinistry, Name: "Regeringskansliet, Socialdepartementet"}
	atAgency      = org.Organisation{ID: "vardanalys", Kind: org.KindAgency, Name: "Vårdanalys"} // an agency that neither pays nor follows up
	roleOrgs      = []org.Organisation{atRegion, atRSS, atKommun, atSKR, atKK, atSoS, atMinistry, atAgency}
	recipientOrgs = []org.Organisation{atRegion, atRSS, atKommun, atSKR}
	homeOfRoles   = map[auth.Role][]org.Organisation{
		auth.RecipientOfficer: recipientOrgs,
		auth.Signatory:        recipientOrgs,
		auth.CFO:              recipientOrgs,
		auth.Payer:            {atKK, atSoS},
		auth.FollowUp:         {atSoS, atMinistry},
		auth.Analyst:          {atSKR, atMinistry, atSoS, atKK},
		auth.Auditor:          roleOrgs,
		auth.Admin:            roleOrgs,
	}
)

// TestRoleHomeTable checks every role in every kind of organisation
// against the table above, the specification of where a role may be held:
// opening or closing any cell fails here.
func TestRoleHomeTable(t *testing.T) {
	if len(homeOfRoles) != len(auth.Roles) {
		t.Fatalf("the table has %d roles, auth.Roles %d", len(homeOfRoles), len(auth.Roles))
	}
	for _, role := range auth.Roles {
		allowed, ok := homeOfRoles[role]
		if !ok {
			t.Errorf("role %s is missing from the table", role)
		}
		for _, o := range roleOrgs {
			want := slices.ContainsFunc(allowed, func(x org.Organisation) bool { return x.ID == o.ID })
			err := CanHoldRole(role, o)
			if got := err == nil; got != want {
				t.Errorf("CanHoldRole(%s, %s) allowed = %v, want %v", role, o.ID, got, want)
			}
			if err == nil {
				continue
			}
			if fault.CodeOf(err) != fault.Forbidden {
				t.Errorf("CanHoldRole(%s, %s): code %q, want forbidden", role, o.ID, fault.CodeOf(err))
			}
			if msg := err.Error(); !strings.Contains(msg, role.Swedish()) || !strings.Contains(msg, string(role)) || !strings.Contains(msg, o.Name) {
				t.Errorf("CanHoldRole(%s, %s) = %q: should name the role and the organisation", role, o.ID, msg)
			}
		}
	}
	if CanHoldRole("kassör", atKK) == nil {
		t.Error("an unknown role is allowed")
	}
	if CanHoldRole(auth.Admin, org.Organisation{}) == nil {
		t.Error("a role without an organisation is allowed")
	}
}

// TestRoleHomeTableCoversSeed: every organisation the product starts with
// is of a kind the table above has a column for, and each agency with its
// own column is one the product knows.
func TestRoleHomeTableCoversSeed(t *testing.T) {
	a, err := agreement.Builtin().Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	seed, err := org.Seed(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range seed {
		covered := slices.ContainsFunc(roleOrgs, func(x org.Organisation) bool {
			return x.Kind == o.Kind && (x.ID == o.ID || o.Kind == org.KindRegion || o.Kind == org.KindRSS || o.Kind == org.KindKommun)
		})
		if !covered {
			t.Errorf("%s (%s) has no column in the role table", o.ID, o.Kind)
		}
	}
}

// TestOwnAccount: every user manages its own account's sessions and
// tokens; an actor without a user id owns no account.
func TestOwnAccount(t *testing.T) {
	for _, role := range auth.Roles {
		if err := CanManageAccount(auth.Actor{UserID: 7, Org: "region-24", Role: role}, 7); err != nil {
			t.Errorf("%s may not manage its own account: %v", role, err)
		}
		if role != auth.Admin && CanManageAccount(auth.Actor{Org: "region-24", Role: role}, 0) == nil {
			t.Errorf("%s without a user id manages the account 0", role)
		}
	}
}

// TestOnwardRules: the people of the RSS's county's municipalities read
// its onward decisions, and only read them; another county's do not.
func TestOnwardRules(t *testing.T) {
	for _, role := range []auth.Role{auth.RecipientOfficer, auth.Signatory, auth.CFO} {
		own := auth.Actor{Org: "kommun-2380", Role: role}
		if err := CanReadOnward(own, "rss-23"); err != nil {
			t.Errorf("%s of Östersund may not read Jämtland's RSS's decision: %v", role, err)
		}
		if CanReadOnward(auth.Actor{Org: "kommun-2580", Role: role}, "rss-23") == nil {
			t.Errorf("%s of Luleå reads Jämtland's RSS's decision", role)
		}
		if CanDraftOnward(own, "rss-23") == nil || CanDecideOnward(own, "rss-23") == nil || CanPayOnward(own, "rss-23") == nil {
			t.Errorf("%s of Östersund acts for Jämtland's RSS", role)
		}
	}
	if isKommunOf("region-23", "rss-23") || !isKommunOf("kommun-2380", "rss-23") || isKommunOf("", "") {
		t.Error("isKommunOf")
	}
}

// TestVFUCoordination: the RSS of a municipality's county reports (its
// officer) and signs (its signatory) the municipality's VFU report, and
// sees it; another county's RSS does not, nor does an RSS for a region.
func TestVFUCoordination(t *testing.T) {
	officer := auth.Actor{Org: "rss-25", Role: auth.RecipientOfficer}
	signatory := auth.Actor{Org: "rss-25", Role: auth.Signatory}
	cfo := auth.Actor{Org: "rss-25", Role: auth.CFO}
	if CanReportVFU(officer, "kommun-2510") != nil || CanSignVFU(signatory, "kommun-2510") != nil || CanReadVFU(cfo, "kommun-2510") != nil {
		t.Error("the county's RSS may report, sign and see its municipality's VFU report")
	}
	if CanSignVFU(officer, "kommun-2510") == nil || CanReportVFU(cfo, "kommun-2510") == nil {
		t.Error("the RSS's officer signs or its CFO reports")
	}
	other := auth.Actor{Org: "rss-24", Role: auth.RecipientOfficer}
	if CanReportVFU(other, "kommun-2510") == nil || CanReadVFU(other, "kommun-2510") == nil {
		t.Error("another county's RSS reports for the municipality")
	}
	if CanReportVFU(officer, "region-25") == nil || CanSignVFU(signatory, "region-25") == nil {
		t.Error("the RSS reports for the region")
	}
	if CoordinatingRSS("kommun-2510") != "rss-25" || CoordinatingRSS("region-25") != "" {
		t.Error("CoordinatingRSS")
	}
}

// kommunOf is a municipality of the RSS's county (rss-25: Jokkmokk,
// rss-24: Umeå).
func kommunOf(rss string) string {
	return map[string]string{"rss-25": "kommun-2510", "rss-24": "kommun-2480", "rss-23": "kommun-2380"}[rss]
}

// TestMunicipalReportRules: a municipality's own people read its report to
// the RSS, another county's municipality does not; the RSS of its county
// reviews it, the municipality itself and another RSS do not; the
// municipality writes (CanWriteReport) and signs (CanSign) it, its RSS
// does not.
func TestMunicipalReportRules(t *testing.T) {
	for _, role := range roles(auth.RecipientOfficer, auth.Signatory, auth.CFO) {
		own := auth.Actor{Org: "kommun-2510", Role: role}
		if CanReadMunicipalReport(own, "kommun-2510") != nil {
			t.Errorf("%s of Jokkmokk cannot read its own report", role)
		}
		if CanReadMunicipalReport(auth.Actor{Org: "kommun-2514", Role: role}, "kommun-2510") == nil {
			t.Errorf("%s of Kalix reads Jokkmokk's report", role)
		}
		if CanReviewMunicipalReport(own, "kommun-2510") == nil {
			t.Errorf("%s of Jokkmokk reviews its own report", role)
		}
		rss := auth.Actor{Org: "rss-25", Role: role}
		if CanWriteReport(rss, "kommun-2510") == nil || CanSign(rss, "kommun-2510") == nil {
			t.Errorf("%s of the RSS writes or signs Jokkmokk's report", role)
		}
		if CanReviewMunicipalReport(auth.Actor{Org: "rss-24", Role: role}, "kommun-2510") == nil {
			t.Errorf("%s of another county's RSS reviews Jokkmokk's report", role)
		}
	}
	if CanReviewMunicipalReport(auth.Actor{Org: "rss-25", Role: auth.RecipientOfficer}, "region-25") == nil {
		t.Error("an RSS reviews a region's report")
	}
}
