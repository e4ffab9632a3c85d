package grant

import (
	"testing"

	"narvard/internal/fault"
)

func TestActivityTakesAttachments(t *testing.T) {
	for status, ok := range map[ActivityStatus]bool{ActivityDraft: true, ActivityReturned: true, ActivitySubmitted: false, ActivityAccepted: false} {
		r := ActivityReport{ID: "V-1", Status: status}
		err := r.TakesAttachments()
		if (err == nil) != ok || (err != nil && fault.CodeOf(err) != fault.Conflict) {
			t.Errorf("%s: %v", status, err)
		}
	}
}
