package sie

import (
	"bytes"
	"fmt"
	"hash/crc32"
	"math"
	"strconv"
	"unicode/utf8"

	"narvard/internal/money"

	"golang.org/x/text/encoding/charmap"
)

// Limits that keep a hostile file from costing more than a real one.
const (
	MaxSize     = 200 << 20 // bytes of a file
	maxLineSize = 64 << 10  // bytes of a line
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// reader holds the state of one reading of a file.
type reader struct {
	name    string
	file    *File
	utf8    bool        // the file begins with a UTF-8 byte order mark
	voucher *Voucher    // the #VER whose { } block is being read
	open    bool        // inside the block
	sum     *crcState   // between the #KSUMMA records, else nil
	summed  bool        // the closing #KSUMMA was read
	uses    []objectUse // every object a transaction names, checked at the end
}

type crcState struct{ crc uint32 }

type objectUse struct {
	ref  ObjectRef
	line int
}

// Read reads a SIE 4 file whole. name is the file's name as the user gave
// it, for the messages.
func Read(name string, data []byte) (*File, error) {
	if len(data) > MaxSize {
		return nil, &Error{File: name, Msg: fmt.Sprintf("filen är större än %d MB", MaxSize>>20)}
	}
	r := &reader{name: name, file: &File{
		Accounts:   map[string]string{},
		Dimensions: map[int]string{},
		Objects:    map[ObjectRef]string{},
	}}
	if bytes.HasPrefix(data, utf8BOM) {
		r.utf8, data = true, data[len(utf8BOM):]
	}
	if err := r.lines(data); err != nil {
		return nil, err
	}
	if err := r.finish(); err != nil {
		return nil, err
	}
	return r.file, nil
}

func (r *reader) errorf(line int, label, format string, args ...any) *Error {
	return &Error{File: r.name, Line: line, Label: label, Msg: fmt.Sprintf(format, args...)}
}

func (r *reader) lines(data []byte) error {
	for n := 1; len(data) > 0; n++ {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte{'\n'})
		if len(line) > maxLineSize {
			return r.errorf(n, "", "raden är längre än %d kB", maxLineSize>>10)
		}
		if err := r.line(n, bytes.Trim(line, " \t\r")); err != nil {
			return err
		}
	}
	return nil
}

func (r *reader) line(n int, line []byte) error {
	switch {
	case len(line) == 0:
		return nil
	case string(line) == "{":
		return r.openBlock(n)
	case string(line) == "}":
		return r.closeBlock(n)
	case line[0] != '#':
		return r.errorf(n, "", "raden är ingen SIE-post (den börjar inte med #)")
	}
	label, fields, err := splitRecord(line)
	if err != nil {
		return r.errorf(n, "", "%v", err)
	}
	if label == "#KSUMMA" {
		return r.checksum(n, fields)
	}
	if r.sum != nil {
		r.sum.add(label, fields)
	}
	return r.record(record{line: n, label: label, fields: fields})
}

func (r *reader) openBlock(n int) error {
	if r.voucher == nil || r.open {
		return r.errorf(n, "", "{ utan #VER före")
	}
	r.open = true
	return nil
}

func (r *reader) closeBlock(n int) error {
	if !r.open {
		return r.errorf(n, "", "} utan { före")
	}
	r.open = false
	return r.closeVoucher()
}

// closeVoucher checks that the verification balances and keeps it.
func (r *reader) closeVoucher() error {
	v := r.voucher
	r.voucher = nil
	var sum money.Ore
	for _, t := range v.Trans {
		if (t.Amount > 0 && sum > math.MaxInt64-t.Amount) || (t.Amount < 0 && sum < math.MinInt64-t.Amount) {
			return r.errorf(v.Line, "#VER", "verifikation %s %s: beloppen är för stora", v.Series, v.Number)
		}
		sum += t.Amount
	}
	if sum != 0 {
		return r.errorf(v.Line, "#VER", "verifikation %s %s balanserar inte: debet och kredit skiljer %s kr",
			v.Series, v.Number, sum)
	}
	r.file.Vouchers = append(r.file.Vouchers, *v)
	return nil
}

// checksum handles #KSUMMA: without a value it starts the sum, with one it
// ends it and compares.
func (r *reader) checksum(n int, fields []field) error {
	switch {
	case len(fields) == 0 && r.sum == nil && !r.summed:
		r.sum = &crcState{crc: 0}
		return nil
	case len(fields) == 1 && r.sum != nil:
		want, err := strconv.ParseInt(string(fields[0].text), 10, 64)
		if err != nil || want < -1<<31 || want > 1<<32-1 {
			return r.errorf(n, "#KSUMMA", "kontrollsumman %q är inget tal", fields[0].text)
		}
		if uint32(want) != r.sum.crc {
			return r.errorf(n, "#KSUMMA", "kontrollsumman stämmer inte (filen säger %d, innehållet ger %d): filen har ändrats eller skadats efter exporten", want, r.sum.crc)
		}
		r.sum, r.summed = nil, true
		r.file.Checksummed = true
		return nil
	}
	return r.errorf(n, "#KSUMMA", "kontrollsumman står inte som standarden säger (först #KSUMMA utan värde, sist #KSUMMA med summan)")
}

// add sums a record as SIE 4B says: the label and each field's text,
// without the separators, quotes and braces, in the file's own bytes.
func (s *crcState) add(label string, fields []field) {
	s.crc = crc32.Update(s.crc, crc32.IEEETable, []byte(label))
	for _, f := range fields {
		s.crc = crc32.Update(s.crc, crc32.IEEETable, f.text)
		for _, e := range f.list {
			s.crc = crc32.Update(s.crc, crc32.IEEETable, e.text)
		}
	}
}

func (r *reader) finish() error {
	if r.open || r.voucher != nil {
		return r.errorf(r.voucher.Line, "#VER", "verifikationen saknar sitt avslutande }")
	}
	if r.sum != nil {
		return r.errorf(0, "#KSUMMA", "kontrollsumman saknar sin avslutande #KSUMMA med summan")
	}
	for _, u := range r.uses {
		if _, ok := r.file.Objects[u.ref]; !ok {
			return r.errorf(u.line, "#TRANS", "objekt %q i dimension %d finns inte bland filens #OBJEKT", u.ref.ID, u.ref.Dim)
		}
	}
	return r.checkDates()
}

func (r *reader) checkDates() error {
	for _, v := range r.file.Vouchers {
		if !r.file.InYears(v.Date) {
			return r.errorf(v.Line, "#VER", "datum %s ligger utanför filens räkenskapsår (#RAR)", v.Date.Format("2006-01-02"))
		}
		for _, t := range v.Trans {
			if !r.file.InYears(t.Date) {
				return r.errorf(t.Line, "#TRANS", "datum %s ligger utanför filens räkenskapsår (#RAR)", t.Date.Format("2006-01-02"))
			}
		}
	}
	return nil
}

// text decodes a field's bytes: code page 437, or UTF-8 when the file
// began with a byte order mark.
func (r *reader) text(b []byte) (string, error) {
	if r.utf8 {
		if !utf8.Valid(b) {
			return "", fmt.Errorf("texten är inte giltig UTF-8")
		}
		return string(b), nil
	}
	s, err := charmap.CodePage437.NewDecoder().Bytes(b)
	return string(s), err
}
