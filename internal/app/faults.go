package app

import (
	"errors"

	"narvard/internal/fault"
)

// message is an error's message without its code or fields.
func message(err error) string {
	var f *fault.Error
	if errors.As(err, &f) {
		return f.Message
	}
	return err.Error()
}

// addFields adds an Invalid error's field messages to bad.
func addFields(bad fault.Fields, err error) {
	var f *fault.Error
	if errors.As(err, &f) {
		for k, v := range f.Fields {
			bad.Add(k, "%s", v)
		}
	}
}
