package agreementtest

import (
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"narvard/internal/agreement"
)

// TestSecondAgreementLoadsAndItsDeadlinesAreChecked: the test agreement
// loads beside the product's, and the same file with an unknown deadline
// id is refused, naming the file, the line and the id, and saying which
// required deadline is then missing.
func TestSecondAgreementLoadsAndItsDeadlinesAreChecked(t *testing.T) {
	two := Two(t)
	if len(two.All()) != len(agreement.Builtin().All())+1 {
		t.Errorf("agreements = %d", len(two.All()))
	}
	if _, err := agreement.Join(two, Second(t)); err == nil {
		t.Error("an agreement joined twice was accepted")
	}
	b, err := files.ReadFile("data/prov-2024.toml")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	line := strings.Count(src[:strings.Index(src, `id = "repayment"`)], "\n") + 1
	bad := strings.Replace(src, `id = "repayment"`, `id = "aterbetalning"`, 1)
	_, err = agreement.LoadFS(fstest.MapFS{"d/prov-2024.toml": {Data: []byte(bad)}}, "d")
	if err == nil {
		t.Fatal("a file with an unknown deadline id was accepted")
	}
	for _, want := range []string{`prov-2024.toml:` + strconv.Itoa(line) + `: deadlines[2].id: okänd tidsfrist "aterbetalning"`, `tidsfristen "repayment" saknas`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
