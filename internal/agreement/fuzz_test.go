package agreement

import (
	"os"
	"testing"
)

// FuzzParse: any agreement file loads or is refused with an error, never
// a panic; a file that loads loads again the same way.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"data/gnv-2023.toml", "agreementtest/data/prov-2024.toml"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("id = \"x\"\n[[components]]\nid = 1\n"))
	f.Add([]byte("[[deadlines]]\nid = \"requisition\"\ndate = 2023-12-01\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Parse(b)
		if err != nil {
			if a != nil {
				t.Errorf("an agreement beside the error %v", err)
			}
			return
		}
		if _, err := Parse(b); err != nil {
			t.Errorf("loads once, then not: %v", err)
		}
	})
}
