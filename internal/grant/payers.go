package grant

import (
	"slices"
	"strings"

	"narvard/internal/agreement"
	"narvard/internal/org"
)

// PayerOf returns the paying agency of the recipient's allocation under
// the agreement: the agency the agreement file names as the payer of its
// components. A requisition is paid from one agency's account, so an
// allocation whose components different agencies pay is refused
// (Conflict), as is one without components.
func PayerOf(ag *agreement.Agreement, al Allocation) (string, error) {
	var payers []string
	for _, c := range al.Components {
		for _, ac := range ag.Components {
			if ac.ID == c.ID && !slices.Contains(payers, ac.Payer) {
				payers = append(payers, ac.Payer)
			}
		}
	}
	switch len(payers) {
	case 1:
		return payers[0], nil
	case 0:
		return "", conflict("%s har inga komponenter att betala i %s.", al.Recipient, ag.ID)
	}
	names := make([]string, len(payers))
	for i, p := range payers {
		names[i] = org.AgencyName(p)
	}
	return "", conflict("%s:s tilldelning i %s betalas av flera myndigheter (%s); en rekvisition betalas från en myndighets konto.",
		al.Recipient, ag.ID, strings.Join(names, ", "))
}
