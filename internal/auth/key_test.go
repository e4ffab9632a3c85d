package auth

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signin.key")
	k1, err := LoadKey(path)
	if err != nil || len(k1) != 32 {
		t.Fatalf("new key: %v %d", err, len(k1))
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode: %v %v", st.Mode(), err)
	}
	k2, err := LoadKey(path)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Errorf("the key changed on reading: %v", err)
	}
	os.Chmod(path, 0o644)
	if _, err := LoadKey(path); err == nil {
		t.Error("a key file others can read was accepted")
	}
	os.WriteFile(path, []byte("kort\n"), 0o600)
	os.Chmod(path, 0o600)
	if _, err := LoadKey(path); err == nil {
		t.Error("a broken key was accepted")
	}
}
