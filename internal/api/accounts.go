package api

import (
	"net/http"
	"strconv"
	"time"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/fault"
)

func (h *API) accountRoutes() {
	h.handle("GET /api/v1/users", h.listUsers)
	h.handle("POST /api/v1/users", h.createUser)
	h.handle("GET /api/v1/users/{id}", h.getAccount)
	h.handle("POST /api/v1/users/{id}/disable", h.setDisabled(true))
	h.handle("POST /api/v1/users/{id}/enable", h.setDisabled(false))
	h.handle("POST /api/v1/users/{id}/reset-password", h.resetPassword)
	h.handle("DELETE /api/v1/users/{id}/sessions/{hash}", h.revokeSession)
	h.handle("DELETE /api/v1/users/{id}/tokens/{hash}", h.revokeToken)
	h.handle("POST /api/v1/me/password", h.changePassword)
}

type userJSON struct {
	ID           int64     `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Organisation string    `json:"organisation"`
	Role         auth.Role `json:"role"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
}

func userOf(u auth.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Organisation: u.Org, Role: u.Role, Disabled: u.Disabled, CreatedAt: u.CreatedAt.UTC()}
}

// credentialJSON is a session or a token, named by the hash of its secret.
type credentialJSON struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (h *API) listUsers(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	users, err := h.app.Users(r.Context(), actor)
	if err != nil {
		return err
	}
	out := make([]userJSON, 0, len(users))
	for _, u := range users {
		out = append(out, userOf(u))
	}
	writeJSON(w, http.StatusOK, map[string]any{"users": out})
	return nil
}

func (h *API) createUser(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var in struct {
		Email        string    `json:"email"`
		Name         string    `json:"name"`
		Organisation string    `json:"organisation"`
		Role         auth.Role `json:"role"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	u, password, err := h.app.CreateUser(r.Context(), actor, app.NewUser{Email: in.Email, Name: in.Name, Org: in.Organisation, Role: in.Role})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/users/"+strconv.FormatInt(u.ID, 10))
	writeJSON(w, http.StatusCreated, map[string]any{"user": userOf(u), "password": password})
	return nil
}

func userID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, fault.New(fault.NotFound, "Användaren finns inte.")
	}
	return id, nil
}

func (h *API) getAccount(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	acc, err := h.app.Account(r.Context(), actor, id)
	if err != nil {
		return err
	}
	sessions, tokens := []credentialJSON{}, []credentialJSON{}
	for _, s := range acc.Sessions {
		sessions = append(sessions, credentialJSON{s.TokenHash, s.CreatedAt.UTC(), s.ExpiresAt.UTC()})
	}
	for _, k := range acc.Tokens {
		tokens = append(tokens, credentialJSON{k.TokenHash, k.CreatedAt.UTC(), k.ExpiresAt.UTC()})
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": userOf(acc.User), "sessions": sessions, "tokens": tokens})
	return nil
}

func (h *API) setDisabled(disabled bool) handler {
	return func(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
		id, err := userID(r)
		if err != nil {
			return err
		}
		u, err := h.app.SetUserDisabled(r.Context(), actor, id, disabled)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, userOf(u))
		return nil
	}
}

func (h *API) resetPassword(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	u, password, err := h.app.ResetPassword(r.Context(), actor, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"user": userOf(u), "password": password})
	return nil
}

func (h *API) revokeSession(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	if err := h.app.RevokeSession(r.Context(), actor, id, r.PathValue("hash")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *API) revokeToken(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	id, err := userID(r)
	if err != nil {
		return err
	}
	if err := h.app.RevokeToken(r.Context(), actor, id, r.PathValue("hash")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// changePassword changes the caller's own password; every web session of
// the user ends (API tokens stay).
func (h *API) changePassword(w http.ResponseWriter, r *http.Request, actor auth.Actor) error {
	var in struct {
		Current  string `json:"current"`
		Password string `json:"password"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if err := h.app.ChangePassword(r.Context(), actor, in.Current, in.Password, ""); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
