package alloc

import "narvard/internal/agreement"

// Inputs are the figures the keys work on: per county, per region for the
// rural key, and the VFU reports. FromAgreement gives an agreement's own.
type Inputs struct {
	Counties []County
	Rural    []Rural
	VFU      []VFUReport
}

// County is one county's figures.
type County struct {
	Code        string
	Lan         string
	Region      string
	Befolkning  int64
	KommunalHSV int64
}

// Rural is one region's figure for the rural key: either the published
// outcome used as a weight (Belopp) or the inhabitants of the three kinds
// of countryside (Counts set).
type Rural struct {
	Code        string
	Counts      bool
	Belopp      int64
	Tatortsnara int64
	Glesa       int64
	MycketGlesa int64
}

// VFUReport is one region's or municipality's VFU weeks: the agreement's
// base period as carried out and its current period as estimated
// (agreement.VFUPeriods).
type VFUReport struct {
	Code         string
	WeeksBase    int64
	WeeksCurrent int64
}

// Increase is the report's increase in weeks; negative for a decrease.
func (r VFUReport) Increase() int64 { return r.WeeksCurrent - r.WeeksBase }

// FromAgreement returns the input figures printed in the agreement. It has
// no VFU reports: those come from the recipients.
func FromAgreement(a *agreement.Agreement) Inputs {
	var in Inputs
	for _, c := range a.Counties {
		in.Counties = append(in.Counties, County{Code: c.Code, Lan: c.Lan, Region: c.Region,
			Befolkning: c.Befolkning, KommunalHSV: c.KommunalHSV})
		in.Rural = append(in.Rural, Rural{Code: c.Code, Belopp: c.LandsbygdKr})
	}
	return in
}

func (in *Inputs) county(code string) (County, bool) {
	for _, c := range in.Counties {
		if c.Code == code {
			return c, true
		}
	}
	return County{}, false
}
