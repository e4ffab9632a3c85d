package inputs

import (
	"errors"
	"fmt"
	"math/big"

	"narvard/internal/csvfile"
)

// maxProblems is how many problems of one file are reported; a file that
// is wrong throughout is better fixed from the first few.
const maxProblems = 20

// problems collects the problems found in one file so that people can fix
// them all in one go.
type problems struct {
	name string
	errs []error
}

func (p *problems) add(err error) {
	if err != nil {
		p.errs = append(p.errs, err)
	}
}

func (p *problems) any() bool { return len(p.errs) > 0 }

// err returns nil, the one problem, or the problems joined one per line.
func (p *problems) err() error {
	switch n := len(p.errs); {
	case n == 0:
		return nil
	case n == 1:
		return p.errs[0]
	case n > maxProblems:
		more := &csvfile.Error{File: p.name, Msg: fmt.Sprintf("… och %d fel till", n-maxProblems)}
		return errors.Join(append(p.errs[:maxProblems:maxProblems], more)...)
	}
	return errors.Join(p.errs...)
}

// checkTotal returns an error naming the file when the figures are all
// zero, so that the key has nothing to apportion by (field and zeroMsg say
// which), or when their sum, named sumOf, does not fit in the int64 the
// keys add them up in.
func checkTotal(name, field, sumOf, zeroMsg string, figures []*big.Int) error {
	total := new(big.Int)
	for _, f := range figures {
		total.Add(total, f)
	}
	switch {
	case !total.IsInt64():
		return &csvfile.Error{File: name, Msg: fmt.Sprintf("summan av %s är för stor", sumOf)}
	case total.Sign() == 0:
		return &csvfile.Error{File: name, Field: field, Msg: zeroMsg}
	}
	return nil
}

// bigs converts figures for checkTotal.
func bigs[T any](xs []T, f func(T) int64) []*big.Int {
	out := make([]*big.Int, len(xs))
	for i, x := range xs {
		out[i] = big.NewInt(f(x))
	}
	return out
}
