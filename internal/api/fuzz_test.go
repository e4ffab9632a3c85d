package api

import (
	"bytes"
	"net/http/httptest"
	"testing"

	"narvard/internal/app"
	"narvard/internal/fault"
	"narvard/internal/grant"
	"narvard/internal/money"
)

// FuzzDecode: any request body decodes into each of the API's request
// types or is refused as invalid (422) naming a field, never a panic and
// never another kind of error.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		body("1000", "5050-1055"), `{"agreement":"gnv-2023","costs":[{"item":"x","amount_kr":5}]}`, `{"alternative":2,"deviations":"x"}`,
		`{"reason":"Fel"}`, `{"account":{"type":"iban","number":"SE45 5000 0000 0583 9825 7466","bic":"ESSESESS"}}`,
		`{"amount_kr":1e400}`, `{"amount_kr":-9223372036854775809}`, `{"amount_kr":"1"}`, `[]`, `{} {}`, `{"a":`, "", "\x00", `{"requisitions":[1]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		targets := []any{
			new(grant.Form), new(grant.ReportForm), new(grant.Review), new(app.OrganisationEdit),
			new(struct {
				Reason string `json:"reason"`
			}),
			new(struct {
				Agreement    string   `json:"agreement"`
				Requisitions []string `json:"requisitions"`
				Recipient    string   `json:"recipient"`
				Amount       money.Kr `json:"amount_kr"`
				PaidOn       string   `json:"paid_on"`
			}),
		}
		for _, v := range targets {
			err := decode(httptest.NewRequest("POST", "/api/v1/x", bytes.NewReader(b)), v)
			if err != nil && fault.CodeOf(err) != fault.Invalid {
				t.Errorf("decode(%q) into %T: %v, not invalid", b, v, err)
			}
			err = decodeOptional(httptest.NewRequest("POST", "/api/v1/x", bytes.NewReader(b)), v)
			if err != nil && fault.CodeOf(err) != fault.Invalid {
				t.Errorf("decodeOptional(%q) into %T: %v, not invalid", b, v, err)
			}
		}
	})
}
