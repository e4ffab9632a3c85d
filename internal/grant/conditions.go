package grant

import (
	"narvard/internal/agreement"
	"narvard/internal/org"
)

// RecipientKinds are the agreement's recipient kinds an organisation is
// one of: a region receives the regions' money and reports VFU, an RSS the
// municipalities' money, a municipality its VFU money, SKR its own; other
// organisations none.
func RecipientKinds(orgID string) []agreement.RecipientKind {
	kind, _, ok := org.Parse(orgID)
	switch {
	case ok && kind == org.KindRegion:
		return []agreement.RecipientKind{agreement.Region, agreement.RegionKommun}
	case ok && kind == org.KindRSS:
		return []agreement.RecipientKind{agreement.RSS}
	case ok && kind == org.KindKommun:
		return []agreement.RecipientKind{agreement.RegionKommun}
	case orgID == org.SKR:
		return []agreement.RecipientKind{agreement.SKR}
	}
	return nil
}
