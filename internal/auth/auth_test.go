package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestPassword(t *testing.T) {
	h, err := HashPassword("korrekt häst batteri")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$") {
		t.Errorf("hash = %q", h)
	}
	if ok, err := CheckPassword(h, "korrekt häst batteri"); !ok || err != nil {
		t.Errorf("right password refused: %v", err)
	}
	if ok, _ := CheckPassword(h, "korrekt häst batterI"); ok {
		t.Error("wrong password accepted")
	}
	h2, _ := HashPassword("korrekt häst batteri")
	if h == h2 {
		t.Error("same salt twice")
	}
	if _, err := HashPassword("kort"); !errors.Is(err, ErrWeakPassword) {
		t.Errorf("short password: %v", err)
	}
	if _, err := CheckPassword("$bcrypt$x", "y"); err == nil {
		t.Error("bad hash accepted")
	}
}

func TestTokens(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b || len(a) < 40 {
		t.Errorf("tokens %q %q", a, b)
	}
	if TokenHash(a) == a || len(TokenHash(a)) != 64 || TokenHash(a) != TokenHash(a) {
		t.Error("token hash")
	}
}

func TestRoles(t *testing.T) {
	for _, r := range Roles {
		if !r.Valid() || r.Swedish() == string(r) {
			t.Errorf("role %q", r)
		}
	}
	if Role("boss").Valid() {
		t.Error("unknown role valid")
	}
	a := Actor{Org: "region-25", Role: Signatory}
	if !a.ActsFor("region-25") || a.ActsFor("region-24") {
		t.Error("actor rules")
	}
}
