package app

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/store"
)

// Sign-in throttling: after maxFailures failed attempts for an e-mail within
// failureWindow, sign-in for it is refused until the window has passed.
const (
	maxFailures   = 5
	failureWindow = 15 * time.Minute
	// SessionTTL is how long a web session lasts.
	SessionTTL = 12 * time.Hour
)

// ErrThrottled is returned when too many sign-ins have failed.
var ErrThrottled = fault.New(fault.Unauthenticated, "För många misslyckade inloggningar. Försök igen om en stund.")

var errBadLogin = fault.New(fault.Unauthenticated, "Fel e-postadress eller lösenord.")

// AddUser creates a user with a password (the command line and the demo).
func (a *App) AddUser(ctx context.Context, email, name, orgID string, role auth.Role, password string) (auth.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	bad := fault.Fields{}
	if _, err := mail.ParseAddress(email); err != nil {
		bad.Add("email", "Ange en giltig e-postadress.")
	}
	if !role.Valid() {
		bad.Add("role", "Okänd roll %q.", role)
	}
	if err := bad.Err(); err != nil {
		return auth.User{}, err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return auth.User{}, fault.Fields{"password": err.Error()}.Err()
	}
	if name == "" {
		name = email
	}
	u := auth.User{Email: email, Name: name, Org: orgID, Role: role, PasswordHash: hash, CreatedAt: a.Clock.Now()}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		o, err := tx.Organisation(orgID)
		if err != nil {
			return notFound(err, "Organisationen %q finns inte.", orgID)
		}
		if err := grant.CanHoldRole(role, o); err != nil {
			return fault.Fields{"role": message(err)}.Err()
		}
		if err := tx.InsertUser(&u); err != nil {
			if errors.Is(err, store.ErrDuplicate) {
				return fault.New(fault.Conflict, "Det finns redan en användare med e-postadressen %s.", email)
			}
			return err
		}
		_, err = tx.Audit(entry(auth.Actor{Email: "system", Org: "narvard"}, u.CreatedAt, "user.add", "user:"+email,
			map[string]any{"org": orgID, "role": role}))
		return err
	})
	return u, err
}

// Authenticate checks an e-mail and password, with throttling. Failures
// never say which of the two was wrong.
func (a *App) Authenticate(ctx context.Context, email, password string) (auth.User, error) {
	now := a.Clock.Now()
	var u auth.User
	var failures int
	var misfit error
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if failures, err = tx.LoginFailures(email, now.Add(-failureWindow)); err != nil {
			return err
		}
		if u, err = tx.UserByEmail(email); err != nil {
			return err
		}
		misfit = a.roleMisfit(tx, u)
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return u, err
	}
	if failures >= maxFailures {
		return auth.User{}, ErrThrottled
	}
	ok := false
	if err == nil && !u.Disabled {
		ok, _ = auth.CheckPassword(u.PasswordHash, password)
	} else {
		auth.CheckPassword(dummyHash(), password) // spend the same time as for a real user
	}
	if !ok {
		if err := a.db.Update(ctx, func(tx *store.Tx) error { return tx.RecordLoginFailure(email, now) }); err != nil {
			return auth.User{}, err
		}
		return auth.User{}, errBadLogin
	}
	if err := a.db.Update(ctx, func(tx *store.Tx) error { return tx.ClearLoginFailures(email) }); err != nil {
		return auth.User{}, err
	}
	if misfit != nil {
		return auth.User{}, misfit
	}
	return u, nil
}

// dummyHash is checked against when the e-mail is unknown, so that an
// unknown user takes as long as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := auth.HashPassword("narvard-dummy-password")
	return h
})

// NewSession signs the user in and returns the session's token (for the
// cookie) and its CSRF token.
func (a *App) NewSession(ctx context.Context, u auth.User) (token, csrf string, err error) {
	now := a.Clock.Now()
	token, csrf = auth.NewToken(), auth.NewToken()
	s := auth.Session{TokenHash: auth.TokenHash(token), UserID: u.ID, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(SessionTTL)}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.InsertSession(s); err != nil {
			return err
		}
		_, err := tx.Audit(entry(u.Actor(), now, "session.start", "user:"+u.Email, nil))
		return err
	})
	return token, csrf, err
}

// Session returns the user and CSRF token of a live session.
func (a *App) Session(ctx context.Context, token string) (auth.User, string, error) {
	var u auth.User
	var s auth.Session
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if s, err = tx.Session(auth.TokenHash(token)); err != nil {
			return err
		}
		if u, err = tx.UserByID(s.UserID); err != nil {
			return err
		}
		return a.roleMisfit(tx, u)
	})
	if err != nil || !a.Clock.Now().Before(s.ExpiresAt) || u.Disabled {
		return auth.User{}, "", fault.New(fault.Unauthenticated, "Du är inte inloggad.")
	}
	return u, s.CSRF, nil
}

// EndSession signs the session out.
func (a *App) EndSession(ctx context.Context, token string) error {
	return a.db.Update(ctx, func(tx *store.Tx) error { return tx.DeleteSession(auth.TokenHash(token), a.Clock.Now()) })
}

// CreateToken makes an API bearer token for the user with the e-mail,
// valid for ttl.
func (a *App) CreateToken(ctx context.Context, email string, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		return "", fault.Fields{"ttl": "Giltighetstiden måste vara positiv."}.Err()
	}
	now := a.Clock.Now()
	token := auth.NewToken()
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByEmail(email)
		if err != nil {
			return notFound(err, "Användaren %s finns inte.", email)
		}
		if err := a.roleMisfit(tx, u); err != nil {
			return err
		}
		if err := tx.InsertToken(auth.Token{TokenHash: auth.TokenHash(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(ttl)}); err != nil {
			return err
		}
		_, err = tx.Audit(entry(u.Actor(), now, "token.create", "user:"+u.Email, map[string]any{"expires": now.Add(ttl).UTC()}))
		return err
	})
	return token, err
}

// TokenUser returns the user of a live API token.
func (a *App) TokenUser(ctx context.Context, token string) (auth.User, error) {
	var u auth.User
	var k auth.Token
	var misfit error
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if k, err = tx.Token(auth.TokenHash(token)); err != nil {
			return err
		}
		if u, err = tx.UserByID(k.UserID); err != nil {
			return err
		}
		misfit = a.roleMisfit(tx, u)
		return nil
	})
	if err != nil || !a.Clock.Now().Before(k.ExpiresAt) || u.Disabled {
		return auth.User{}, fault.New(fault.Unauthenticated, "Ogiltig eller utgången token.")
	}
	if misfit != nil {
		return auth.User{}, misfit
	}
	return u, nil
}

// Users lists the users (admins and auditors only).
func (a *App) Users(ctx context.Context, actor auth.Actor) ([]auth.User, error) {
	if err := grant.CanListUsers(actor); err != nil {
		return nil, err
	}
	var out []auth.User
	err := a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		out, err = tx.Users()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("användare: %w", err)
	}
	return out, nil
}

// roleMisfit refuses a user whose role does not belong in its organisation
// (grant.CanHoldRole): such a user, stored before the rule or by hand, is
// listed but cannot sign in or use a token until an admin fixes it.
func (a *App) roleMisfit(tx *store.Tx, u auth.User) error {
	o, err := tx.Organisation(u.Org)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := grant.CanHoldRole(u.Role, o); err != nil {
		return fault.New(fault.Forbidden, "%s kan inte logga in: %s En administratör behöver ändra användarens roll eller organisation.", u.Email, message(err))
	}
	return nil
}
