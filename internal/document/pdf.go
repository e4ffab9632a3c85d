// Package document renders the grant's documents: the requisition and the
// financial report laid out like Bilaga 1, as PDF, and the national status
// as an XLSX workbook. Every PDF page carries the Government Offices'
// reference numbers (diarienummer) and its page number.
package document

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"time"
	_ "time/tzdata" // dates are shown in Europe/Stockholm

	"github.com/signintech/gopdf"
)

//go:embed fonts/DejaVuSans.ttf
var regularFont []byte

//go:embed fonts/DejaVuSans-Bold.ttf
var boldFont []byte

var stockholm, _ = time.LoadLocation("Europe/Stockholm")

// A4 in points, and the layout's margins and columns.
const (
	pageW, pageH = 595.28, 841.89
	margin       = 50.0
	top          = 78.0
	bottom       = pageH - 60
	labelW       = 210.0
	lineH        = 14.0
)

// sheet is a PDF being written top to bottom, with page breaks, a header
// carrying the reference numbers and a footer with "Sida x av y".
type sheet struct {
	pdf    *gopdf.GoPdf
	y      float64
	page   int
	pages  int // the total, known on the second pass; 0 on the first
	header string
	footer string
	err    error
}

func newSheet(header, footer string, pages int) (*sheet, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	if err := pdf.AddTTFFontData("sans", regularFont); err != nil {
		return nil, err
	}
	if err := pdf.AddTTFFontData("sans-bold", boldFont); err != nil {
		return nil, err
	}
	s := &sheet{pdf: pdf, header: header, footer: footer, pages: pages}
	s.newPage()
	return s, nil
}

func (s *sheet) font(bold bool, size float64) {
	name := "sans"
	if bold {
		name = "sans-bold"
	}
	if err := s.pdf.SetFont(name, "", size); err != nil && s.err == nil {
		s.err = err
	}
}

func (s *sheet) at(x, y float64, text string) {
	s.pdf.SetXY(x, y)
	if err := s.pdf.Text(text); err != nil && s.err == nil {
		s.err = err
	}
}

func (s *sheet) newPage() {
	s.pdf.AddPage()
	s.page++
	s.font(false, 8)
	s.pdf.SetTextColor(80, 80, 80)
	s.at(margin, 40, s.header)
	total := "?"
	if s.pages > 0 {
		total = fmt.Sprint(s.pages)
	}
	s.at(margin, pageH-35, fmt.Sprintf("%s · Sida %d av %s", s.footer, s.page, total))
	s.pdf.SetStrokeColor(180, 180, 180)
	s.pdf.SetLineWidth(0.5)
	s.pdf.Line(margin, 48, pageW-margin, 48)
	s.pdf.Line(margin, pageH-48, pageW-margin, pageH-48)
	s.pdf.SetTextColor(0, 0, 0)
	s.y = top
}

// need starts a new page unless h points fit on this one.
func (s *sheet) need(h float64) {
	if s.y+h > bottom {
		s.newPage()
	}
}

// wrap splits text into lines that fit width at the current font.
func (s *sheet) wrap(text string, width float64) []string {
	var out []string
	for _, para := range strings.Split(text, "\n") {
		if strings.TrimSpace(para) == "" {
			out = append(out, "")
			continue
		}
		lines, err := s.pdf.SplitTextWithWordWrap(para, width)
		if err != nil {
			lines = []string{para}
		}
		out = append(out, lines...)
	}
	return out
}

func (s *sheet) title(text string) {
	s.font(true, 16)
	s.need(30)
	s.at(margin, s.y, text)
	s.y += 26
}

func (s *sheet) heading(text string) {
	s.need(40)
	s.font(true, 11)
	s.y += 10
	for i, l := range s.wrap(text, pageW-2*margin) {
		if i > 0 {
			s.y += 15
		}
		s.at(margin, s.y, l)
	}
	s.y += 4
	s.pdf.SetStrokeColor(0, 0, 0)
	s.pdf.SetLineWidth(0.8)
	s.pdf.Line(margin, s.y+2, pageW-margin, s.y+2)
	s.y += 12
}

// field writes a label and its value; the value wraps in its column.
func (s *sheet) field(label, value string) {
	if strings.TrimSpace(value) == "" {
		value = "–"
	}
	s.font(false, 9)
	if w, _ := s.pdf.MeasureTextWidth(label); w > labelW-10 {
		// A long label gets a line of its own, the value under it.
		s.need(2 * lineH)
		s.pdf.SetTextColor(70, 70, 70)
		s.at(margin, s.y, label)
		s.pdf.SetTextColor(0, 0, 0)
		s.y += lineH
	}
	labels := s.wrap(label, labelW-10)
	if w, _ := s.pdf.MeasureTextWidth(label); w > labelW-10 {
		labels = nil
	}
	values := s.wrap(value, pageW-2*margin-labelW)
	n := max(len(labels), len(values))
	s.need(float64(n) * lineH)
	s.font(false, 9)
	for i := range n {
		if i < len(labels) {
			s.pdf.SetTextColor(70, 70, 70)
			s.at(margin, s.y, labels[i])
			s.pdf.SetTextColor(0, 0, 0)
		}
		if i < len(values) {
			s.at(margin+labelW, s.y, values[i])
		}
		s.y += lineH
	}
	s.y += 2
}

// amount writes a label and a right-aligned amount.
func (s *sheet) amount(label, value string, bold bool) {
	s.need(lineH)
	s.font(bold, 9)
	s.at(margin, s.y, label)
	s.right(pageW-margin, value)
	s.y += lineH + 2
}

func (s *sheet) right(x float64, text string) {
	w, err := s.pdf.MeasureTextWidth(text)
	if err != nil && s.err == nil {
		s.err = err
	}
	s.at(x-w, s.y, text)
}

// paragraph writes running text.
func (s *sheet) paragraph(text string, bold bool) {
	s.font(bold, 9)
	for _, l := range s.wrap(text, pageW-2*margin) {
		s.need(lineH)
		s.font(bold, 9)
		s.at(margin, s.y, l)
		s.y += lineH
	}
	s.y += 4
}

func (s *sheet) rule() {
	s.pdf.SetStrokeColor(200, 200, 200)
	s.pdf.SetLineWidth(0.5)
	s.pdf.Line(margin, s.y-9, pageW-margin, s.y-9)
}

// render draws a document twice: once to count its pages, then for real
// with "Sida x av y" on every page.
func render(w io.Writer, header, footer string, draw func(*sheet)) error {
	first, err := newSheet(header, footer, 0)
	if err != nil {
		return err
	}
	draw(first)
	if first.err != nil {
		return first.err
	}
	s, err := newSheet(header, footer, first.page)
	if err != nil {
		return err
	}
	draw(s)
	if s.err != nil {
		return s.err
	}
	var buf bytes.Buffer
	if err := s.pdf.Write(&buf); err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func dnrHeader(agreementDnr, decisionDnr string) string {
	return fmt.Sprintf("Regeringskansliets dnr: överenskommelsen %s · beslut om utbetalning %s", orDash(agreementDnr), orDash(decisionDnr))
}

// rehearsal marks a footer ÖVNING when the document is made on a
// rehearsal's clock, so that a printed copy cannot pass for a real one.
func rehearsal(on bool, footer string) string {
	if on {
		return "ÖVNING – " + footer
	}
	return footer
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

// when formats a moment as people in Sweden read it.
func when(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.In(stockholm).Format(time.DateOnly + " 15:04")
}

func day(t time.Time) string {
	if t.IsZero() {
		return "–"
	}
	return t.In(stockholm).Format(time.DateOnly)
}
