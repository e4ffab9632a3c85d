package web

import (
	"net/http"
	"strconv"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/listing"
	"narvard/internal/org"
)

// The accounts: the admin's pages for users (add, disable, re-enable,
// reset a password, end sessions and tokens) and every user's own account
// page (change the password, end its sessions and tokens).
func (s *server) accountRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/anvandare", s.signedIn(s.users))
	mux.HandleFunc("GET /admin/anvandare.xlsx", s.signedIn(s.usersExport))
	mux.HandleFunc("GET /admin/anvandare/ny", s.signedIn(s.newUserForm))
	mux.HandleFunc("POST /admin/anvandare", s.signedIn(s.createUser))
	mux.HandleFunc("GET /admin/anvandare/{id}", s.signedIn(s.userAccount))
	mux.HandleFunc("POST /admin/anvandare/{id}/stang-av", s.signedIn(s.setDisabled(true)))
	mux.HandleFunc("POST /admin/anvandare/{id}/aktivera", s.signedIn(s.setDisabled(false)))
	mux.HandleFunc("POST /admin/anvandare/{id}/nytt-losenord", s.signedIn(s.resetPassword))
	mux.HandleFunc("POST /admin/anvandare/{id}/roll", s.signedIn(s.changeRole))
	mux.HandleFunc("POST /admin/anvandare/{id}/avsluta", s.signedIn(s.revoke))
	mux.HandleFunc("GET /konto", s.signedIn(s.ownAccount))
	mux.HandleFunc("POST /konto/losenord", s.signedIn(s.changePassword))
	mux.HandleFunc("POST /konto/avsluta", s.signedIn(s.revoke))
	mux.HandleFunc("POST /konto/epost", s.signedIn(s.setMailDigest))
}

// usersView lists the users, as the filter narrows them.
type usersView struct {
	Users   []auth.User
	Names   map[string]string // organisation id → name
	Manage  bool              // the actor may change them
	Created string
	Filter  listFilter
}

// The user list's status menu.
const (
	userActive   = "aktiv"
	userDisabled = "avstangd"
)

var userStatuses = []listing.Option{{Value: userActive, Label: "aktiva"}, {Value: userDisabled, Label: "avstängda"}}

func (s *server) users(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.userList(w, r, sess.Actor())
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "users.html", "Användare", v)
}

// userList reads the users and narrows them by the filter: active or
// disabled, and text in the e-mail address, the name, the organisation
// (id or name) or the role.
func (s *server) userList(w http.ResponseWriter, r *http.Request, a auth.Actor) (usersView, bool) {
	users, err := s.app.Users(r.Context(), a)
	if err != nil {
		s.refuse(w, r, err)
		return usersView{}, false
	}
	names, err := s.orgNames(r)
	if err != nil {
		s.serverError(w, r, err)
		return usersView{}, false
	}
	v := usersView{Names: names, Manage: grant.CanManageUsers(a) == nil, Filter: newListFilter("/admin/anvandare", r, "", nil, userStatuses)}
	v.Filter.QueryLabel = "Användare (e-post, namn, organisation, roll)"
	v.Users = listing.Keep(v.Filter.Filter, users, func(u auth.User) (string, []string) {
		st := userActive
		if u.Disabled {
			st = userDisabled
		}
		return st, []string{u.Email, u.Name, u.Org, names[u.Org], u.Role.Swedish()}
	})
	v.Filter.counted(len(v.Users), len(users))
	return v, true
}

// usersExport is the user list as a workbook, filtered as the page is.
func (s *server) usersExport(w http.ResponseWriter, r *http.Request, sess *session) {
	v, ok := s.userList(w, r, sess.Actor())
	if !ok {
		return
	}
	t := listing.Table{Sheet: "Användare", Title: "Användare", Headers: []string{"E-postadress", "Namn", "Organisation", "Organisationens id", "Roll", "Status"}}
	for _, u := range v.Users {
		status := "aktiv"
		if u.Disabled {
			status = "avstängd"
		}
		t.Add(u.Email, u.Name, v.Names[u.Org], u.Org, u.Role.Swedish(), status)
	}
	s.sendXLSX(w, r, "anvandare.xlsx", t)
}

// newUserView is the add-user form: first the organisation, then the
// roles that fit it (grant.CanHoldRole).
type newUserView struct {
	Orgs   []org.Organisation
	Org    org.Organisation
	Roles  []auth.Role
	Values map[string]string
	Errors formErrors
}

// FormValue is what the admin typed in the field.
func (v newUserView) FormValue(name string) string { return v.Values[name] }

// FormError is the field's message, if any.
func (v newUserView) FormError(name string) string { return v.Errors.Fields[name] }

func (s *server) newUserForm(w http.ResponseWriter, r *http.Request, sess *session) {
	if err := grant.CanManageUsers(sess.Actor()); err != nil {
		s.forbidden(w, r, err.Error())
		return
	}
	s.renderNewUser(w, r, http.StatusOK, r.URL.Query().Get("org"), nil, nil)
}

func (s *server) renderNewUser(w http.ResponseWriter, r *http.Request, status int, orgID string, values map[string]string, err error) {
	orgs, lerr := s.app.Organisations(r.Context())
	if lerr != nil {
		s.serverError(w, r, lerr)
		return
	}
	v := newUserView{Orgs: orgs, Values: values}
	if err != nil {
		v.Errors = errorsOf(err)
	}
	for _, o := range orgs {
		if o.ID == orgID {
			v.Org = o
			for _, role := range auth.Roles {
				if grant.CanHoldRole(role, o) == nil {
					v.Roles = append(v.Roles, role)
				}
			}
		}
	}
	s.render(w, r, status, "user_new.html", "Ny användare", v)
}

// shownPasswordView shows a new password once.
type shownPasswordView struct {
	User     auth.User
	Password string
	New      bool
}

func (s *server) createUser(w http.ResponseWriter, r *http.Request, sess *session) {
	values := formValues(r, "email", "name", "org", "role")
	u, password, err := s.app.CreateUser(r.Context(), sess.Actor(), app.NewUser{Email: values["email"], Name: values["name"], Org: values["org"], Role: auth.Role(values["role"])})
	if err != nil {
		if c := fault.CodeOf(err); c != fault.Invalid && c != fault.Conflict {
			s.refuse(w, r, err)
			return
		}
		s.renderNewUser(w, r, http.StatusUnprocessableEntity, values["org"], values, err)
		return
	}
	s.render(w, r, http.StatusCreated, "password_shown.html", "Användaren är skapad", shownPasswordView{User: u, Password: password, New: true})
}

// accountView is a user's account: the user, its live sessions and
// tokens, and whether the page is the user's own.
type accountView struct {
	app.Account
	Own     bool
	Manage  bool
	Current string // the hash of the viewer's own session
	Digest  bool   // the own user takes one daily digest instead of a mail per event
	Done    string
	Errors  formErrors
	Roles   []auth.Role // the roles the user's organisation may hold, for an admin to choose from
}

func (s *server) userAccount(w http.ResponseWriter, r *http.Request, sess *session) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.notFound(w, r)
		return
	}
	s.renderAccount(w, r, sess, id, http.StatusOK, nil)
}

func (s *server) ownAccount(w http.ResponseWriter, r *http.Request, sess *session) {
	s.renderAccount(w, r, sess, sess.User.ID, http.StatusOK, nil)
}

// done are the messages after an action, by the query's klart.
var done = map[string]string{
	"avstangd":  "Användaren är avstängd; dess inloggningar och tokens är avslutade.",
	"aktiverad": "Användaren kan logga in igen.",
	"avslutad":  "Inloggningen eller token är avslutad.",
	"losenord":  "Lösenordet är bytt. Alla dina andra inloggningar är avslutade.",
	"epost":     "Ditt val för e-post är sparat.",
	"roll":      "Rollen är ändrad. Den gäller från användarens nästa sidvisning.",
}

func (s *server) renderAccount(w http.ResponseWriter, r *http.Request, sess *session, id int64, status int, ferr error) {
	acc, err := s.app.Account(r.Context(), sess.Actor(), id)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	v := accountView{Account: acc, Own: id == sess.User.ID, Manage: grant.CanManageUsers(sess.Actor()) == nil,
		Current: auth.TokenHash(sess.token), Done: done[r.URL.Query().Get("klart")]}
	if ferr != nil {
		v.Errors = errorsOf(ferr)
	}
	if v.Manage && !v.Own {
		v.Roles = s.rolesOf(r, acc.User.Org)
	}
	if v.Own {
		if v.Digest, err = s.app.MailDigest(r.Context(), sess.Actor()); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	title := acc.User.Email
	if v.Own {
		title = "Mitt konto"
	}
	s.render(w, r, status, "account.html", title, v)
}

// accountID is the path's user id, or the signed-in user's own on /konto.
func accountID(r *http.Request, sess *session) (int64, bool) {
	if r.PathValue("id") == "" {
		return sess.User.ID, true
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id, err == nil
}

// accountPage is where a user's account is shown.
func accountPage(id int64, sess *session) string {
	if id == sess.User.ID {
		return "/konto"
	}
	return "/admin/anvandare/" + strconv.FormatInt(id, 10)
}

func (s *server) setDisabled(disabled bool) func(http.ResponseWriter, *http.Request, *session) {
	return func(w http.ResponseWriter, r *http.Request, sess *session) {
		id, ok := accountID(r, sess)
		if !ok {
			s.notFound(w, r)
			return
		}
		if _, err := s.app.SetUserDisabled(r.Context(), sess.Actor(), id, disabled); err != nil {
			s.refuse(w, r, err)
			return
		}
		what := "aktiverad"
		if disabled {
			what = "avstangd"
		}
		http.Redirect(w, r, accountPage(id, sess)+"?klart="+what, http.StatusSeeOther)
	}
}

func (s *server) resetPassword(w http.ResponseWriter, r *http.Request, sess *session) {
	id, ok := accountID(r, sess)
	if !ok {
		s.notFound(w, r)
		return
	}
	u, password, err := s.app.ResetPassword(r.Context(), sess.Actor(), id)
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "password_shown.html", "Nytt lösenord", shownPasswordView{User: u, Password: password})
}

// revoke ends a session (form field session) or an API token (field
// token) of the account.
func (s *server) revoke(w http.ResponseWriter, r *http.Request, sess *session) {
	id, ok := accountID(r, sess)
	if !ok {
		s.notFound(w, r)
		return
	}
	var err error
	if h := r.PostFormValue("token"); h != "" {
		err = s.app.RevokeToken(r.Context(), sess.Actor(), id, h)
	} else {
		err = s.app.RevokeSession(r.Context(), sess.Actor(), id, r.PostFormValue("session"))
	}
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	http.Redirect(w, r, accountPage(id, sess)+"?klart=avslutad", http.StatusSeeOther)
}

func (s *server) changePassword(w http.ResponseWriter, r *http.Request, sess *session) {
	err := s.app.ChangePassword(r.Context(), sess.Actor(), r.PostFormValue("current"), r.PostFormValue("password"), sess.token)
	if err == nil {
		http.Redirect(w, r, "/konto?klart=losenord", http.StatusSeeOther)
		return
	}
	if fault.CodeOf(err) != fault.Invalid {
		s.refuse(w, r, err)
		return
	}
	s.renderAccount(w, r, sess, sess.User.ID, http.StatusUnprocessableEntity, err)
}

// setMailDigest records the own user's choice: a mail per event or one
// daily digest.
func (s *server) setMailDigest(w http.ResponseWriter, r *http.Request, sess *session) {
	if err := s.app.SetMailDigest(r.Context(), sess.Actor(), r.PostFormValue("digest") == "daglig"); err != nil {
		s.refuse(w, r, err)
		return
	}
	http.Redirect(w, r, "/konto?klart=epost", http.StatusSeeOther)
}

// rolesOf are the roles a user of the organisation may hold.
func (s *server) rolesOf(r *http.Request, orgID string) []auth.Role {
	o, err := s.app.Organisation(r.Context(), orgID)
	if err != nil {
		return nil
	}
	var out []auth.Role
	for _, role := range auth.Roles {
		if grant.CanHoldRole(role, o) == nil {
			out = append(out, role)
		}
	}
	return out
}

// changeRole gives the user another role; a role its organisation may
// not hold comes back on the account page beside the choice.
func (s *server) changeRole(w http.ResponseWriter, r *http.Request, sess *session) {
	id, ok := accountID(r, sess)
	if !ok {
		s.notFound(w, r)
		return
	}
	_, err := s.app.ChangeRole(r.Context(), sess.Actor(), id, auth.Role(r.PostFormValue("role")))
	if err == nil {
		http.Redirect(w, r, accountPage(id, sess)+"?klart=roll", http.StatusSeeOther)
		return
	}
	if fault.CodeOf(err) != fault.Invalid {
		s.refuse(w, r, err)
		return
	}
	s.renderAccount(w, r, sess, id, http.StatusUnprocessableEntity, err)
}
