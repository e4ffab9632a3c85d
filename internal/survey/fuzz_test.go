package survey

import (
	"strings"
	"testing"
)

// FuzzReadImport: whatever the file, ReadImport does not panic, and what
// it takes is only invited recipients, each once, with answers the
// template accepts.
func FuzzReadImport(f *testing.F) {
	for _, seed := range []string{
		matrixCSV,
		"recipient,q2,q2a\nkommun-1440,ja,ja\n",
		"recipient;q3.sjukskoterska;q4\r\nkommun-0114;brist;\"a;b\"\r\n",
		"\ufeffrecipient,q1.politisk\nkommun-1440,nej\nkommun-1440,ja\n",
		"recipient,q9\n",
		"",
	} {
		f.Add(seed)
	}
	s := kommunSurvey(f)
	f.Fuzz(func(t *testing.T, file string) {
		list, err := ReadImport(s, "svar.csv", strings.NewReader(file), known)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, im := range list {
			if !s.Invited(im.Recipient) || seen[im.Recipient] {
				t.Fatalf("took %s", im.Recipient)
			}
			seen[im.Recipient] = true
			if _, err := s.Template.Clean(im.Answers, questionnaireContext, false); err != nil {
				t.Fatalf("%s: %v", im.Recipient, err)
			}
		}
	})
}
