// Package fault owns the refusals users meet: a Code, a Swedish message
// and, for bad input, a message per field.
//
// A use case that says no returns a *fault.Error; the API returns its code
// as it is and the HTTP layers (api, web) map the code to a status. A new
// kind of refusal is a new Code here.
package fault

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Code says what kind of refusal an error is.
type Code string

// The codes. The API returns them as they are.
const (
	Unauthenticated Code = "unauthenticated" // no or bad credentials
	Forbidden       Code = "forbidden"       // another organisation's data, or a role that may not do it
	NotFound        Code = "not_found"
	Invalid         Code = "invalid"           // bad input, per field
	DeadlinePassed  Code = "deadline_passed"   // too late
	OverAllocation  Code = "over_allocation"   // more than the recipient's allocation
	Conflict        Code = "conflict"          // duplicate, or a transition that is not allowed
	TooLarge        Code = "too_large"         // a request body over its limit
	TooMany         Code = "too_many_requests" // too many failed attempts: wait RetryAfter
	Unavailable     Code = "unavailable"       // the server is busy: try again after RetryAfter
	BooksBroken     Code = "books_broken"      // the ledger does not balance: no figures are served until it is looked into
)

// Error is a refusal with a code, a message and per-field messages.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string
	// RetryAfter is how long to wait before trying again (TooMany and
	// Unavailable).
	RetryAfter time.Duration
}

// Error returns the message, with the field messages in field order.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for _, k := range slices.Sorted(maps.Keys(e.Fields)) {
		fmt.Fprintf(&b, "; %s: %s", k, e.Fields[k])
	}
	return b.String()
}

// New returns an error with the given code and message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Later returns an error of the code (TooMany or Unavailable) that asks
// to try again after d.
func Later(code Code, d time.Duration, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), RetryAfter: d}
}

// RetryAfterOf returns the wait err asks for, in whole seconds rounded up
// (at least 1), or 0 when it asks for none.
func RetryAfterOf(err error) int {
	var e *Error
	if !errors.As(err, &e) || e.RetryAfter <= 0 {
		return 0
	}
	return int((e.RetryAfter + time.Second - 1) / time.Second)
}

// CodeOf returns the code of err, or "" if err is not a fault.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// Fields collects per-field messages for an Invalid error.
type Fields map[string]string

// Add records a message for field unless one is already there.
func (f Fields) Add(field, format string, args ...any) {
	if _, ok := f[field]; !ok {
		f[field] = fmt.Sprintf(format, args...)
	}
}

// Err returns an Invalid error with the fields, or nil when there are none.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: "Uppgifterna är inte fullständiga eller inte giltiga.", Fields: f}
}
