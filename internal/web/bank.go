package web

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"

	"narvard/internal/app"
	"narvard/internal/fault"
)

// maxBankUpload bounds the upload of one bank notification (the file and
// the form around it).
const maxBankUpload = 16<<20 + 64<<10

// bankUpload takes Kammarkollegiet's upload of the bank's camt.054 file
// (the CSRF token checked first) and shows what it matched.
func (s *server) bankUpload(w http.ResponseWriter, r *http.Request, sess *session, mr *multipart.Reader) {
	var file []byte
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			s.bankRefusal(w, r, bankUploadError(err))
			return
		}
		if p.FormName() == "file" {
			if file, err = io.ReadAll(p); err != nil {
				s.bankRefusal(w, r, bankUploadError(err))
				return
			}
		}
	}
	if len(file) == 0 {
		s.bankRefusal(w, r, fault.Fields{"file": "Välj bankens fil (camt.054) att läsa in."}.Err())
		return
	}
	v, err := s.app.ImportBankNotification(r.Context(), sess.Actor(), file)
	if err != nil {
		s.bankRefusal(w, r, err)
		return
	}
	http.Redirect(w, r, "/bankaviseringar/"+v.ID, http.StatusSeeOther)
}

func bankUploadError(err error) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return fault.New(fault.Invalid, "Filen är större än 16 MB och togs inte emot; inget registrerades.")
	}
	return fault.New(fault.Invalid, "Filen kunde inte tas emot: %v", err)
}

// bankRefusal shows why a file was refused, once.
func (s *server) bankRefusal(w http.ResponseWriter, r *http.Request, err error) {
	var f *fault.Error
	if errors.As(err, &f) && f.Code == fault.Invalid && f.Message != "" {
		s.render(w, r, http.StatusUnprocessableEntity, "message.html", "Filen togs inte emot", messageView{Heading: "Filen togs inte emot", Text: f.Message})
		return
	}
	s.refuse(w, r, err)
}

// bankView is an imported notification's page.
type bankView struct {
	app.BankImportView
	Names map[string]string
}

func (s *server) bankPage(w http.ResponseWriter, r *http.Request, sess *session) {
	v, err := s.app.BankNotification(r.Context(), sess.Actor(), r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	names := map[string]string{}
	if orgs, err := s.app.Organisations(r.Context()); err == nil {
		for _, o := range orgs {
			names[o.ID] = o.Name
		}
	}
	s.render(w, r, http.StatusOK, "bank.html", "Bankavisering "+v.MessageID, bankView{BankImportView: v, Names: names})
}

func (s *server) debtLetter(w http.ResponseWriter, r *http.Request, sess *session) {
	d, b, err := s.app.DebtLetter(r.Context(), sess.Actor(), r.PathValue("id"))
	if err != nil {
		s.refuse(w, r, err)
		return
	}
	name := "aterbetalningsbesked-"
	if d.Kind == "reclaim" {
		name = "aterkravsbeslut-"
	}
	attach(w, "application/pdf", name+d.OCR+".pdf", b)
}
