package inputs

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"narvard/internal/agreement"
	"narvard/internal/csvfile"
)

func gnv(t testing.TB) *agreement.Agreement {
	t.Helper()
	a, err := agreement.Builtin().Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func open(t testing.TB, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// checkErr checks an error's text and that each of its lines is a
// *csvfile.Error.
func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want\n%s", want)
	}
	if err.Error() != want {
		t.Errorf("error\n got: %s\nwant: %s", err, want)
	}
	errs := []error{err}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	}
	for _, e := range errs {
		var ce *csvfile.Error
		if !errors.As(e, &ce) {
			t.Errorf("%v is %T, not a *csvfile.Error", e, e)
		}
	}
}

// seeds adds every file under testdata/dir to the fuzz corpus.
func seeds(f *testing.F, dir string) {
	paths, err := filepath.Glob(filepath.Join("testdata", dir, "*.csv"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seeds in %s: %v", dir, err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}
