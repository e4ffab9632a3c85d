package sie

import (
	"strconv"
	"strings"
)

// Error is a problem in a SIE file, located so that the person who
// exported it can find it: "bok.se:12: #TRANS: belopp "12,50" är inget
// belopp (ange kronor med punkt före ören)".
type Error struct {
	File  string // the file's name as the caller gave it
	Line  int    // 1-based line; 0 for the file as a whole
	Label string // the record, e.g. "#TRANS"; "" when not one record's
	Msg   string // what is wrong, in Swedish
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Label != "" {
		b.WriteString(e.Label + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}
