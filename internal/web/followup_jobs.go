package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const (
	// maxUpload bounds one follow-up upload (all files together). The
	// files are streamed to disk, never held in memory; larger extracts
	// belong in --uppfoljning-dir.
	maxUpload = 8 << 30
	// uploadTimeout is how long one upload may take to arrive, beyond the
	// server's usual read and write timeouts.
	uploadTimeout = 2 * time.Hour
)

// fileFields are the follow-up form's file inputs, in the order they are
// read, with the Swedish name for messages.
var fileFields = []struct{ field, swedish string }{
	{"clinicians", "vårdgivare"}, {"listings", "listningar"}, {"visits", "besök"}, {"slutenvard", "slutenvård"},
}

// valueFields are the follow-up form's other inputs.
var valueFields = map[string]bool{"from": true, "to": true, "years": true, "by": true, "yrke": true, "min_cell": true, "mapp": true}

// uploadForm is a follow-up form read from its multipart body: the values,
// and the files saved in the job's directory.
type uploadForm struct {
	values map[string]string
	paths  map[string]string // field → file on disk
	names  map[string]string // field → the name the user's file had
}

// errTooLarge is the message for an upload beyond maxUpload.
var errTooLarge = fmt.Errorf("filerna är för stora: högst %d GB tillsammans. Lägg större uttag i en mapp på servern", maxUpload>>30)

// readUpload reads the parts after the CSRF token: values into memory,
// files straight to dir under fixed names. A file input left empty is
// skipped.
func readUpload(mr *multipart.Reader, dir string) (*uploadForm, error) {
	f := &uploadForm{values: map[string]string{}, paths: map[string]string{}, names: map[string]string{}}
	for parts := 0; ; parts++ {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			return nil, uploadError(err)
		}
		if parts >= 32 {
			return nil, errors.New("formuläret har för många fält")
		}
		name := p.FormName()
		switch {
		case isFileField(name):
			if _, dup := f.paths[name]; dup {
				return nil, fmt.Errorf("fältet %s förekommer två gånger", name)
			}
			path := filepath.Join(dir, name)
			n, err := saveTo(path, p)
			if err != nil {
				return nil, uploadError(err)
			}
			if n == 0 && p.FileName() == "" {
				os.Remove(path)
				continue
			}
			f.paths[name] = path
			f.names[name] = displayName(p.FileName(), name)
		case valueFields[name]:
			b, err := io.ReadAll(io.LimitReader(p, 1025))
			if err != nil {
				return nil, uploadError(err)
			}
			if len(b) > 1024 {
				return nil, fmt.Errorf("fältet %s är för långt", name)
			}
			f.values[name] = strings.TrimSpace(string(b))
		default:
			if _, err := io.Copy(io.Discard, p); err != nil {
				return nil, uploadError(err)
			}
		}
	}
}

func isFileField(name string) bool {
	for _, f := range fileFields {
		if f.field == name {
			return true
		}
	}
	return false
}

// saveTo writes one part to a new file readable by this process only.
func saveTo(path string, r io.Reader) (int64, error) {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, r)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}

func uploadError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errTooLarge
	}
	if errors.Is(err, errIdle) {
		return errIdle
	}
	return fmt.Errorf("filerna kunde inte tas emot: %w", err)
}

// displayName is the name of the user's file for messages: its base name
// only, whatever path a browser sent.
func displayName(sent, field string) string {
	name := filepath.Base(strings.ReplaceAll(sent, `\`, "/"))
	if name == "." || name == "/" || name == "" {
		return field
	}
	return name
}

// folder is a subfolder of --uppfoljning-dir that holds an extract.
type folder struct {
	Name                                     string
	Listings, Visits, Clinicians, Slutenvard string // file names in the folder; Clinicians and Slutenvard may be ""
}

// Files lists the folder's files, for the form.
func (f folder) Files() string {
	names := []string{f.Listings, f.Visits}
	for _, n := range []string{f.Clinicians, f.Slutenvard} {
		if n != "" {
			names = append(names, n)
		}
	}
	return strings.Join(names, ", ")
}

// listFolders returns the subfolders of dir that have listings and visits
// as CSV or Parquet (Parquet first when both are there), clinicians and
// slutenvard optional, sorted by name.
func listFolders(dir string) ([]folder, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []folder
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || !st.IsDir() {
			continue
		}
		f := folder{Name: name,
			Listings:   findFile(filepath.Join(dir, name), "listings"),
			Visits:     findFile(filepath.Join(dir, name), "visits"),
			Clinicians: findFile(filepath.Join(dir, name), "clinicians"),
			Slutenvard: findFile(filepath.Join(dir, name), "slutenvard")}
		if f.Listings != "" && f.Visits != "" {
			out = append(out, f)
		}
	}
	return out, nil
}

// findFile returns base.parquet or base.csv, whichever is a regular file
// in dir, or "".
func findFile(dir, base string) string {
	for _, ext := range []string{".parquet", ".csv"} {
		if st, err := os.Stat(filepath.Join(dir, base+ext)); err == nil && st.Mode().IsRegular() {
			return base + ext
		}
	}
	return ""
}

// formatDuration writes a duration the Swedish way, to the second:
// "4 s", "2 min 05 s", "1 h 03 min".
func formatDuration(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%d s", s)
	case s < 3600:
		return fmt.Sprintf("%d min %02d s", s/60, s%60)
	}
	return fmt.Sprintf("%d h %02d min", s/3600, s/60%60)
}

// uploadIdle is how long an upload may send nothing before it is dropped,
// so that a trickling client cannot hold a job slot for hours.
const uploadIdle = 30 * time.Second

// idleBody is an upload's body that, once until is set (after the CSRF
// token is checked), moves the read deadline on with every read: idle
// from now, but never past until.
type idleBody struct {
	io.ReadCloser
	rc    *http.ResponseController
	idle  time.Duration
	until time.Time
}

func (b *idleBody) Read(p []byte) (int, error) {
	if !b.until.IsZero() {
		deadline := time.Now().Add(b.idle)
		if deadline.After(b.until) {
			deadline = b.until
		}
		b.rc.SetReadDeadline(deadline)
	}
	n, err := b.ReadCloser.Read(p)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		err = errIdle
	}
	return n, err
}

// errIdle is the message for an upload that stopped sending.
var errIdle = fmt.Errorf("uppladdningen avbröts: inget kom fram på %d sekunder", int(uploadIdle/time.Second))
