package web

import (
	"bytes"
	"mime/multipart"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseKr: the amount people type is a whole number of kronor or
// refused, never a panic; what is accepted is the digits typed (spaces,
// no-break spaces and "kr" aside) and reads back the same.
func FuzzParseKr(f *testing.F) {
	for _, s := range []string{"1 234 567", "1234567 kr", "1\u00a0000", "-5", "+5", "", "kr", "1.5", "9223372036854775808", "１２", " 12 kr "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, ok := parseKr(s)
		if !ok {
			if n != 0 {
				t.Errorf("parseKr(%q) = %d, refused", s, n)
			}
			return
		}
		if again, ok := parseKr(strconv.FormatInt(int64(n), 10)); !ok || again != n {
			t.Errorf("parseKr(%q) = %d, which reads back as %d, %v", s, n, again, ok)
		}
		if strings.ContainsAny(s, ".,eE") {
			t.Errorf("parseKr(%q) = %d: a decimal accepted", s, n)
		}
	})
}

// FuzzReadUpload: any multipart body gives the form or an error, never a
// panic; files land only in the upload's own directory, under the names
// of the form's file fields.
func FuzzReadUpload(f *testing.F) {
	var good bytes.Buffer
	mw := multipart.NewWriter(&good)
	mw.SetBoundary("grans")
	mw.WriteField("csrf", "x")
	fw, _ := mw.CreateFormFile("listings", "../../etc/passwd")
	fw.Write([]byte(testListings))
	fw, _ = mw.CreateFormFile("visits", "visits.csv")
	fw.Write([]byte(testVisits))
	for k, v := range testValues() {
		mw.WriteField(k, v)
	}
	mw.Close()
	f.Add(good.Bytes())
	f.Add([]byte("--grans\r\nContent-Disposition: form-data; name=\"listings\"; filename=\"a\"\r\n\r\nx\r\n--grans\r\nContent-Disposition: form-data; name=\"listings\"\r\n\r\ny\r\n--grans--\r\n"))
	f.Add([]byte("--grans\r\nContent-Disposition: form-data; name=\"from\"\r\n\r\n" + strings.Repeat("x", 2000) + "\r\n--grans--\r\n"))
	f.Add([]byte("--grans\r\n\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		form, err := readUpload(multipart.NewReader(bytes.NewReader(b), "grans"), dir)
		if err != nil {
			if form != nil {
				t.Errorf("a form beside the error %v", err)
			}
			return
		}
		for field, path := range form.paths {
			if !isFileField(field) || filepath.Dir(path) != dir || filepath.Base(path) != field {
				t.Errorf("file field %q saved at %s", field, path)
			}
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if !isFileField(e.Name()) {
				t.Errorf("%s written in the upload directory", e.Name())
			}
		}
	})
}
