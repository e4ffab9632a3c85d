package store

import (
	"fmt"
	"strings"
	"time"

	"narvard/internal/auth"
)

// InsertUser adds a user and sets its id. The e-mail is kept in lower case;
// a second user with the same e-mail is ErrDuplicate.
func (t *Tx) InsertUser(u *auth.User) error {
	id, err := t.nextID("users", "id")
	if err != nil {
		return err
	}
	u.ID, u.Email = id, strings.ToLower(strings.TrimSpace(u.Email))
	t.touch("user", id)
	_, err = t.exec(`INSERT INTO users (id, email, name, org_id, role, password_hash, created_at, disabled)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		u.ID, u.Email, u.Name, u.Org, string(u.Role), u.PasswordHash, fmtTime(u.CreatedAt), boolInt(u.Disabled))
	if isUnique(err) {
		return fmt.Errorf("användare %s: %w", u.Email, ErrDuplicate)
	}
	return err
}

// SetPassword replaces a user's password hash.
func (t *Tx) SetPassword(id int64, hash string) error {
	t.touch("user", id)
	_, err := t.exec("UPDATE users SET password_hash = $1 WHERE id = $2", hash, id)
	return err
}

const userColumns = "id, email, name, org_id, role, password_hash, created_at, disabled"

func scanUser(s interface{ Scan(...any) error }) (auth.User, error) {
	var u auth.User
	var role, created string
	var disabled int
	err := s.Scan(&u.ID, &u.Email, &u.Name, &u.Org, &role, &u.PasswordHash, &created, &disabled)
	u.Role, u.CreatedAt, u.Disabled = auth.Role(role), parseTime(created), disabled != 0
	return u, err
}

// UserByEmail returns the user with the given e-mail, in any case.
func (t *Tx) UserByEmail(email string) (auth.User, error) {
	u, err := scanUser(t.queryRow("SELECT "+userColumns+" FROM users WHERE email = $1", strings.ToLower(strings.TrimSpace(email))))
	if err != nil {
		return u, fmt.Errorf("användare %s: %w", email, notFound(err))
	}
	return u, nil
}

// UserByID returns the user with the given id.
func (t *Tx) UserByID(id int64) (auth.User, error) {
	u, err := scanUser(t.queryRow("SELECT "+userColumns+" FROM users WHERE id = $1", id))
	if err != nil {
		return u, fmt.Errorf("användare %d: %w", id, notFound(err))
	}
	return u, nil
}

// Users returns every user sorted by organisation and e-mail.
func (t *Tx) Users() ([]auth.User, error) {
	rows, err := t.query("SELECT " + userColumns + " FROM users ORDER BY org_id, email")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []auth.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// InsertSession saves a new session.
func (t *Tx) InsertSession(s auth.Session) error {
	_, err := t.exec("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
		s.TokenHash, s.UserID, s.CSRF, fmtTime(s.CreatedAt), fmtTime(s.ExpiresAt))
	return err
}

// Session returns the session with the given token hash.
func (t *Tx) Session(tokenHash string) (auth.Session, error) {
	var s auth.Session
	var created, expires string
	err := t.queryRow("SELECT token_hash, user_id, csrf, created_at, expires_at FROM sessions WHERE token_hash = $1", tokenHash).
		Scan(&s.TokenHash, &s.UserID, &s.CSRF, &created, &expires)
	s.CreatedAt, s.ExpiresAt = parseTime(created), parseTime(expires)
	return s, notFound(err)
}

// DeleteSession ends a session, and any expired ones with it.
func (t *Tx) DeleteSession(tokenHash string, now time.Time) error {
	_, err := t.exec("DELETE FROM sessions WHERE token_hash = $1 OR expires_at < $2", tokenHash, fmtTime(now))
	return err
}

// InsertToken saves a new API token.
func (t *Tx) InsertToken(k auth.Token) error {
	_, err := t.exec("INSERT INTO api_tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
		k.TokenHash, k.UserID, fmtTime(k.CreatedAt), fmtTime(k.ExpiresAt))
	return err
}

// Token returns the API token with the given hash.
func (t *Tx) Token(tokenHash string) (auth.Token, error) {
	var k auth.Token
	var created, expires string
	err := t.queryRow("SELECT token_hash, user_id, created_at, expires_at FROM api_tokens WHERE token_hash = $1", tokenHash).
		Scan(&k.TokenHash, &k.UserID, &created, &expires)
	k.CreatedAt, k.ExpiresAt = parseTime(created), parseTime(expires)
	return k, notFound(err)
}

// SetDisabled disables or re-enables a user.
func (t *Tx) SetDisabled(id int64, disabled bool) error {
	t.touch("user", id)
	_, err := t.exec("UPDATE users SET disabled = $1 WHERE id = $2", boolInt(disabled), id)
	return err
}

// SetRole changes the user's role.
func (t *Tx) SetRole(id int64, role auth.Role) error {
	t.touch("user", id)
	_, err := t.exec("UPDATE users SET role = $1 WHERE id = $2", string(role), id)
	return err
}

// SessionsOf returns the user's live sessions at now, newest first.
func (t *Tx) SessionsOf(userID int64, now time.Time) ([]auth.Session, error) {
	rows, err := t.query("SELECT token_hash, user_id, csrf, created_at, expires_at FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC, token_hash",
		userID, fmtTime(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []auth.Session
	for rows.Next() {
		var s auth.Session
		var created, expires string
		if err := rows.Scan(&s.TokenHash, &s.UserID, &s.CSRF, &created, &expires); err != nil {
			return nil, err
		}
		s.CreatedAt, s.ExpiresAt = parseTime(created), parseTime(expires)
		out = append(out, s)
	}
	return out, rows.Err()
}

// TokensOf returns the user's live API tokens at now, newest first.
func (t *Tx) TokensOf(userID int64, now time.Time) ([]auth.Token, error) {
	rows, err := t.query("SELECT token_hash, user_id, created_at, expires_at FROM api_tokens WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC, token_hash",
		userID, fmtTime(now))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []auth.Token
	for rows.Next() {
		var k auth.Token
		var created, expires string
		if err := rows.Scan(&k.TokenHash, &k.UserID, &created, &expires); err != nil {
			return nil, err
		}
		k.CreatedAt, k.ExpiresAt = parseTime(created), parseTime(expires)
		out = append(out, k)
	}
	return out, rows.Err()
}

// DeleteSessionOf ends one session of the user; it reports whether there
// was one.
func (t *Tx) DeleteSessionOf(userID int64, tokenHash string) (bool, error) {
	res, err := t.exec("DELETE FROM sessions WHERE user_id = $1 AND token_hash = $2", userID, tokenHash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// DeleteSessionsOf ends every session of the user but the one with the
// hash except (which may be empty), and returns how many ended.
func (t *Tx) DeleteSessionsOf(userID int64, except string) (int64, error) {
	res, err := t.exec("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2", userID, except)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// DeleteTokenOf revokes one API token of the user; it reports whether
// there was one.
func (t *Tx) DeleteTokenOf(userID int64, tokenHash string) (bool, error) {
	res, err := t.exec("DELETE FROM api_tokens WHERE user_id = $1 AND token_hash = $2", userID, tokenHash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// DeleteTokensOf revokes every API token of the user and returns how many.
func (t *Tx) DeleteTokensOf(userID int64) (int64, error) {
	res, err := t.exec("DELETE FROM api_tokens WHERE user_id = $1", userID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
