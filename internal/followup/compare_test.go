package followup

import (
	"bytes"
	"strings"
	"testing"
)

func TestCompare(t *testing.T) {
	head := "grupp,listade,med_fast_lakare,andel_fast_lakare,sabo_listade,sabo_med_fast_lakare,andel_fast_lakare_sabo,patienter_coc,coc,upc,listade_per_specialist,listade_per_st,undertryckt\n"
	base := head + "01,100,50,0.5000,10,7,0.7000,80,0.4000,0.6,,,\n25,100,50,0.5000,,,,80,0.5000,0.6,,,sabo_listade\nriket,200,100,0.5000,20,14,0.7000,160,0.4500,0.6,,,\n"
	cur := head + "01,100,60,0.6000,10,9,0.9000,80,0.4800,0.6,,,\n25,100,50,0.5000,,,,,,,,,sabo_listade;patienter_coc\n09,5,5,1.0000,,,,,,,,,\nriket,200,110,0.5500,20,16,0.8000,160,0.5000,0.6,,,\n"
	var out bytes.Buffer
	if err := Compare(&out, "a.csv", strings.NewReader(base), "b.csv", strings.NewReader(cur)); err != nil {
		t.Fatal(err)
	}
	want := "grupp,coc_bas,coc_nu,forandring_coc_procent,mal_coc_uppnatt,andel_fast_lakare_nu,mal_55_uppnatt,andel_fast_lakare_sabo_nu,mal_80_uppnatt\n" +
		"01,0.4000,0.4800,20.0,ja,0.6000,ja,0.9000,ja\n" +
		"25,0.5000,,,,0.5000,nej,,\n" +
		"riket,0.4500,0.5000,11.1,nej,0.5500,ja,0.8000,ja\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}
