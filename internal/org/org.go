// Package org knows the organisations that take part in the grants:
// recipients (regions, RSS, municipalities, SKR) and agencies
// (Kammarkollegiet, Socialstyrelsen, Socialdepartementet). Their ids are
// used in URLs and files: region-01 … region-25, rss-01 … rss-25,
// kommun-0114, skr.
package org

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"

	"narvard/internal/agreement"
	"narvard/internal/geo"
)

// Kinds of organisation.
const (
	KindRegion   = "region"
	KindRSS      = "rss"
	KindKommun   = "kommun"
	KindSKR      = "skr"
	KindAgency   = "myndighet"
	KindMinistry = "departement"
)

// Well-known organisation ids.
const (
	SKR                 = "skr"
	Kammarkollegiet     = "kammarkollegiet"
	Socialstyrelsen     = "socialstyrelsen"
	Socialdepartementet = "socialdepartementet"
)

// Organisation is one organisation. An RSS (regional samverkans- och
// stödstruktur) is hosted by another organisation, typically a
// kommunförbund or the region; its name, host and org nr are kept by an
// admin.
type Organisation struct {
	ID      string
	Kind    string
	Name    string
	OrgNr   string // NNNNNN-NNNN, empty when not known yet
	County  string // two-digit county code for regions, RSS and municipalities
	Host    string // for an RSS: the hosting organisation's name
	Address string // postal address, as Bilaga 1 asks for it
	// Account is a paying agency's own account, the debtor of its payment
	// files; empty until an admin sets it.
	Account Account
}

// Account is a paying agency's own account: a bankgiro number, or an
// account at a bank by its IBAN and the bank's BIC.
type Account struct {
	Type   string `json:"type"`   // AccountBankgiro or AccountIBAN; "" when none is set
	Number string `json:"number"` // the bankgiro number or the IBAN
	BIC    string `json:"bic"`    // the bank's BIC, for an IBAN
}

// The kinds of a paying agency's account.
const (
	AccountBankgiro = "bankgiro"
	AccountIBAN     = "iban"
)

// IsSet reports whether an account has been given.
func (a Account) IsSet() bool { return a.Type != "" && a.Number != "" }

// String shows the account as people read it: "bankgiro 123-4566",
// "IBAN SE45… (BIC ESSESESS)", or "" when none is set.
func (a Account) String() string {
	switch {
	case !a.IsSet():
		return ""
	case a.Type == AccountIBAN:
		return "IBAN " + a.Number + " (BIC " + a.BIC + ")"
	}
	return a.Type + " " + a.Number
}

// PayingAgencies are the organisations that pay the grants' components
// from their own accounts.
var PayingAgencies = []string{Kammarkollegiet, Socialstyrelsen}

// IsPayingAgency reports whether the organisation pays grants.
func IsPayingAgency(id string) bool { return id == Kammarkollegiet || id == Socialstyrelsen }

// AgencyName is a paying agency's name for messages, before any lookup:
// "Kammarkollegiet" for kammarkollegiet; other ids are returned as they are.
func AgencyName(id string) string {
	switch id {
	case Kammarkollegiet:
		return "Kammarkollegiet"
	case Socialstyrelsen:
		return "Socialstyrelsen"
	case Socialdepartementet:
		return "Socialdepartementet"
	}
	return id
}

//go:embed orgs.csv
var orgsCSV string

// RegionID returns the recipient id of a county's region.
func RegionID(county string) string { return "region-" + county }

// RSSID returns the recipient id of a county's RSS.
func RSSID(county string) string { return "rss-" + county }

// KommunID returns the recipient id of a municipality.
func KommunID(code string) string { return "kommun-" + code }

// CountyOf returns the county of a region, an RSS or a municipality (a
// municipality's code begins with its county's), or "" for others.
func CountyOf(id string) string {
	kind, code, ok := Parse(id)
	switch {
	case !ok || code == "":
		return ""
	case kind == KindKommun:
		return code[:2]
	}
	return code
}

// Parse splits a recipient id into its kind and code: "region-25" gives
// ("region", "25"); "skr" gives ("skr", "").
func Parse(id string) (kind, code string, ok bool) {
	if id == SKR {
		return KindSKR, "", true
	}
	kind, code, found := strings.Cut(id, "-")
	if !found {
		return "", "", false
	}
	switch {
	case (kind == KindRegion || kind == KindRSS) && len(code) == 2,
		kind == KindKommun && len(code) == 4:
		return kind, code, true
	}
	return "", "", false
}

// Seed returns the organisations the product starts with: every region,
// RSS and municipality of the agreement's counties, SKR and the agencies.
func Seed(a *agreement.Agreement) ([]Organisation, error) {
	nrs, err := orgNumbers()
	if err != nil {
		return nil, err
	}
	var out []Organisation
	for _, c := range a.Counties {
		id := RegionID(c.Code)
		out = append(out, Organisation{ID: id, Kind: KindRegion, Name: c.Region, OrgNr: nrs[id], County: c.Code})
		out = append(out, Organisation{ID: RSSID(c.Code), Kind: KindRSS, Name: "RSS " + c.Lan, County: c.Code})
	}
	for _, m := range geo.Municipalities() {
		out = append(out, Organisation{ID: KommunID(m.Code), Kind: KindKommun, Name: m.Name + " kommun", County: m.County})
	}
	out = append(out,
		Organisation{ID: SKR, Kind: KindSKR, Name: "Sveriges Kommuner och Regioner", OrgNr: nrs[SKR]},
		Organisation{ID: Kammarkollegiet, Kind: KindAgency, Name: "Kammarkollegiet", OrgNr: nrs[Kammarkollegiet]},
		Organisation{ID: Socialstyrelsen, Kind: KindAgency, Name: "Socialstyrelsen", OrgNr: nrs[Socialstyrelsen]},
		Organisation{ID: Socialdepartementet, Kind: KindMinistry, Name: "Regeringskansliet, Socialdepartementet"},
	)
	return out, nil
}

func orgNumbers() (map[string]string, error) {
	rows, err := csv.NewReader(strings.NewReader(orgsCSV)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("orgs.csv: %w", err)
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		out[r[0]] = r[2]
	}
	return out, nil
}
