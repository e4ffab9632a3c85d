// Package inputs reads the figures an allocation works on from CSV files
// that people supply (narvard allocate --inputs DIR): lan.csv for the
// counties' population and individuals with municipal health care,
// landsbygd.csv for the rural key and vfu.csv for the VFU reports. Every
// file is checked against the agreement, and every problem is reported as
// FILE:LINE: FIELD "VALUE" MESSAGE in Swedish.
package inputs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"narvard/internal/agreement"
	"narvard/internal/alloc"
)

// The files ReadDir looks for.
const (
	FileCounties = "lan.csv"
	FileRural    = "landsbygd.csv"
	FileVFU      = "vfu.csv"
)

// ReadDir reads the inputs that the named table needs from the files in
// dir, starting from the agreement's own figures (alloc.FromAgreement) and
// replacing each part whose file is there:
//
//	regioner   lan.csv and landsbygd.csv
//	kommuner   lan.csv
//	landsbygd  landsbygd.csv
//	vfu        vfu.csv, which is required, and lan.csv for names if there
//
// A file the table can do without that is not there leaves the
// agreement's figures. File names are matched case-insensitively if there
// is no exact match. Problems in several files are all reported.
func ReadDir(dir string, a *agreement.Agreement, table agreement.TableID) (alloc.Inputs, error) {
	in := alloc.FromAgreement(a)
	var counties, rural, vfu bool
	switch table {
	case agreement.TableRegioner:
		counties, rural = true, true
	case agreement.TableKommuner:
		counties = true
	case agreement.TableLandsbygd:
		rural = true
	case agreement.TableVFU:
		counties, vfu = true, true
	default:
		return alloc.Inputs{}, fmt.Errorf("okänd tabell %q (välj %v)", table, a.TableIDs())
	}
	if err := checkDir(dir); err != nil {
		return alloc.Inputs{}, err
	}
	var errs []error
	if counties {
		errs = append(errs, readFile(dir, FileCounties, false, func(name string, f *os.File) (err error) {
			in.Counties, err = ReadCounties(name, f, a)
			return err
		}))
	}
	if rural {
		errs = append(errs, readFile(dir, FileRural, false, func(name string, f *os.File) (err error) {
			in.Rural, err = ReadRural(name, f, a)
			return err
		}))
	}
	if vfu {
		errs = append(errs, readFile(dir, FileVFU, true, func(name string, f *os.File) (err error) {
			in.VFU, err = ReadVFU(name, f, a)
			return err
		}))
	}
	if err := errors.Join(errs...); err != nil {
		return alloc.Inputs{}, err
	}
	return in, nil
}

// checkDir returns an error unless dir is a directory.
func checkDir(dir string) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: mappen finns inte", dir)
	case err != nil:
		return fmt.Errorf("%s: mappen kan inte läsas: %w", dir, err)
	case !st.IsDir():
		return fmt.Errorf("%s: är ingen mapp", dir)
	}
	return nil
}

// readFile opens the file called name in dir and hands it to read under
// the name it really has. A missing file is an error only if required.
func readFile(dir, name string, required bool, read func(string, *os.File) error) error {
	path, ok, err := find(dir, name)
	if err != nil {
		return err
	}
	if !ok {
		if required {
			return fmt.Errorf("%s: filen saknas i %s", name, dir)
		}
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s: filen kan inte öppnas: %w", filepath.Base(path), err)
	}
	defer f.Close()
	return read(filepath.Base(path), f)
}

// find returns the path of the file called name in dir, or of the one file
// whose name differs only in case ("LAN.csv").
func find(dir, name string) (string, bool, error) {
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); err == nil {
		return path, true, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", false, fmt.Errorf("%s: %w", name, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", false, fmt.Errorf("%s: mappen kan inte läsas: %w", dir, err)
	}
	var found []string
	for _, e := range entries {
		if strings.EqualFold(e.Name(), name) {
			found = append(found, e.Name())
		}
	}
	switch len(found) {
	case 0:
		return "", false, nil
	case 1:
		return filepath.Join(dir, found[0]), true, nil
	}
	return "", false, fmt.Errorf("%s: flera filer heter så i %s: %s", name, dir, strings.Join(found, ", "))
}
