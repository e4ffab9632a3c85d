package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestPasswordPolicy(t *testing.T) {
	tests := []struct {
		password, email string
		want            error
	}{
		{"ett långt lösenord", "anna@region.se", nil},
		{"korrekt häst batteri!", "", nil},
		{"tolv tecken!", "", nil},               // exactly 12
		{"elva tecken", "", ErrWeakPassword},    // 11
		{"åäöåäöåäöåä", "", ErrWeakPassword},    // 11 characters, 22 bytes
		{"", "", ErrWeakPassword},               //
		{"             ", "", ErrBlankPassword}, // 13 blanks
		{"\t\t\t\t\t\t\t\t\t\t\t\t\t", "", errNotUTF8OrControlCh},
		{"a\x00bcdefghijklm", "", errNotUTF8OrControlCh},
		{"\xff\xfe ett långt lösenord", "", errNotUTF8OrControlCh},
		{"anna.andersson@region.se", "anna.andersson@region.se", ErrPasswordIsEmail},
		{"ANNA.ANDERSSON@REGION.SE", "anna.andersson@region.se", ErrPasswordIsEmail},
		{"anna.andersson", "anna.andersson@region.se", ErrPasswordIsEmail},
		{"xanna.andersson@region.se1", "anna.andersson@region.se", ErrPasswordIsEmail},
		{"anna.andersson@region.se", "", nil}, // no e-mail to compare with
		{"aaaaaaaaaaaaaaa", "", ErrRepeatedPassword},
		{"password1234", "", ErrCommonPassword},
		{"Password1234", "", ErrCommonPassword},
		{"lösenord1234", "", ErrCommonPassword},
		{"korrekt häst batteri", "", ErrCommonPassword},
		{"korrekt  häst  batteri", "", ErrCommonPassword},
		{"  sommar123456  ", "", ErrCommonPassword},
		{strings.Repeat("ab", 600), "", ErrLongPassword},
	}
	for _, tt := range tests {
		if err := CheckPolicy(tt.password, tt.email); !errors.Is(err, tt.want) {
			t.Errorf("CheckPolicy(%q, %q) = %v, want %v", tt.password, tt.email, err, tt.want)
		}
	}
}

// TestCommonPasswordsListed: the embedded list is there, and each entry
// long enough to matter is refused.
func TestCommonPasswordsListed(t *testing.T) {
	if len(common()) < 100 {
		t.Fatalf("only %d common passwords", len(common()))
	}
	for p := range common() {
		if len([]rune(p)) >= MinPassword && CheckPolicy(p, "") == nil {
			t.Errorf("%q accepted", p)
		}
	}
}
