package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
	"narvard/internal/alloctable"
	"narvard/internal/fault"
)

// index lists the agreements.
func (s *server) index(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "index.html", "Överenskommelser", s.agreements.All())
}

// agreement shows one agreement: its terms, the exact allocation and the
// verification of its published annexes.
func (s *server) agreement(w http.ResponseWriter, r *http.Request) {
	a, ok := s.lookup(w, r)
	if !ok {
		return
	}
	v, err := s.buildAgreementView(a)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "agreement.html", a.ShortName, v)
}

// lookup finds the agreement named in the path, or answers 404.
func (s *server) lookup(w http.ResponseWriter, r *http.Request) (*agreement.Agreement, bool) {
	a, err := s.agreements.Get(r.PathValue("id"))
	if errors.Is(err, agreement.ErrNotFound) {
		s.notFound(w, r)
		return nil, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	return a, true
}

// downloadFormats are the file formats a table can be downloaded in.
var downloadFormats = map[string]struct {
	contentType string
	write       func(io.Writer, *alloc.Table) error
}{
	".csv":  {"text/csv; charset=utf-8", alloctable.WriteCSV},
	".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", alloctable.WriteXLSX},
}

// download sends one allocation table as a file: /overenskommelser/{id}/regioner.csv.
func (s *server) download(w http.ResponseWriter, r *http.Request) {
	a, ok := s.lookup(w, r)
	if !ok {
		return
	}
	file := r.PathValue("file")
	ext := path.Ext(file)
	table := agreement.TableID(strings.TrimSuffix(file, ext))
	format, ok := downloadFormats[ext]
	if !ok || !slices.Contains(downloadTables(a), table) {
		s.notFound(w, r)
		return
	}
	t, err := s.app.AllocationTable(a.ID, table)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := format.write(&buf, t); err != nil {
		s.serverError(w, r, fmt.Errorf("%s: %w", file, err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", format.contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.ID + "-" + file}))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	buf.WriteTo(w)
}

// healthz answers "ok" when the database answers and takes a write and
// the ledger balances.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.app.Ping(ctx); err != nil {
		s.log.Error("healthz", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		if fault.CodeOf(err) == fault.BooksBroken {
			io.WriteString(w, "bokföringen balanserar inte\n")
			return
		}
		io.WriteString(w, "databasen svarar inte eller tar inte emot skrivningar\n")
		return
	}
	io.WriteString(w, "ok\n")
}
