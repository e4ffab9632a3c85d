package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIndicatorsCLI(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runCLI(t, "gen-followup", "--persons", "2000", "--visits", "20000", "--seed", "3", "--out", dir); code != 0 {
		t.Fatalf("gen-followup: %s", errOut)
	}
	l, v, c := filepath.Join(dir, "listings.csv"), filepath.Join(dir, "visits.csv"), filepath.Join(dir, "clinicians.csv")
	code, out, errOut := runCLI(t, "indicators", "--listings", l, "--visits", v, "--clinicians", c, "--by", "kon")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 4 || !strings.HasPrefix(lines[1], "K,") || !strings.HasPrefix(lines[3], "riket,") {
		t.Fatalf("exit %d, %s\n%s", code, errOut, out)
	}
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	runCLI(t, "indicators", "--listings", l, "--visits", v, "--by", "lan", "--out", a)
	runCLI(t, "indicators", "--listings", l, "--visits", v, "--by", "lan", "--yrke", "alla", "--out", b)
	code, out, errOut = runCLI(t, "indicators", "compare", "--base", a, "--current", b)
	if code != 0 || !strings.HasPrefix(out, "grupp,coc_bas,coc_nu,forandring_coc_procent") || !strings.Contains(out, "\nriket,") {
		t.Errorf("compare: exit %d %s\n%s", code, errOut, out)
	}
	// Bad files: a file:line error and no output file.
	bad := filepath.Join(dir, "bad.csv")
	outFile := filepath.Join(dir, "out.csv")
	cases := []struct{ content, want string }{
		{"patient_id,datum,enhet_id,vardgivare_id,yrke\n", `kolumnen "kontakttyp" saknas`},
		{"\x00\x01\x02garbage", "bad.csv:1: filen är inte en textfil"},
		{"", "bad.csv:1: filen är tom"},
	}
	for _, tc := range cases {
		os.WriteFile(bad, []byte(tc.content), 0o644)
		code, out, errOut := runCLI(t, "indicators", "--listings", l, "--visits", bad, "--out", outFile)
		if code == 0 || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("exit %d, stderr %q, want %q", code, errOut, tc.want)
		}
		if _, err := os.Stat(outFile); err == nil {
			t.Error("an output file was written")
		}
	}
	os.WriteFile(bad, []byte("patient_id,datum,enhet_id,vardgivare_id,yrke,kontakttyp\nP1,2023-02-30,E1,L1,lakare,fysisk\nP1,2023-02-03,E1,L1,barberare,fysisk\n"), 0o644)
	code, _, errOut = runCLI(t, "indicators", "--listings", l, "--visits", bad, "--strict", "--out", outFile)
	if code == 0 || !strings.Contains(errOut, `bad.csv:2: datum "2023-02-30"`) || !strings.Contains(errOut, `bad.csv:3: yrke "barberare"`) {
		t.Errorf("--strict: exit %d, %s", code, errOut)
	}
	if _, err := os.Stat(outFile); err == nil {
		t.Error("--strict wrote an output file")
	}
	code, _, errOut = runCLI(t, "indicators", "--listings", l, "--visits", bad, "--out", outFile)
	if code != 0 || !strings.Contains(errOut, "2 rader uteslutna") {
		t.Errorf("without --strict: exit %d, %s", code, errOut)
	}
}

// TestIndicatorsUsage: the flags are checked by the same rules as the web
// form (app.IndicatorQuery), all at once, each named by its flag.
func TestIndicatorsUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--by", "fylke"}, []string{`--by: Okänd gruppering "fylke"`}},
		{[]string{"--by", "lan,lan"}, []string{`--by: Grupperingen "lan" står två gånger`}},
		{[]string{"--period", "2022", "--period", "2022"}, []string{"--period: Perioderna 2022 och 2022 överlappar"}},
		{[]string{"--from", "2022-01-01", "--to", "2022-12-31", "--from", "2023-01-01"}, []string{"--to: Ange en sista dag för varje första dag"}},
		{[]string{"--yrke", "tandläkare", "--min-cell", "-2"}, []string{"--yrke:", "--min-cell:"}},
		{[]string{"--from", "2023-12-31", "--to", "2023-01-01"}, []string{"--to: Periodens sista dag ligger före"}},
		{[]string{"--from", "2023-01-01"}, []string{"--to: Ange periodens sista dag"}},
	} {
		args := append([]string{"indicators", "--listings", "l.csv", "--visits", "v.csv"}, tc.args...)
		code, out, errOut := runCLI(t, args...)
		if code != 2 || out != "" {
			t.Errorf("%v: exit %d, stdout %q", tc.args, code, out)
		}
		for _, w := range tc.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr %q lacks %q", tc.args, errOut, w)
			}
		}
	}
}
