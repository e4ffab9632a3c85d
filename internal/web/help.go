package web

import (
	"embed"
	"encoding/json"
	"net/http"

	"narvard/internal/auth"
	"narvard/internal/org"
)

// The help texts are data: help/fields.json the hints under the fields of
// the Bilaga 1 forms (per set of forms), help/roles.json a short guide per
// role, reachable as /hjalp/{id}.
//
//go:embed help/*.json
var helpFiles embed.FS

var (
	fieldHelp  = mustJSON[map[string]map[string]string]("help/fields.json")
	roleGuides = mustJSON[[]roleGuide]("help/roles.json")
)

// roleGuide is what one role does, in order, with links.
type roleGuide struct {
	ID, Title, Intro string
	Steps            []struct{ Text, Href, Link string }
}

func mustJSON[T any](name string) T {
	var v T
	b, err := helpFiles.ReadFile(name)
	if err == nil {
		err = json.Unmarshal(b, &v)
	}
	if err != nil {
		panic("web: " + name + ": " + err.Error()) // embedded: the tests load it
	}
	return v
}

// helped is a form whose fields have hints: the set of help/fields.json
// they come from.
type helped interface{ HelpSet() string }

// hintOf is the field's hint, if its form has any.
func hintOf(f form, name string) string {
	if h, ok := f.(helped); ok {
		return fieldHelp[h.HelpSet()][name]
	}
	return ""
}

// guideFor is the guide of the user's role: an officer's depends on the
// kind of organisation.
func guideFor(u auth.User) string {
	switch u.Role {
	case auth.RecipientOfficer:
		switch kind, _, _ := org.Parse(u.Org); kind {
		case org.KindKommun:
			return "kommun"
		case org.KindRSS:
			return "rss"
		}
		return "handlaggare"
	case auth.Signatory:
		return "firmatecknare"
	case auth.CFO:
		return "ekonomichef"
	case auth.Payer:
		return "utbetalare"
	case auth.FollowUp:
		return "uppfoljare"
	case auth.Analyst:
		return "analytiker"
	case auth.Admin:
		return "administrator"
	}
	return "granskare"
}

type helpView struct {
	Guides []roleGuide
	Guide  *roleGuide
}

// help shows every role's guide (/hjalp) or one (/hjalp/{roll}); it is
// open to everyone, signed in or not.
func (s *server) help(w http.ResponseWriter, r *http.Request) {
	v := helpView{Guides: roleGuides}
	id := r.PathValue("roll")
	if id == "" {
		s.render(w, r, http.StatusOK, "help.html", "Hjälp", v)
		return
	}
	for i := range roleGuides {
		if roleGuides[i].ID == id {
			v.Guide = &roleGuides[i]
			s.render(w, r, http.StatusOK, "help.html", roleGuides[i].Title, v)
			return
		}
	}
	s.notFound(w, r)
}
