package fault

import (
	"fmt"
	"testing"
)

func TestFields(t *testing.T) {
	f := Fields{}
	if f.Err() != nil {
		t.Fatal("empty fields gave an error")
	}
	f.Add("amount_kr", "måste vara positivt")
	f.Add("amount_kr", "ignored")
	f.Add("account", "saknas")
	err := fmt.Errorf("wrapped: %w", f.Err())
	if CodeOf(err) != Invalid {
		t.Errorf("code = %q", CodeOf(err))
	}
	want := "wrapped: Uppgifterna är inte fullständiga eller inte giltiga.; account: saknas; amount_kr: måste vara positivt"
	if err.Error() != want {
		t.Errorf("err = %q", err)
	}
	if CodeOf(fmt.Errorf("plain")) != "" {
		t.Error("plain error has a code")
	}
}
