package app

import (
	"context"
	"fmt"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/store"
)

// NewUser is what an admin fills in to add a user.
type NewUser struct {
	Email, Name, Org string
	Role             auth.Role
}

// CreateUser adds a user for an admin, with a new random password that is
// returned once, to be handed to the user, and never kept in clear.
func (a *App) CreateUser(ctx context.Context, actor auth.Actor, n NewUser) (auth.User, string, error) {
	if err := grant.CanManageUsers(actor); err != nil {
		return auth.User{}, "", err
	}
	password := auth.NewPassword()
	u, err := a.addUser(ctx, actor, n.Email, n.Name, n.Org, n.Role, password)
	if err != nil {
		return auth.User{}, "", err
	}
	return u, password, nil
}

// Account is a user with its live sessions and API tokens.
type Account struct {
	User     auth.User
	Sessions []auth.Session
	Tokens   []auth.Token
}

// Account returns the user with the id, its sessions and tokens: for the
// user itself or an admin.
func (a *App) Account(ctx context.Context, actor auth.Actor, id int64) (Account, error) {
	if err := grant.CanManageAccount(actor, id); err != nil {
		return Account{}, err
	}
	var out Account
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if out.User, err = tx.UserByID(id); err != nil {
			return notFound(err, "Användaren finns inte.")
		}
		now := a.Timer.Now()
		if out.Sessions, err = tx.SessionsOf(id, now); err != nil {
			return err
		}
		out.Tokens, err = tx.TokensOf(id, now)
		return err
	})
	return out, err
}

// SetUserDisabled disables a user (its sessions and tokens end at once) or
// re-enables it. An admin cannot disable itself.
func (a *App) SetUserDisabled(ctx context.Context, actor auth.Actor, id int64, disabled bool) (auth.User, error) {
	if err := grant.CanManageUsers(actor); err != nil {
		return auth.User{}, err
	}
	if disabled && id == actor.UserID {
		return auth.User{}, fault.New(fault.Conflict, "Du kan inte stänga av ditt eget konto.")
	}
	var u auth.User
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if u, err = tx.UserByID(id); err != nil {
			return notFound(err, "Användaren finns inte.")
		}
		if err := tx.SetDisabled(id, disabled); err != nil {
			return err
		}
		u.Disabled = disabled
		action := "user.enable"
		if disabled {
			action = "user.disable"
			if _, err := tx.DeleteSessionsOf(id, ""); err != nil {
				return err
			}
			if _, err := tx.DeleteTokensOf(id); err != nil {
				return err
			}
		}
		_, err = tx.Audit(entry(actor, a.Clock.Now(), action, "user:"+u.Email, nil))
		return err
	})
	return u, err
}

// ChangeRole gives the user with the id another role, one its
// organisation may hold (grant.CanHoldRole); it applies to the user's
// sessions and tokens at once, as each request reads the user anew. An
// admin cannot change its own role (it could not change it back).
func (a *App) ChangeRole(ctx context.Context, actor auth.Actor, id int64, role auth.Role) (auth.User, error) {
	if err := grant.CanManageUsers(actor); err != nil {
		return auth.User{}, err
	}
	if id == actor.UserID {
		return auth.User{}, fault.New(fault.Conflict, "Du kan inte ändra din egen roll.")
	}
	if !role.Valid() {
		return auth.User{}, fault.Fields{"role": fmt.Sprintf("Okänd roll %q.", role)}.Err()
	}
	var u auth.User
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if u, err = tx.UserByID(id); err != nil {
			return notFound(err, "Användaren finns inte.")
		}
		o, err := tx.Organisation(u.Org)
		if err != nil {
			return notFound(err, "Organisationen %q finns inte.", u.Org)
		}
		if err := grant.CanHoldRole(role, o); err != nil {
			return fault.Fields{"role": message(err)}.Err()
		}
		if role == u.Role {
			return nil // nothing changes: nothing to audit
		}
		if err := tx.SetRole(id, role); err != nil {
			return err
		}
		from := u.Role
		u.Role = role
		_, err = tx.Audit(entry(actor, a.Clock.Now(), "user.role", "user:"+u.Email, map[string]any{"from": from, "to": role}))
		return err
	})
	return u, err
}

// ResetPassword gives the user with the id a new random password, returned
// once to be handed over, and ends all its sessions.
func (a *App) ResetPassword(ctx context.Context, actor auth.Actor, id int64) (auth.User, string, error) {
	if err := grant.CanManageUsers(actor); err != nil {
		return auth.User{}, "", err
	}
	password := auth.NewPassword()
	hash, err := a.hashPassword(ctx, password, "")
	if err != nil {
		return auth.User{}, "", err
	}
	var u auth.User
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if u, err = tx.UserByID(id); err != nil {
			return notFound(err, "Användaren finns inte.")
		}
		if err := tx.SetPassword(id, hash); err != nil {
			return err
		}
		if _, err := tx.DeleteSessionsOf(id, ""); err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, a.Clock.Now(), "user.reset_password", "user:"+u.Email, nil))
		return err
	})
	if err != nil {
		return auth.User{}, "", err
	}
	return u, password, nil
}

// ChangePassword changes the actor's own password after checking the
// current one; every other session of the user ends (the one with the
// token keep, the caller's own, stays; empty ends all).
func (a *App) ChangePassword(ctx context.Context, actor auth.Actor, current, password, keep string) error {
	if err := grant.CanManageAccount(actor, actor.UserID); err != nil {
		return err
	}
	if current == password {
		return fault.Fields{"password": "Det nya lösenordet måste skilja sig från det nuvarande."}.Err()
	}
	if err := auth.CheckPolicy(password, actor.Email); err != nil {
		return fault.Fields{"password": capitalize(err.Error()) + "."}.Err()
	}
	release, ok := a.acquireHashing(ctx)
	if !ok {
		return ErrBusy
	}
	_, _, err := a.checkPassword(ctx, actor.Email, current)
	release()
	if err != nil {
		if fault.CodeOf(err) == fault.Unauthenticated {
			return fault.Fields{"current": "Det nuvarande lösenordet stämmer inte."}.Err()
		}
		return err
	}
	hash, err := a.hashPassword(ctx, password, actor.Email)
	if err != nil {
		return err
	}
	return a.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SetPassword(actor.UserID, hash); err != nil {
			return err
		}
		except := ""
		if keep != "" {
			except = auth.TokenHash(keep)
		}
		n, err := tx.DeleteSessionsOf(actor.UserID, except)
		if err != nil {
			return err
		}
		_, err = tx.Audit(entry(actor, a.Clock.Now(), "user.change_password", "user:"+actor.Email, map[string]any{"sessions_ended": n}))
		return err
	})
}

// RevokeSession ends a session of the user with the id, found by the hash
// of its token: for the user itself or an admin. A session already ended
// (or never there) is no error: the outcome is the same.
func (a *App) RevokeSession(ctx context.Context, actor auth.Actor, id int64, tokenHash string) error {
	return a.revoke(ctx, actor, id, "session.revoke", func(tx *store.Tx) (bool, error) { return tx.DeleteSessionOf(id, tokenHash) })
}

// RevokeToken revokes an API token of the user with the id, found by its
// hash: for the user itself or an admin. A token already revoked is no
// error.
func (a *App) RevokeToken(ctx context.Context, actor auth.Actor, id int64, tokenHash string) error {
	return a.revoke(ctx, actor, id, "token.revoke", func(tx *store.Tx) (bool, error) { return tx.DeleteTokenOf(id, tokenHash) })
}

// revoke ends one session or token of the user with the id by del, and
// audits it under action when there was one to end.
func (a *App) revoke(ctx context.Context, actor auth.Actor, id int64, action string, del func(*store.Tx) (bool, error)) error {
	if err := grant.CanManageAccount(actor, id); err != nil {
		return err
	}
	return a.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByID(id)
		if err != nil {
			return notFound(err, "Användaren finns inte.")
		}
		ended, err := del(tx)
		if err != nil || !ended {
			return err // nothing ended: ending it again changes nothing
		}
		_, err = tx.Audit(entry(actor, a.Clock.Now(), action, "user:"+u.Email, nil))
		return err
	})
}
