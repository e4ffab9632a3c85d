package sie

import (
	"os"
	"testing"

	"narvard/internal/money"
)

// FuzzRead feeds the reader damaged and invented files: it must return a
// file or an *Error, never panic, and a file it returns must hold only
// balanced verifications.
func FuzzRead(f *testing.F) {
	data, err := os.ReadFile("testdata/region.se")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("#SIETYP 4\n#VER A 1 20230101\n{\n#TRANS 4010 {1 \"x\"} 1\n}\n"))
	f.Add([]byte("#KSUMMA\n#KSUMMA 0\n"))
	f.Add([]byte("#VER \"\\\"\" {} 20230101\n{\n}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Read("f.se", data)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		for _, v := range file.Vouchers {
			var sum money.Ore
			for _, tr := range v.Trans {
				sum += tr.Amount
			}
			if sum != 0 {
				t.Fatalf("voucher %+v does not balance", v)
			}
		}
	})
}
