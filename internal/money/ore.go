package money

import "fmt"

// Ore is an amount in öre, hundredths of a krona, for the files that bring
// öre (the bank's notifications, the recipients' books). The product's
// own amounts stay whole kronor; Kronor rounds a sum of öre once, at the
// end.
type Ore int64

// Kronor rounds to the nearest krona, half a krona away from zero (49 öre
// down, 50 öre up), the way Swedish accounts round.
func (o Ore) Kronor() Kr {
	kr, ore := o/100, o%100
	switch {
	case ore >= 50:
		kr++
	case ore <= -50:
		kr--
	}
	return Kr(kr)
}

// String writes öre as kronor with a decimal comma and grouped thousands:
// "-1 234,56".
func (o Ore) String() string {
	kr, ore := int64(o/100), int64(o%100)
	sign := ""
	if o < 0 {
		sign, kr, ore = "-", -kr, -ore
	}
	return fmt.Sprintf("%s%s,%02d", sign, Group(kr), ore)
}
