package auth

import (
	_ "embed"
	"errors"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// MaxPassword bounds a password's length in bytes: a longer one is refused
// before it is hashed.
const MaxPassword = 1024

// commonPasswords is a list of passwords people often choose, one a line,
// lower case; lines starting with # are comments. Only those of at least
// MinPassword characters matter: shorter ones are refused anyway.
//
//go:embed common-passwords.txt
var commonPasswords string

var common = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(commonPasswords, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			m[strings.ToLower(line)] = true
		}
	}
	return m
})

// The policy's refusals, each a sentence users read.
var (
	ErrLongPassword       = errors.New("lösenordet får vara högst 1024 tecken långt")
	ErrBlankPassword      = errors.New("lösenordet får inte bestå av bara blanksteg")
	ErrPasswordIsEmail    = errors.New("lösenordet får inte vara e-postadressen")
	ErrCommonPassword     = errors.New("lösenordet är för vanligt; välj ett som är svårare att gissa, t.ex. några ord i följd")
	ErrRepeatedPassword   = errors.New("lösenordet får inte vara ett och samma tecken upprepat")
	errNotUTF8OrControlCh = errors.New("lösenordet får inte innehålla styrtecken")
)

// CheckPolicy reports whether password may be used by the user with the
// e-mail (which may be empty): at least MinPassword characters, not only
// blanks, not the e-mail or its part before @, not one character repeated,
// not in the list of common passwords.
func CheckPolicy(password, email string) error {
	if len(password) > MaxPassword {
		return ErrLongPassword
	}
	if !utf8.ValidString(password) || strings.IndexFunc(password, unicode.IsControl) >= 0 {
		return errNotUTF8OrControlCh
	}
	if utf8.RuneCountInString(password) < MinPassword {
		return ErrWeakPassword
	}
	trimmed := strings.TrimSpace(password)
	if trimmed == "" {
		return ErrBlankPassword
	}
	lower := strings.ToLower(trimmed)
	if email = strings.ToLower(strings.TrimSpace(email)); email != "" {
		local, _, _ := strings.Cut(email, "@")
		if lower == email || lower == local || strings.Contains(lower, email) {
			return ErrPasswordIsEmail
		}
	}
	if first, _ := utf8.DecodeRuneInString(lower); strings.Trim(lower, string(first)) == "" {
		return ErrRepeatedPassword
	}
	if common()[lower] || common()[strings.Join(strings.Fields(lower), "")] {
		return ErrCommonPassword
	}
	return nil
}
