package sie

import (
	"strconv"
	"strings"
	"time"

	"narvard/internal/money"
)

// record dispatches one record by its label. Labels the product does not
// need (#ADRESS, #IB, #UB, #RES, #PSALDO …) are skipped, as the standard
// asks of readers so that it can grow.
func (r *reader) record(rec record) error {
	if r.open {
		return r.inVoucher(rec)
	}
	if r.voucher != nil {
		return r.errorf(rec.line, rec.label, "väntade { efter #VER på rad %d", r.voucher.Line)
	}
	switch rec.label {
	case "#TRANS", "#RTRANS", "#BTRANS":
		return r.errorf(rec.line, rec.label, "transaktionen står utanför en verifikation (#VER { … })")
	case "#VER":
		return r.ver(rec)
	case "#SIETYP":
		return r.sieType(rec)
	case "#FORMAT":
		return r.format(rec)
	}
	return r.declaration(rec)
}

func (r *reader) inVoucher(rec record) error {
	switch rec.label {
	case "#TRANS":
		return r.trans(rec)
	case "#RTRANS", "#BTRANS":
		// An added line (#RTRANS) is followed by the same #TRANS for readers
		// of older files; a removed line (#BTRANS) no longer counts. Reading
		// #TRANS alone gives the verification as it stands.
		return nil
	}
	return r.errorf(rec.line, rec.label, "posten får inte stå inuti en verifikation")
}

// declaration reads the records that describe the books.
func (r *reader) declaration(rec record) error {
	var err error
	f := r.file
	switch rec.label {
	case "#PROGRAM":
		f.Program, err = r.joined(rec, 0, 2)
	case "#GEN":
		err = r.gen(rec)
	case "#FNAMN":
		f.Company, err = r.str(rec, 0)
	case "#ORGNR":
		f.OrgNr, err = r.str(rec, 0)
	case "#RAR":
		err = r.year(rec)
	case "#KONTO":
		err = r.account(rec)
	case "#DIM", "#UNDERDIM":
		err = r.dimension(rec)
	case "#OBJEKT":
		err = r.object(rec)
	}
	return err
}

func (r *reader) sieType(rec record) error {
	t, err := r.str(rec, 0)
	if err != nil {
		return err
	}
	if t != "4" {
		return r.errorf(rec.line, rec.label, "filen är av SIE-typ %s; exportera SIE typ 4 (med verifikationer)", t)
	}
	r.file.Type = t
	return nil
}

func (r *reader) format(rec record) error {
	f, err := r.str(rec, 0)
	if err != nil {
		return err
	}
	if !strings.EqualFold(f, "PC8") {
		return r.errorf(rec.line, rec.label, "teckenformatet %q stöds inte; SIE-filer skrivs i PC8", f)
	}
	return nil
}

func (r *reader) gen(rec record) error {
	d, err := r.date(rec, 0)
	if err != nil {
		return err
	}
	r.file.Generated = d
	if len(rec.fields) > 1 {
		r.file.GeneratedBy, err = r.str(rec, 1)
	}
	return err
}

func (r *reader) year(rec record) error {
	idx, err := r.integer(rec, 0, "årsnummer")
	if err != nil {
		return err
	}
	start, err := r.date(rec, 1)
	if err != nil {
		return err
	}
	end, err := r.date(rec, 2)
	if err != nil {
		return err
	}
	if end.Before(start) {
		return r.errorf(rec.line, rec.label, "räkenskapsåret slutar före det börjar")
	}
	r.file.Years = append(r.file.Years, Year{Index: idx, Start: start, End: end})
	return nil
}

func (r *reader) account(rec record) error {
	number, err := r.str(rec, 0)
	if err != nil {
		return err
	}
	name, err := r.optional(rec, 1)
	r.file.Accounts[number] = name
	return err
}

func (r *reader) dimension(rec record) error {
	dim, err := r.integer(rec, 0, "dimension")
	if err != nil {
		return err
	}
	name, err := r.optional(rec, 1)
	r.file.Dimensions[dim] = name
	return err
}

func (r *reader) object(rec record) error {
	dim, err := r.integer(rec, 0, "dimension")
	if err != nil {
		return err
	}
	id, err := r.str(rec, 1)
	if err != nil {
		return err
	}
	name, err := r.optional(rec, 2)
	r.file.Objects[ObjectRef{Dim: dim, ID: id}] = name
	return err
}

func (r *reader) ver(rec record) error {
	series, err := r.optional(rec, 0)
	if err != nil {
		return err
	}
	number, err := r.optional(rec, 1)
	if err != nil {
		return err
	}
	date, err := r.date(rec, 2)
	if err != nil {
		return err
	}
	text, err := r.optional(rec, 3)
	if err != nil {
		return err
	}
	r.voucher = &Voucher{Series: series, Number: number, Date: date, Text: text, Line: rec.line}
	return nil
}

func (r *reader) trans(rec record) error {
	t := Trans{Line: rec.line, Date: r.voucher.Date}
	var err error
	if t.Account, err = r.str(rec, 0); err != nil {
		return err
	}
	if t.Objects, err = r.objects(rec); err != nil {
		return err
	}
	if t.Amount, err = r.amount(rec, 2); err != nil {
		return err
	}
	if d, _ := r.optional(rec, 3); d != "" {
		if t.Date, err = r.date(rec, 3); err != nil {
			return err
		}
	}
	if t.Text, err = r.optional(rec, 4); err != nil {
		return err
	}
	r.voucher.Trans = append(r.voucher.Trans, t)
	return nil
}

// objects reads a transaction's object list: pairs of dimension and
// object.
func (r *reader) objects(rec record) ([]ObjectRef, error) {
	if len(rec.fields) < 2 || !rec.fields[1].isList {
		return nil, r.errorf(rec.line, rec.label, "objektlistan saknas (skriv {} om transaktionen inte har några objekt)")
	}
	list := rec.fields[1].list
	if len(list)%2 != 0 {
		return nil, r.errorf(rec.line, rec.label, "objektlistan ska bestå av par av dimension och objekt")
	}
	var refs []ObjectRef
	for i := 0; i < len(list); i += 2 {
		dim, err := strconv.Atoi(string(list[i].text))
		if err != nil || dim < 1 {
			return nil, r.errorf(rec.line, rec.label, "dimensionen %q i objektlistan är inget nummer", list[i].text)
		}
		id, err := r.text(list[i+1].text)
		if err != nil || id == "" {
			return nil, r.errorf(rec.line, rec.label, "objektet i dimension %d saknar kod", dim)
		}
		ref := ObjectRef{Dim: dim, ID: id}
		refs = append(refs, ref)
		r.uses = append(r.uses, objectUse{ref: ref, line: rec.line})
	}
	return refs, nil
}

// str returns field i, which must be there and not be empty.
func (r *reader) str(rec record, i int) (string, error) {
	s, err := r.optional(rec, i)
	if err == nil && s == "" {
		err = r.errorf(rec.line, rec.label, "fält %d saknas", i+1)
	}
	return s, err
}

// optional returns field i, or "" when the record ends before it.
func (r *reader) optional(rec record, i int) (string, error) {
	if i >= len(rec.fields) {
		return "", nil
	}
	if rec.fields[i].isList {
		return "", r.errorf(rec.line, rec.label, "fält %d är en objektlista där en text väntas", i+1)
	}
	s, err := r.text(rec.fields[i].text)
	if err != nil {
		return "", r.errorf(rec.line, rec.label, "fält %d: %v", i+1, err)
	}
	return s, nil
}

// joined returns fields from i to j (exclusive) that are there, joined
// by spaces.
func (r *reader) joined(rec record, i, j int) (string, error) {
	var parts []string
	for ; i < j && i < len(rec.fields); i++ {
		s, err := r.optional(rec, i)
		if err != nil {
			return "", err
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " "), nil
}

func (r *reader) integer(rec record, i int, what string) (int, error) {
	s, err := r.str(rec, i)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < -99 || n > 9999 {
		return 0, r.errorf(rec.line, rec.label, "%s %q är inget heltal", what, s)
	}
	return n, nil
}

func (r *reader) date(rec record, i int) (time.Time, error) {
	s, err := r.str(rec, i)
	if err != nil {
		return time.Time{}, err
	}
	d, err := parseDate(s)
	if err != nil {
		return time.Time{}, r.errorf(rec.line, rec.label, "%q %v", s, err)
	}
	return d, nil
}

func (r *reader) amount(rec record, i int) (money.Ore, error) {
	s, err := r.str(rec, i)
	if err != nil {
		return 0, err
	}
	a, err := parseAmount(s)
	if err != nil {
		return 0, r.errorf(rec.line, rec.label, "belopp %q %v", s, err)
	}
	return a, nil
}
