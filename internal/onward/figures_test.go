package onward

import (
	"strings"
	"testing"
)

func TestReadFigures(t *testing.T) {
	got, err := ReadFigures("nyckeltal.csv", strings.NewReader("\ufeffKommun;Befolkning;Kommunal_HSV\n2380;64 000;1 200\nkommun-2309;15000;300\n\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != (Figure{"2380", 64000, 1200}) || got[1] != (Figure{"2309", 15000, 300}) {
		t.Errorf("got %+v", got)
	}
	for _, tt := range []struct{ in, want string }{
		{"kommun,befolkning\n2380,1\n", `nyckeltal.csv:1: kolumnen "kommunal_hsv" saknas`},
		{"kommun,befolkning,kommunal_hsv\n2380,1,1\n2380,2,2\n", "nyckeltal.csv:3"},
		{"kommun,befolkning,kommunal_hsv\n2380,-1,1\n", "nyckeltal.csv:2"},
		{"kommun,befolkning,kommunal_hsv\n23,1,1\n", "nyckeltal.csv:2"},
		{"kommun,befolkning,kommunal_hsv\n", "inga kommuner"},
	} {
		if _, err := ReadFigures("nyckeltal.csv", strings.NewReader(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want %q", tt.in, err, tt.want)
		}
	}
}

func FuzzReadFigures(f *testing.F) {
	f.Add("kommun,befolkning,kommunal_hsv\n2380,64000,1200\n")
	f.Add("kommun;befolkning;kommunal_hsv\r\n2309;\"15 000\";300\r\n")
	f.Fuzz(func(t *testing.T, in string) {
		figs, err := ReadFigures("f.csv", strings.NewReader(in))
		if err == nil {
			for _, fg := range figs {
				if fg.Befolkning < 0 || fg.KommunalHSV < 0 || len(fg.Kommun) != 4 {
					t.Errorf("accepted %+v", fg)
				}
			}
		}
	})
}
