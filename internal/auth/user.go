package auth

import "time"

// User is a person who signs in, with one role in one organisation.
type User struct {
	ID           int64
	Email        string
	Name         string
	Org          string
	Role         Role
	PasswordHash string
	CreatedAt    time.Time
	Disabled     bool
}

// Actor returns the user as the actor of a request.
func (u User) Actor() Actor {
	return Actor{UserID: u.ID, Email: u.Email, Name: u.Name, Org: u.Org, Role: u.Role}
}

// Session is a signed-in browser: the hash of its cookie's token, its
// user and its CSRF token.
type Session struct {
	TokenHash string
	UserID    int64
	CSRF      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Token is an API bearer token, kept as its hash.
type Token struct {
	TokenHash string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}
