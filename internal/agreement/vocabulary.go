package agreement

// This file is the agreement files' vocabulary: the named types of the ids
// an agreement file uses, their known values, and the sets the loader
// checks every file against. It is the one place in Go that spells these
// ids; everything else names the constants, and captions, periods and
// amounts come from the files themselves.

// RecipientKind names a kind of recipient of a component.
type RecipientKind string

// The recipient kinds an agreement may pay.
const (
	Region       RecipientKind = "region"        // the 21 regions
	RSS          RecipientKind = "rss"           // the municipalities' money, paid per county to its RSS
	RegionKommun RecipientKind = "region_kommun" // regions and single municipalities (VFU)
	SKR          RecipientKind = "skr"           // Sveriges Kommuner och Regioner
)

// RecipientKinds are the valid recipient kinds.
var RecipientKinds = []RecipientKind{Region, RSS, RegionKommun, SKR}

var recipientNames = map[RecipientKind]string{
	Region:       "Regionerna",
	RSS:          "Kommunerna via RSS",
	RegionKommun: "Regioner och kommuner",
	SKR:          "SKR",
}

// Swedish names the recipient kind in Swedish, as the agreements do.
func (k RecipientKind) Swedish() string {
	if s, ok := recipientNames[k]; ok {
		return s
	}
	return string(k)
}

// Key names a part's apportionment key. The keys' algorithms are Go code
// (package alloc); which part uses which key is the agreement file's.
type Key string

// The keys an agreement may use.
const (
	KeyPopulation         Key = "population"           // share of the counties' population
	KeyMixed              Key = "mixed"                // weighted sum of shares of several figures
	KeyBasePlusPopulation Key = "base_plus_population" // a base amount each, the rest by population
	KeyRural              Key = "rural"                // the weighted rural key
	KeyVFUIncrease        Key = "vfu_increase"         // share of the total increase in VFU weeks
	KeyFixed              Key = "fixed"                // the whole amount to one recipient
)

// Keys are the valid keys.
var Keys = []Key{KeyPopulation, KeyMixed, KeyBasePlusPopulation, KeyRural, KeyVFUIncrease, KeyFixed}

var keyNames = map[Key]string{
	KeyPopulation:         "befolkningsandel",
	KeyMixed:              "blandad nyckel",
	KeyBasePlusPopulation: "grundbelopp per mottagare, resten efter befolkningsandel",
	KeyRural:              "viktad landsbygdsnyckel",
	KeyVFUIncrease:        "andel av den totala ökningen av VFU-veckor",
	KeyFixed:              "fast belopp",
}

// Swedish names the key in words people use.
func (k Key) Swedish() string {
	if s, ok := keyNames[k]; ok {
		return s
	}
	return string(k)
}

// MixFactors are the county figures a mixed key may weigh.
var MixFactors = []string{"befolkning", "kommunal_hsv"}

// DeadlineID names a dated duty of an agreement.
type DeadlineID string

// The deadlines an agreement may set.
const (
	DeadlineRequisition      DeadlineID = "requisition"        // last day to requisition; the right lapses after it
	DeadlineFinancialReport  DeadlineID = "financial_report"   // the financial report to the payer
	DeadlineRepayment        DeadlineID = "repayment"          // unspent money repaid to the payer
	DeadlineVFUReport        DeadlineID = "vfu_report"         // the VFU weeks reported to Socialstyrelsen
	DeadlineQuestionTemplate DeadlineID = "question_template"  // Socialstyrelsen's questions for the activity reports
	DeadlineSKRInterimReport DeadlineID = "skr_interim_report" // SKR's interim report to the Government Offices
	DeadlineActivityReport   DeadlineID = "activity_report"    // the activity reports
)

// DeadlineIDs are the valid deadline ids.
var DeadlineIDs = []DeadlineID{DeadlineRequisition, DeadlineFinancialReport, DeadlineRepayment,
	DeadlineVFUReport, DeadlineQuestionTemplate, DeadlineSKRInterimReport, DeadlineActivityReport}

// RequiredDeadlines are the deadlines every agreement with components must
// set: the product tracks them for every recipient (the right to the grant
// lapses, reports are due, money is reclaimed), so without them it could not
// say where a recipient stands.
var RequiredDeadlines = []DeadlineID{DeadlineRequisition, DeadlineFinancialReport, DeadlineRepayment}

// TableID names an allocation table. The file says which tables an
// agreement offers, which components or part each shows and its captions;
// the ids are a fixed set because each table's rows come from a kind of
// input the code reads (lan.csv, landsbygd.csv, vfu.csv).
type TableID string

// The allocation tables an agreement may offer.
const (
	TableRegioner  TableID = "regioner"  // the regions' components, per county
	TableKommuner  TableID = "kommuner"  // the municipalities' components, per county (paid to the RSS)
	TableLandsbygd TableID = "landsbygd" // one part apportioned by the rural key, per region
	TableVFU       TableID = "vfu"       // the VFU component, per reporting region or municipality
)

// TableIDs are the valid table ids, in the order people expect them.
var TableIDs = []TableID{TableRegioner, TableKommuner, TableLandsbygd, TableVFU}

// Binding names which amounts of an allocation table bind: what a
// recipient is entitled to, may requisition and is posted to the ledger.
type Binding string

// The bases a table's binding amounts may have.
const (
	// BindingPublished: the signed annex's cells ([[published]]) bind,
	// errors included; the exact computation is the check on them.
	BindingPublished Binding = "published"
	// BindingComputed: the exact computation from the key binds (the VFU
	// money, which follows the recipients' reports).
	BindingComputed Binding = "computed"
)

// Bindings are the valid bases.
var Bindings = []Binding{BindingPublished, BindingComputed}

var bindingNames = map[Binding]string{
	BindingPublished: "enligt bilaga",
	BindingComputed:  "beräknat enligt nyckeln",
}

// Swedish says in words what the amounts are.
func (b Binding) Swedish() string {
	if s, ok := bindingNames[b]; ok {
		return s
	}
	return string(b)
}
