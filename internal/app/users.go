package app

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"runtime"
	"strings"
	"sync"
	"time"

	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/store"
)

const (
	// SessionTTL is how long a web session lasts.
	SessionTTL = 12 * time.Hour
	// MaxTokenTTL is the longest an API token may live.
	MaxTokenTTL = 90 * 24 * time.Hour
	// MaxEmail is the longest e-mail address accepted (RFC 5321's path).
	MaxEmail = 254
	// DefaultHashes is how many passwords are hashed at once by default:
	// each argon2id hash takes 64 MiB.
	DefaultHashes = 4
	// DefaultHashWait is how long a sign-in waits by default for its turn
	// to hash before the server answers that it is busy.
	DefaultHashWait = 3 * time.Second
)

// ErrBusy is returned when a password could not be hashed within the
// wait because others were being hashed.
var ErrBusy = fault.Later(fault.Unavailable, 2*time.Second, "Många loggar in just nu. Försök igen om en stund.")

var errBadLogin = fault.New(fault.Unauthenticated, "Fel e-postadress eller lösenord.")

// LimitHashing sets how many passwords may be hashed at once and how long
// a sign-in waits for its turn (serve's --signin-hashes and --signin-wait).
func (a *App) LimitHashing(n int, wait time.Duration) {
	a.hashing = auth.NewLimiter(n, wait)
}

// HashWait is how long a sign-in waits for its turn to hash.
func (a *App) HashWait() time.Duration { return a.hashing.Wait() }

// hashPassword hashes a password that meets the policy for the e-mail,
// waiting its turn.
func (a *App) hashPassword(ctx context.Context, password, email string) (string, error) {
	if err := auth.CheckPolicy(password, email); err != nil {
		return "", fault.Fields{"password": capitalize(err.Error()) + "."}.Err()
	}
	release, ok := a.acquireHashing(ctx)
	if !ok {
		return "", ErrBusy
	}
	defer release()
	return auth.HashPassword(password)
}

// acquireHashing takes one of the slots for hashing. Its release collects
// the hash's 64 MiB before the next hash may start, so that the heap holds
// no more than the slots' hashes at once and does not grow to twice that
// before the collector runs (50 parallel sign-ins stay far below 500 MB).
func (a *App) acquireHashing(ctx context.Context) (release func(), ok bool) {
	free, ok := a.hashing.Acquire(ctx)
	if !ok {
		return nil, false
	}
	return func() {
		runtime.GC()
		free()
	}, true
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// checkEmail normalises an e-mail address and refuses an invalid or too
// long one.
func checkEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if len(email) > MaxEmail {
		return "", fault.Fields{"email": fmt.Sprintf("E-postadressen får vara högst %d tecken.", MaxEmail)}.Err()
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return "", fault.Fields{"email": "Ange en giltig e-postadress."}.Err()
	}
	return email, nil
}

// AddUser creates a user with a password (the command line and the demo).
func (a *App) AddUser(ctx context.Context, email, name, orgID string, role auth.Role, password string) (auth.User, error) {
	return a.addUser(ctx, auth.Actor{Email: "system", Org: "narvard"}, email, name, orgID, role, password)
}

func (a *App) addUser(ctx context.Context, by auth.Actor, email, name, orgID string, role auth.Role, password string) (auth.User, error) {
	bad := fault.Fields{}
	email, err := checkEmail(email)
	if err != nil {
		bad.Add("email", "%s", err.(*fault.Error).Fields["email"])
	}
	if !role.Valid() {
		bad.Add("role", "Okänd roll %q.", role)
	}
	if len(name) > 200 {
		bad.Add("name", "Namnet får vara högst 200 tecken.")
	}
	if err := bad.Err(); err != nil {
		return auth.User{}, err
	}
	hash, err := a.hashPassword(ctx, password, email)
	if err != nil {
		return auth.User{}, err
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
		_, err = tx.Audit(entry(by, u.CreatedAt, "user.add", "user:"+email,
			map[string]any{"org": orgID, "role": role}))
		return err
	})
	return u, err
}

// Authenticate checks an e-mail and password from the client address,
// throttled per account and per address (auth.Throttle) on the real
// clock, and hashing no more passwords at once than the limit allows.
// Failures never say which of the two was wrong.
func (a *App) Authenticate(ctx context.Context, email, password, addr string) (auth.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if len(email) > MaxEmail || len(password) > auth.MaxPassword || email == "" {
		return auth.User{}, errBadLogin // no such user can exist: nothing to count or hash
	}
	attempt, wait := a.throttle.Begin(email, addr, a.Timer.Now())
	if attempt == nil {
		return auth.User{}, fault.Later(fault.TooMany, wait, "För många misslyckade inloggningar. Försök igen om %s.", seconds(wait))
	}
	release, ok := a.acquireHashing(ctx)
	if !ok {
		attempt.Cancel()
		return auth.User{}, ErrBusy
	}
	u, misfit, err := a.checkPassword(ctx, email, password)
	release()
	if err != nil {
		return auth.User{}, err
	}
	attempt.Succeeded()
	if misfit != nil {
		return auth.User{}, misfit
	}
	return u, nil
}

// checkPassword checks the password of the user with the e-mail: errBadLogin
// when there is no such user, it is disabled or the password is wrong.
func (a *App) checkPassword(ctx context.Context, email, password string) (u auth.User, misfit, err error) {
	err = a.db.View(ctx, func(tx *store.Tx) error {
		var err error
		if u, err = tx.UserByEmail(email); err != nil {
			return err
		}
		misfit = a.roleMisfit(tx, u)
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return u, nil, err
	}
	ok := false
	if err == nil && !u.Disabled {
		ok, _ = auth.CheckPassword(u.PasswordHash, password)
	} else {
		auth.CheckPassword(dummyHash(), password) // spend the same time as for a real user
	}
	if !ok {
		return auth.User{}, nil, errBadLogin
	}
	return u, misfit, nil
}

// seconds says a wait in Swedish, in whole seconds or minutes.
func seconds(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	switch {
	case s <= 1:
		return "en sekund"
	case s < 120:
		return fmt.Sprintf("%d sekunder", s)
	}
	return fmt.Sprintf("%d minuter", (s+59)/60)
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
	now := a.Timer.Now()
	token, csrf = auth.NewToken(), auth.NewToken()
	s := auth.Session{TokenHash: auth.TokenHash(token), UserID: u.ID, CSRF: csrf, CreatedAt: now, ExpiresAt: now.Add(SessionTTL)}
	err = a.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.InsertSession(s); err != nil {
			return err
		}
		_, err := tx.Audit(entry(u.Actor(), a.Clock.Now(), "session.start", "user:"+u.Email, nil))
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
	if err != nil || !a.Timer.Now().Before(s.ExpiresAt) || u.Disabled {
		return auth.User{}, "", fault.New(fault.Unauthenticated, "Du är inte inloggad.")
	}
	return u, s.CSRF, nil
}

// EndSession signs the session out.
func (a *App) EndSession(ctx context.Context, token string) error {
	return a.db.Update(ctx, func(tx *store.Tx) error { return tx.DeleteSession(auth.TokenHash(token), a.Timer.Now()) })
}

// CreateToken makes an API bearer token for the user with the e-mail,
// valid for ttl, at most MaxTokenTTL.
func (a *App) CreateToken(ctx context.Context, email string, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		return "", fault.Fields{"ttl": "Giltighetstiden måste vara positiv."}.Err()
	}
	if ttl > MaxTokenTTL {
		return "", fault.Fields{"ttl": fmt.Sprintf("En token får gälla högst %d dagar.", MaxTokenTTL/(24*time.Hour))}.Err()
	}
	now := a.Timer.Now()
	token := auth.NewToken()
	err := a.db.Update(ctx, func(tx *store.Tx) error {
		u, err := tx.UserByEmail(email)
		if err != nil {
			return notFound(err, "Användaren %s finns inte.", email)
		}
		if u.Disabled {
			return fault.New(fault.Conflict, "Användaren %s är avstängd.", u.Email)
		}
		if err := a.roleMisfit(tx, u); err != nil {
			return err
		}
		if err := tx.InsertToken(auth.Token{TokenHash: auth.TokenHash(token), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(ttl)}); err != nil {
			return err
		}
		_, err = tx.Audit(entry(u.Actor(), a.Clock.Now(), "token.create", "user:"+u.Email, map[string]any{"expires": now.Add(ttl).UTC()}))
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
	if err != nil || !a.Timer.Now().Before(k.ExpiresAt) || u.Disabled {
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
