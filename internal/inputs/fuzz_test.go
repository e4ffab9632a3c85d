package inputs

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"narvard/internal/agreement"
	"narvard/internal/geo"
)

// sortedUnique fails unless codes are strictly increasing.
func sortedUnique(t *testing.T, codes []string) {
	t.Helper()
	for i := 1; i < len(codes); i++ {
		if codes[i-1] >= codes[i] {
			t.Fatalf("codes not sorted and unique: %q", codes)
		}
	}
}

// sameCounties fails unless codes are exactly the agreement's counties.
func sameCounties(t *testing.T, a *agreement.Agreement, codes []string) {
	t.Helper()
	var want []string
	for _, c := range a.Counties {
		want = append(want, c.Code)
	}
	slices.Sort(want)
	if !slices.Equal(codes, want) {
		t.Fatalf("codes %q, want the agreement's %q", codes, want)
	}
}

func FuzzReadCounties(f *testing.F) {
	seeds(f, "lan")
	a := gnv(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadCounties("lan.csv", bytes.NewReader(data), a)
		if err != nil {
			if got != nil || !strings.HasPrefix(err.Error(), "lan.csv") {
				t.Fatalf("got %v with error %v", got, err)
			}
			return
		}
		var codes []string
		var pop, hsv int64
		for _, c := range got {
			codes = append(codes, c.Code)
			if c.Befolkning < 0 || c.KommunalHSV < 0 || c.Lan == "" || c.Region == "" {
				t.Fatalf("bad county %+v", c)
			}
			pop += c.Befolkning
			hsv += c.KommunalHSV
		}
		sortedUnique(t, codes)
		sameCounties(t, a, codes)
		if pop <= 0 || hsv <= 0 {
			t.Fatalf("totals %d, %d", pop, hsv)
		}
	})
}

func FuzzReadRural(f *testing.F) {
	seeds(f, "landsbygd")
	a := gnv(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadRural("landsbygd.csv", bytes.NewReader(data), a)
		if err != nil {
			if got != nil || !strings.HasPrefix(err.Error(), "landsbygd.csv") {
				t.Fatalf("got %v with error %v", got, err)
			}
			return
		}
		var codes []string
		var total int64
		w := a.RuralWeights
		for _, r := range got {
			codes = append(codes, r.Code)
			if r.Belopp < 0 || r.Tatortsnara < 0 || r.Glesa < 0 || r.MycketGlesa < 0 || r.Counts != got[0].Counts {
				t.Fatalf("bad row %+v", r)
			}
			if r.Counts {
				total += w.Tatortsnara*r.Tatortsnara + w.Glesa*r.Glesa + w.MycketGlesa*r.MycketGlesa
			} else {
				total += r.Belopp
			}
		}
		sortedUnique(t, codes)
		sameCounties(t, a, codes)
		if total <= 0 {
			t.Fatalf("total weight %d", total)
		}
	})
}

func FuzzReadVFU(f *testing.F) {
	seeds(f, "vfu")
	a := gnv(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ReadVFU("vfu.csv", bytes.NewReader(data), a)
		if err != nil {
			if got != nil || !strings.HasPrefix(err.Error(), "vfu.csv") {
				t.Fatalf("got %v with error %v", got, err)
			}
			return
		}
		var codes []string
		var total int64
		for _, r := range got {
			codes = append(codes, r.Code)
			if r.WeeksBase < 0 || r.WeeksCurrent < 0 {
				t.Fatalf("negative weeks %+v", r)
			}
			_, county := a.County(r.Code)
			_, kommun := geo.Kommun(r.Code)
			if !county && !kommun {
				t.Fatalf("unknown code %q", r.Code)
			}
			total += max(r.Increase(), 0)
		}
		sortedUnique(t, codes)
		if total <= 0 {
			t.Fatalf("total increase %d", total)
		}
	})
}
