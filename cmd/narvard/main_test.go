package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// runCLI runs narvard in-process with the given arguments.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestAllocateTablesSumExactly(t *testing.T) {
	vfuDir := t.TempDir()
	writeFile(t, vfuDir, "vfu.csv", "kod;veckor_vt2022;veckor_vt2023\r\n0114;10;13\r\n01;400;403\r\n25;100;90\r\n")
	tests := []struct {
		table  string
		header string
		rows   int
		sums   map[string]int64
	}{
		{"regioner", "kod,nara_vard,vardens_medarbetare,vidareutbildning,karriartjanster,vision_ehalsa,ambulans,totalt", 21,
			map[string]int64{"nara_vard": 2389000000, "vardens_medarbetare": 1999000000, "vidareutbildning": 400000000, "karriartjanster": 100000000, "vision_ehalsa": 70000000, "ambulans": 85000000, "totalt": 5043000000}},
		{"kommuner", "kod,nara_vard,vardens_medarbetare,vidareutbildning,totalt", 21,
			map[string]int64{"nara_vard": 750000000, "vardens_medarbetare": 200000000, "vidareutbildning": 100000000, "totalt": 1050000000}},
		{"landsbygd", "kod,belopp", 21, map[string]int64{"belopp": 300000000}},
		{"vfu", "kod,okning,belopp", 3, map[string]int64{"belopp": 250000000}},
	}
	for _, tt := range tests {
		t.Run(tt.table, func(t *testing.T) {
			args := []string{"allocate", "--agreement", "gnv-2023", "--table", tt.table, "--format", "csv"}
			if tt.table == "vfu" {
				args = append(args, "--inputs", vfuDir)
			}
			code, out, errOut := runCLI(t, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(recs[0], ",") != tt.header || len(recs)-1 != tt.rows {
				t.Fatalf("header %v, %d rows", recs[0], len(recs)-1)
			}
			for col, want := range tt.sums {
				i := indexOf(recs[0], col)
				var sum int64
				for _, r := range recs[1:] {
					n, err := strconv.ParseInt(r[i], 10, 64)
					if err != nil {
						t.Fatalf("%s: %v", col, err)
					}
					sum += n
				}
				if sum != want {
					t.Errorf("%s sums to %d, want %d", col, sum, want)
				}
			}
		})
	}
}

func TestAllocateFormatsAndExplain(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"text", "json", "xlsx"} {
		out := filepath.Join(dir, "out."+f)
		code, stdout, errOut := runCLI(t, "allocate", "--agreement", "gnv-2023", "--table", "regioner", "--format", f, "--out", out)
		if code != 0 || stdout != "" {
			t.Fatalf("%s: exit %d, stdout %q, stderr %s", f, code, stdout, errOut)
		}
		if fi, err := os.Stat(out); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	code, out, _ := runCLI(t, "allocate", "--agreement", "gnv-2023", "--table", "kommuner", "--explain", "23")
	if code != 0 || !strings.Contains(out, "Kommunerna i Jämtlands län (kod 23)") || !strings.Contains(out, "restens rang") {
		t.Errorf("explain: exit %d\n%s", code, out)
	}
}

func TestAllocateBadUsage(t *testing.T) {
	tests := [][]string{
		{"allocate", "--table", "regioner"},
		{"allocate", "--agreement", "gnv-2023", "--table", "nope"},
		{"allocate", "--agreement", "gnv-2023", "--table", "regioner", "--format", "pdf"},
		{"allocate", "--agreement", "gnv-1999", "--table", "regioner"},
		{"allocate", "--agreement", "gnv-2023", "--table", "vfu"},
		{"allocate", "--agreement", "gnv-2023", "--table", "regioner", "--explain", "99"},
		{"nonsense"},
	}
	for _, args := range tests {
		code, out, errOut := runCLI(t, args...)
		if code == 0 || out != "" || errOut == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

// TestBadInputLeavesNothingBehind checks that bad input gives a clear error
// naming file and line, nothing on stdout, and leaves an existing --out file
// untouched.
func TestBadInputLeavesNothingBehind(t *testing.T) {
	good, err := os.ReadFile("testdata/lan.csv")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, file, content, want string
	}{
		{"not a number", "lan.csv", strings.Replace(string(good), "302473", "abc", 1), `lan.csv:4: befolkning "abc"`},
		{"negative", "lan.csv", strings.Replace(string(good), "302473", "-5", 1), "lan.csv:4:"},
		{"duplicate", "lan.csv", strings.Replace(string(good), "03,Uppsala", "01,Uppsala", 1), "lan.csv:3:"},
		{"unknown code", "lan.csv", strings.Replace(string(good), "03,Uppsala", "02,Uppsala", 1), "lan.csv:3:"},
		{"missing county", "lan.csv", strings.Replace(string(good), "25,Norrbottens län,Region Norrbotten,249285,15594\n", "", 1), "lan.csv"},
		{"missing column", "lan.csv", dropLastColumn(string(good)), "kommunal_hsv"},
		{"empty", "lan.csv", "", "lan.csv"},
		{"binary", "lan.csv", "\x00\x01\x02PK\x03\x04", "lan.csv"},
		{"rural all zero", "landsbygd.csv", "kod,belopp\n01,0\n03,0\n04,0\n05,0\n06,0\n07,0\n08,0\n09,0\n10,0\n12,0\n13,0\n14,0\n17,0\n18,0\n19,0\n20,0\n21,0\n22,0\n23,0\n24,0\n25,0\n", "landsbygd.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, tt.file, tt.content)
			out := filepath.Join(dir, "out.csv")
			writeFile(t, dir, "out.csv", "old")
			code, stdout, stderr := runCLI(t, "allocate", "--agreement", "gnv-2023", "--table", "regioner", "--inputs", dir, "--out", out)
			if code == 0 || stdout != "" || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q, want it to contain %q", code, stdout, stderr, tt.want)
			}
			if b, _ := os.ReadFile(out); string(b) != "old" {
				t.Errorf("--out file changed to %q", b)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 2 {
				t.Errorf("left files behind: %v", entries)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	code, out, _ := runCLI(t, "verify", "--agreement", "gnv-2023", "--format", "csv")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 23 {
		t.Fatalf("exit %d, %d lines:\n%s", code, len(lines), out)
	}
	if code, _, _ := runCLI(t, "verify", "--agreement", "gnv-2023", "--strict"); code != 1 {
		t.Errorf("--strict exit %d, want 1", code)
	}
	code, out0, _ := runCLI(t, "verify", "--agreement", "gnv-2023", "--format", "csv", "--tolerance", "0")
	if code != 0 || len(strings.Split(strings.TrimSpace(out0), "\n")) <= len(lines) {
		t.Errorf("tolerance 0 lists no more than the default")
	}
	code, text, _ := runCLI(t, "verify", "--agreement", "gnv-2023")
	if code != 0 || !strings.Contains(text, "2 kr saknas") {
		t.Errorf("text: exit %d\n%s", code, text)
	}
}

func indexOf(s []string, x string) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	return -1
}

func writeFile(t *testing.T, dir, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func dropLastColumn(csv string) string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(csv), "\n") {
		out = append(out, line[:strings.LastIndex(line, ",")])
	}
	return strings.Join(out, "\n") + "\n"
}

// TestAllocateBasis: the exact computation by default; --basis binding
// prints the amounts that bind (the annexes' cells for the tables the
// agreement binds to them, the computation for VFU).
func TestAllocateBasis(t *testing.T) {
	row := func(out, code string) []string {
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs[1:] {
			if r[0] == code {
				return r
			}
		}
		t.Fatalf("no row %s in\n%s", code, out)
		return nil
	}
	for _, tt := range []struct {
		basis []string
		table string
		code  string
		want  string
	}{
		{nil, "regioner", "01", "01,491697353,463338948,92714147,23178537,14291229,17768010,1102988224"},
		{[]string{"--basis", "computed"}, "regioner", "23", "23,41218451,25187123,5039944,1259986,1249692,1438690,75393886"},
		{[]string{"--basis", "binding"}, "regioner", "01", "01,491776817,463338948,92714147,23178536,14291229,17768009,1103067686"},
		{[]string{"--basis", "binding"}, "regioner", "23", "23,41247254,25187124,5039944,1259986,1249692,1438690,75422690"},
		{[]string{"--basis", "binding"}, "kommuner", "23", "23,10134426,2702513,1351257,14188196"},
		{[]string{"--basis", "binding"}, "landsbygd", "23", "23,14897341"},
	} {
		args := append([]string{"allocate", "--agreement", "gnv-2023", "--table", tt.table}, tt.basis...)
		code, out, errOut := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		if got := strings.Join(row(out, tt.code), ","); got != tt.want {
			t.Errorf("%v: row %s = %s, want %s", args, tt.code, got, tt.want)
		}
	}
	vfuDir := t.TempDir()
	writeFile(t, vfuDir, "vfu.csv", "kod;veckor_vt2022;veckor_vt2023\r\n0114;10;13\r\n01;400;403\r\n25;100;90\r\n")
	_, computed, _ := runCLI(t, "allocate", "--agreement", "gnv-2023", "--table", "vfu", "--inputs", vfuDir)
	code, binding, errOut := runCLI(t, "allocate", "--agreement", "gnv-2023", "--table", "vfu", "--inputs", vfuDir, "--basis", "binding")
	if code != 0 || binding != computed {
		t.Errorf("vfu binds its computation: exit %d %s\n%s\n%s", code, errOut, binding, computed)
	}
	code, text, _ := runCLI(t, "allocate", "--agreement", "gnv-2023", "--table", "regioner", "--basis", "binding", "--format", "text")
	if code != 0 || !strings.Contains(text, "enligt bilaga (bindande)") || !strings.Contains(text, "1 103 067 686") {
		t.Errorf("text: exit %d\n%s", code, text)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--table", "regioner", "--basis", "bilaga"}, `--basis "bilaga" är okänt (välj computed eller binding)`},
		{[]string{"--table", "regioner", "--basis", "binding", "--explain", "01"}, "--explain förklarar beräkningen och går inte med --basis binding"},
		{[]string{"--table", "regioner", "--basis", "binding", "--inputs", vfuDir}, "--inputs gäller beräkningen och går inte med --basis binding"},
	} {
		code, out, errOut := runCLI(t, append([]string{"allocate", "--agreement", "gnv-2023"}, tt.args...)...)
		if code != 2 || out != "" || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, out, errOut, tt.want)
		}
	}
}
