package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestGenFollowupFormat(t *testing.T) {
	for _, tc := range []struct {
		args  []string
		files []string
		msg   string
	}{
		{nil, []string{"clinicians.csv", "listings.csv", "visits.csv"}, "som CSV"},
		{[]string{"--format", "csv"}, []string{"clinicians.csv", "listings.csv", "visits.csv"}, "som CSV"},
		{[]string{"--format", "parquet"}, []string{"clinicians.parquet", "listings.parquet", "visits.parquet"}, "som Parquet"},
	} {
		dir := t.TempDir()
		args := append([]string{"gen-followup", "--persons", "500", "--visits", "1000", "--out", dir}, tc.args...)
		code, out, errOut := runCLI(t, args...)
		if code != 0 || !strings.Contains(out, tc.msg) {
			t.Errorf("%v: exit %d, %q %q, want %q", tc.args, code, out, errOut, tc.msg)
		}
		var names []string
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if !slices.Equal(names, tc.files) {
			t.Errorf("%v: wrote %v, want %v", tc.args, names, tc.files)
		}
	}
	dir := filepath.Join(t.TempDir(), "ut")
	code, out, errOut := runCLI(t, "gen-followup", "--format", "xlsx", "--out", dir)
	if code != 2 || out != "" || !strings.Contains(errOut, "--format ska vara csv eller parquet") {
		t.Errorf("--format xlsx: exit %d, %q %q", code, out, errOut)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Error("--format xlsx created the directory")
	}
}
