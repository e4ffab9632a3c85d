package alloc

import (
	"testing"

	"narvard/internal/agreement"
)

func TestBindingTakesTheAnnexCells(t *testing.T) {
	a := gnv(t)
	for _, tt := range []struct {
		table agreement.TableID
		code  string
		want  []int64 // the published cells
	}{
		{agreement.TableRegioner, "23", []int64{41247254, 25187124, 5039944, 1259986, 1249692, 1438690}},
		{agreement.TableKommuner, "01", []int64{109093090, 29091490, 14545745}},
		{agreement.TableLandsbygd, "09", []int64{14831210}},
	} {
		computed, err := Build(a, FromAgreement(a), tt.table)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Binding(computed)
		if err != nil {
			t.Fatal(err)
		}
		if b.Basis != agreement.BindingPublished || computed.Basis != "" {
			t.Errorf("%s: basis %q, computed %q", tt.table, b.Basis, computed.Basis)
		}
		row, _ := b.Row(tt.code)
		for i, want := range tt.want {
			if int64(row.Cells[i].Amount) != want {
				t.Errorf("%s %s column %d = %d, want %d", tt.table, tt.code, i, row.Cells[i].Amount, want)
			}
		}
		if crow, _ := computed.Row(tt.code); tt.table == agreement.TableRegioner && crow.Cells[0].Amount != 41218451 {
			t.Errorf("computed table changed: %d", crow.Cells[0].Amount)
		}
	}
	vfu, err := Build(a, vfuInputs(a), agreement.TableVFU)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := Binding(vfu); err != nil || b != vfu {
		t.Errorf("vfu binds its computation: %v, %v", b, err)
	}
}
