package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestServeFollowUpDir checks --uppfoljning-dir before the server starts:
// a missing folder or a file is a usage error (exit status 2).
func TestServeFollowUpDir(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "fil.csv", "x\n")
	for _, arg := range []string{filepath.Join(dir, "saknas"), filepath.Join(dir, "fil.csv")} {
		code, _, stderr := runCLI(t, "serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--uppfoljning-dir", arg)
		if code != 2 || !strings.Contains(stderr, "--uppfoljning-dir") {
			t.Errorf("--uppfoljning-dir %s: exit %d, %q", arg, code, stderr)
		}
	}
	if got, err := followupFolder(dir); err != nil || got != dir {
		t.Errorf("followupFolder(%s) = %q, %v", dir, got, err)
	}
}
