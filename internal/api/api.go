// Package api is the JSON API under /api/v1: bearer tokens, JSON in and
// out, amounts as integers of kronor, errors as
// {"error":{"code":…,"message":…,"fields":{…}}}. Handlers parse, call the
// app and write; the rules are in the domain packages.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"narvard/internal/app"
	"narvard/internal/auth"
	"narvard/internal/fault"
	"narvard/internal/httpserve"
)

// maxBody bounds a request body.
const maxBody = 1 << 20

// API serves /api/v1.
type API struct {
	app  *app.App
	log  *slog.Logger
	idem *idempotency
	mux  *http.ServeMux
}

// New returns the API's handler for paths under /api/v1/.
func New(a *app.App, log *slog.Logger) http.Handler {
	h := &API{app: a, log: log, idem: newIdempotency(a), mux: http.NewServeMux()}
	h.routes()
	return httpserve.SecurityHeaders(httpserve.Recover(log, h))
}

// ServeHTTP serves the request.
func (h *API) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	h.mux.ServeHTTP(w, r)
}

// handler is an API handler that acts for an authenticated actor.
type handler func(w http.ResponseWriter, r *http.Request, actor auth.Actor) error

func (h *API) handle(pattern string, fn handler) {
	h.handleOf(pattern, maxBody, fn)
}

// handleOf is handle for a body of at most limit bytes: a longer one is
// refused with 413 before anything of it is read (a declared length) or
// once the limit is passed.
func (h *API) handleOf(pattern string, limit int64, fn handler) {
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > limit {
			w.Header().Set("Connection", "close")
			writeFault(w, tooLarge(limit))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		u, err := h.authenticate(r)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		run := func(w http.ResponseWriter) {
			if err := fn(w, r, u.Actor()); err != nil {
				h.fail(w, r, err)
			}
		}
		if r.Method == http.MethodPost && r.Header.Get("Idempotency-Key") != "" {
			h.idem.serve(w, r, u.ID, run)
			return
		}
		run(w)
	})
}

// authenticate reads the bearer token.
func (h *API) authenticate(r *http.Request) (auth.User, error) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		return auth.User{}, fault.New(fault.Unauthenticated, "Ange en API-token: Authorization: Bearer <token>.")
	}
	return h.app.TokenUser(r.Context(), strings.TrimSpace(token))
}

var statusOf = map[fault.Code]int{
	fault.Unauthenticated: http.StatusUnauthorized,
	fault.Forbidden:       http.StatusForbidden,
	fault.NotFound:        http.StatusNotFound,
	fault.Invalid:         http.StatusUnprocessableEntity,
	fault.DeadlinePassed:  http.StatusUnprocessableEntity,
	fault.OverAllocation:  http.StatusUnprocessableEntity,
	fault.Conflict:        http.StatusConflict,
	fault.TooLarge:        http.StatusRequestEntityTooLarge,
	fault.TooMany:         http.StatusTooManyRequests,
	fault.Unavailable:     http.StatusServiceUnavailable,
	fault.BooksBroken:     http.StatusServiceUnavailable,
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// fail writes err as a JSON error. Errors that are not faults are the
// server's own: logged, and answered without their text.
func (h *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	var f *fault.Error
	if !errors.As(err, &f) {
		h.log.Error("api", "method", r.Method, "path", r.URL.Path, "err", err)
		writeJSON(w, http.StatusInternalServerError, errorBody{errorDetail{Code: "internal", Message: "Ett internt fel inträffade."}})
		return
	}
	if f.Code == fault.Unauthenticated {
		w.Header().Set("WWW-Authenticate", `Bearer realm="narvard"`)
	}
	writeFault(w, f)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v) // the status line is out; nothing more to do on error
}

// tooLarge is the refusal of a body over the limit.
func tooLarge(limit int64) *fault.Error {
	return &fault.Error{Code: fault.TooLarge, Message: fmt.Sprintf("Begäran är större än %d MB och togs inte emot.", limit>>20)}
}

// decodeOptional reads a JSON body into v if there is one; an empty body
// leaves v as it is.
func decodeOptional(r *http.Request, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			return tooLarge(maxBody)
		}
		return fault.Fields{"body": "Begäran kunde inte läsas."}.Err()
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return decode(r, v)
}

// decode reads a JSON body into v. A number that is not a whole number of
// kronor, a wrong type or malformed JSON is Invalid naming the field.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	if err := dec.Decode(v); err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return tooLarge(mb.Limit)
		}
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field := te.Field
			if field == "" {
				field = "body"
			}
			msg := "Fel typ av värde."
			if te.Value == "number" || strings.HasPrefix(te.Value, "number ") {
				msg = "Ange ett heltal (hela kronor)."
			}
			return fault.Fields{field: msg}.Err()
		}
		if errors.Is(err, io.EOF) {
			return fault.Fields{"body": "Begäran saknar JSON-innehåll."}.Err()
		}
		return fault.Fields{"body": "Ogiltig JSON: " + err.Error()}.Err()
	}
	if dec.More() {
		return fault.Fields{"body": "Bara ett JSON-objekt per begäran."}.Err()
	}
	return nil
}
