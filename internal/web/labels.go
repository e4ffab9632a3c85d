package web

import (
	"errors"
	"maps"
	"regexp"
	"slices"
	"strconv"

	"narvard/internal/fault"
)

// fieldLabels are the Swedish labels of the fields the use cases name in
// their refusals (fault.Fields keys): a message reaches the user named by
// its field's label, never by its key.
var fieldLabels = map[string]string{
	"amount_kr":            "Belopp",
	"period_from":          "Perioden från",
	"period_to":            "Perioden till",
	"account.type":         "Kontotyp",
	"account.number":       "Bankgiro- eller plusgironummer",
	"payment_reference":    "Önskad betalningsreferens",
	"contact.name":         "Kontaktperson",
	"contact.email":        "E-postadress",
	"contact.phone":        "Telefon inkl. riktnummer",
	"agreement_dnr":        "Regeringskansliets diarienummer för överenskommelsen",
	"payment_decision_dnr": "Regeringskansliets diarienummer för beslutet om utbetalning",
	"agreement":            "Överenskommelse",
	"recipient":            "Mottagare",
	"costs":                "Kostnader",
	"item":                 "Kostnadspost",
	"component":            "Del av överenskommelsen",
	"paid_on":              "Betalningsdag",
	"received_on":          "Inbetald",
	"reference":            "Referens",
	"reason":               "Skäl",
	"alternative":          "Granskning",
	"deviations":           "Avvikelser",
	"actions":              "Åtgärder",
	"title":                "Befattning",
	"phone":                "Telefon inkl. riktnummer",
	"text":                 "Vilket underlag begärs",
	"due_date":             "Sista dag",
}

// rowKey is a key of one cost line: costs[0].amount_kr.
var rowKey = regexp.MustCompile(`^costs\[(\d+)\]\.(\w+)$`)

// labelOf is the label a user sees for a refusal's field key; a cost
// line's key names the row by the number shown (1-based).
func labelOf(key string) string {
	if m := rowKey.FindStringSubmatch(key); m != nil {
		n, _ := strconv.Atoi(m[1])
		return "Rad " + strconv.Itoa(n+1) + ", " + labelOf(m[2])
	}
	if l, ok := fieldLabels[key]; ok {
		return l
	}
	return key
}

// labelledText is a refusal as one text for the user: its message and
// each field's message named by the field's label ("" for nil).
func labelledText(err error) string {
	if err == nil {
		return ""
	}
	var f *fault.Error
	if !errors.As(err, &f) || len(f.Fields) == 0 {
		return err.Error()
	}
	text := f.Message
	for _, k := range slices.Sorted(maps.Keys(f.Fields)) {
		text += " " + labelOf(k) + ": " + f.Fields[k]
	}
	return text
}

// labelledMessages are a form's field messages, each named by its
// field's label, in the given order of the form's fields and then any
// others.
func labelledMessages(fields map[string]string, order []string) []fieldMessage {
	var out []fieldMessage
	seen := map[string]bool{}
	for _, k := range order {
		if m, ok := fields[k]; ok {
			out = append(out, fieldMessage{Field: k, Label: labelOf(k), Message: m})
			seen[k] = true
		}
	}
	for _, k := range slices.Sorted(maps.Keys(fields)) {
		if !seen[k] {
			out = append(out, fieldMessage{Field: k, Label: labelOf(k), Message: fields[k]})
		}
	}
	return out
}
