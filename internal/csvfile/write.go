package csvfile

// Text makes a text cell of a CSV file safe to open in a spreadsheet: a
// cell that starts with =, +, -, @, a tab or a carriage return is taken
// by Excel, LibreOffice and Google Sheets as a formula (=HYPERLINK(…),
// =cmd|…), so it gets a leading ' and shows as the text it is. Only text
// cells go through Text: a number in a numeric column (-114364) stays a
// number.
func Text(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Texts is Text of each cell, in a new slice.
func Texts(cells ...string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = Text(c)
	}
	return out
}
