package alloc

import (
	"errors"
	"fmt"
	"math/big"

	"narvard/internal/agreement"
	"narvard/internal/money"
)

// A keyed share is a Share with a Swedish sentence on what its weight is.
type keyed struct {
	Share
	Basis string
}

// apportion splits one part of a component among the recipients by the
// part's key.
func apportion(a *agreement.Agreement, p agreement.Part, in *Inputs) ([]keyed, error) {
	switch p.Key {
	case agreement.KeyPopulation:
		return byClaims(p.Amount, populationClaims(in))
	case agreement.KeyMixed:
		return byClaims(p.Amount, mixedClaims(p.Mix, in))
	case agreement.KeyBasePlusPopulation:
		return basePlusPopulation(p.Amount, p.Base, in)
	case agreement.KeyRural:
		return byClaims(p.Amount, ruralClaims(a.RuralWeights, in))
	case agreement.KeyVFUIncrease:
		return byClaims(p.Amount, vfuClaims(in))
	case agreement.KeyFixed:
		return byClaims(p.Amount, []basisClaim{{Claim{p.To, big.NewRat(1, 1)}, "fast belopp"}})
	}
	return nil, fmt.Errorf("okänd nyckel %q", p.Key)
}

type basisClaim struct {
	Claim
	Basis string
}

func byClaims(amount money.Kr, cs []basisClaim) ([]keyed, error) {
	claims := make([]Claim, len(cs))
	basis := make(map[string]string, len(cs))
	for i, c := range cs {
		claims[i] = c.Claim
		basis[c.Code] = c.Basis
	}
	shares, err := LargestRemainder(amount, claims)
	if err != nil {
		return nil, err
	}
	out := make([]keyed, len(shares))
	for i, s := range shares {
		out[i] = keyed{s, basis[s.Code]}
	}
	return out, nil
}

func sumOf(in *Inputs, f func(County) int64) int64 {
	var s int64
	for _, c := range in.Counties {
		s += f(c)
	}
	return s
}

func befolkning(c County) int64  { return c.Befolkning }
func kommunalHSV(c County) int64 { return c.KommunalHSV }

// populationClaims weights each county by its population.
func populationClaims(in *Inputs) []basisClaim {
	total := sumOf(in, befolkning)
	out := make([]basisClaim, len(in.Counties))
	for i, c := range in.Counties {
		out[i] = basisClaim{Claim{c.Code, big.NewRat(c.Befolkning, 1)},
			fmt.Sprintf("befolkning %s av %s", money.Group(c.Befolkning), money.Group(total))}
	}
	return out
}

var factorNames = map[string]string{"befolkning": "befolkning", "kommunal_hsv": "individer med kommunal hälso- och sjukvård"}

// mixedClaims weights each county by a weighted sum of its shares of several
// figures: with 1/2 befolkning and 1/2 kommunal_hsv, Stockholm's weight is
// 1/2 × 2437158/10514719 + 1/2 × 23926/404637. A figure whose total is zero
// contributes nothing.
func mixedClaims(mix []agreement.MixTerm, in *Inputs) []basisClaim {
	out := make([]basisClaim, len(in.Counties))
	for i, c := range in.Counties {
		w := new(big.Rat)
		var basis string
		for j, m := range mix {
			f := befolkning
			if m.Factor == "kommunal_hsv" {
				f = kommunalHSV
			}
			total := sumOf(in, f)
			if j > 0 {
				basis += " + "
			}
			basis += fmt.Sprintf("%s × %s %s av %s", m.Weight, factorNames[m.Factor], money.Group(f(c)), money.Group(total))
			if total == 0 {
				continue
			}
			term := new(big.Rat).Mul(m.Rat(), big.NewRat(f(c), total))
			w.Add(w, term)
		}
		out[i] = basisClaim{Claim{c.Code, w}, basis}
	}
	return out
}

// ruralClaims weights each region by the rural key: either its published
// outcome or its weighted inhabitants of the countryside.
func ruralClaims(rw agreement.RuralWeights, in *Inputs) []basisClaim {
	weight := func(r Rural) int64 {
		if !r.Counts {
			return r.Belopp
		}
		return rw.Tatortsnara*r.Tatortsnara + rw.Glesa*r.Glesa + rw.MycketGlesa*r.MycketGlesa
	}
	var total int64
	for _, r := range in.Rural {
		total += weight(r)
	}
	out := make([]basisClaim, len(in.Rural))
	for i, r := range in.Rural {
		basis := fmt.Sprintf("landsbygdsnyckelns utfall %s av %s", money.Group(r.Belopp), money.Group(total))
		if r.Counts {
			basis = fmt.Sprintf("viktade landsbygdsinvånare %d×%s + %d×%s + %d×%s = %s av %s",
				rw.Tatortsnara, money.Group(r.Tatortsnara), rw.Glesa, money.Group(r.Glesa),
				rw.MycketGlesa, money.Group(r.MycketGlesa), money.Group(weight(r)), money.Group(total))
		}
		out[i] = basisClaim{Claim{r.Code, big.NewRat(weight(r), 1)}, basis}
	}
	return out
}

// vfuClaims weights each reporting region or municipality by its increase
// in VFU weeks; those who do not increase weigh nothing.
func vfuClaims(in *Inputs) []basisClaim {
	var total int64
	for _, r := range in.VFU {
		total += max(r.Increase(), 0)
	}
	out := make([]basisClaim, len(in.VFU))
	for i, r := range in.VFU {
		inc := max(r.Increase(), 0)
		basis := fmt.Sprintf("ökning %s veckor av total ökning %s", money.Group(inc), money.Group(total))
		if r.Increase() <= 0 {
			basis = fmt.Sprintf("ingen ökning (%s → %s veckor)", money.Group(r.WeeksBase), money.Group(r.WeeksCurrent))
		}
		out[i] = basisClaim{Claim{r.Code, big.NewRat(inc, 1)}, basis}
	}
	return out
}

var errBaseTooLarge = errors.New("grundbeloppen är större än delens belopp")

// basePlusPopulation gives every county the base amount and apportions the
// rest by population.
func basePlusPopulation(amount, base money.Kr, in *Inputs) ([]keyed, error) {
	bases, err := money.Mul(base, int64(len(in.Counties)))
	if err != nil {
		return nil, err
	}
	rest, err := money.Sub(amount, bases)
	if err != nil || rest < 0 {
		return nil, errBaseTooLarge
	}
	shares, err := byClaims(rest, populationClaims(in))
	if err != nil {
		return nil, err
	}
	for i := range shares {
		shares[i].Base = base
		shares[i].Amount += base
		shares[i].Basis = fmt.Sprintf("grundbelopp %s + %s av resterande %s", base, shares[i].Basis, rest)
	}
	return shares, nil
}
