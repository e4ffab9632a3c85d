// Package agreementtest gives tests a second agreement beside the
// product's own: data/prov-2024.toml, another year with other components
// (one paid by Socialstyrelsen), other deadlines and three counties with
// round figures, so that two agreements can run side by side for the same
// recipients. It is for tests only; the product's agreements are those
// embedded by package agreement.
package agreementtest

import (
	"embed"
	"testing"

	"narvard/internal/agreement"
)

//go:embed data/*.toml
var files embed.FS

// SecondID is the id of the test agreement.
const SecondID = "prov-2024"

// Second returns the test agreement alone.
func Second(t testing.TB) *agreement.Set {
	t.Helper()
	s, err := agreement.LoadFS(files, "data")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Two returns the product's embedded agreements and the test agreement.
func Two(t testing.TB) *agreement.Set {
	t.Helper()
	s, err := agreement.Join(agreement.Builtin(), Second(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}
