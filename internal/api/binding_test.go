package api

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"narvard/internal/auth"
)

// TestRequisitionTheSignedAnnexAmount: the signed Bilaga 3 binds. Region
// Stockholm may requisition 1 103 067 686 kr and Region Jämtland
// Härjedalen 75 422 690 kr (the amount its board planned on), not the
// computation's 1 102 988 224 kr and 75 393 886 kr; one krona more is
// over_allocation; the status shows the binding amount, the computation
// and the difference, per component and in total.
func TestRequisitionTheSignedAnnexAmount(t *testing.T) {
	c, a, _ := setup(t, "2023-11-15T10:00:00+01:00")
	ctx := context.Background()
	for _, u := range []struct {
		email, org string
		role       auth.Role
	}{
		{"officer@regionstockholm.se", "region-01", auth.RecipientOfficer},
		{"sign@regionstockholm.se", "region-01", auth.Signatory},
		{"officer@regionjh.se", "region-23", auth.RecipientOfficer},
		{"sign@regionjh.se", "region-23", auth.Signatory},
	} {
		if _, err := a.AddUser(ctx, u.email, "", u.org, u.role, "ett långt lösenord"); err != nil {
			t.Fatal(err)
		}
		tok, err := a.CreateToken(ctx, u.email, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		c.tokens[u.email] = tok
	}
	// Hand-checked: the binding totals are Bilaga 3's row sums; the
	// computed ones the exact keys' (region-23: 41 218 451 + 25 187 123 +
	// 5 039 944 + 1 259 986 + 1 249 692 + 1 438 690 = 75 393 886), the
	// departures nearly all Nära vård's (Bilaga 3 departs from "2 089 mnkr
	// by population + Bilaga 4").
	tests := []struct {
		recipient, officer, signatory   string
		binding, computed, departure    string
		naraVard, naraComputed, naraDep string
	}{
		{"region-01", "officer@regionstockholm.se", "sign@regionstockholm.se",
			"1103067686", "1102988224", "79462", "491776817", "491697353", "79464"},
		{"region-23", "officer@regionjh.se", "sign@regionjh.se",
			"75422690", "75393886", "28804", "41247254", "41218451", "28803"},
	}
	for _, tt := range tests {
		over := itoa(mustInt(t, tt.binding) + 1)
		st, out := c.do(tt.officer, "POST", "/api/v1/requisitions", bodyFor(tt.recipient, over))
		if st != 422 || code(out) != "over_allocation" {
			t.Errorf("%s: one krona more: %d %v", tt.recipient, st, out)
		}
		if f := fields(out)["amount_kr"]; !strings.Contains(f, "Högst "+group(tt.binding)+" kr") {
			t.Errorf("%s: over_allocation says %q", tt.recipient, f)
		}
		st, out = c.do(tt.officer, "POST", "/api/v1/requisitions", bodyFor(tt.recipient, tt.binding))
		if st != 201 || out["amount_kr"] != json.Number(tt.binding) {
			t.Fatalf("%s: create %s: %d %v", tt.recipient, tt.binding, st, out)
		}
		id := out["id"].(string)
		if st, out := c.do(tt.signatory, "POST", "/api/v1/requisitions/"+id+"/sign", ""); st != 200 || out["status"] != "submitted" {
			t.Fatalf("%s: sign: %d %v", tt.recipient, st, out)
		}
		if st, out := c.do("pay@kammarkollegiet.se", "POST", "/api/v1/requisitions/"+id+"/approve", ""); st != 200 {
			t.Fatalf("%s: approve: %d %v", tt.recipient, st, out)
		}
		st, out = c.do(tt.officer, "GET", "/api/v1/recipients/"+tt.recipient+"/status", "")
		if st != 200 {
			t.Fatalf("%s: status: %d %v", tt.recipient, st, out)
		}
		for k, want := range map[string]string{"allocation_kr": tt.binding, "computed_kr": tt.computed,
			"departure_kr": tt.departure, "requisitioned_kr": tt.binding} {
			if out[k] != json.Number(want) {
				t.Errorf("%s: status %s = %v, want %s", tt.recipient, k, out[k], want)
			}
		}
		comps, _ := out["components"].([]any)
		if len(comps) != 6 {
			t.Fatalf("%s: components %v", tt.recipient, out["components"])
		}
		nv := comps[0].(map[string]any)
		if nv["id"] != "nara_vard" || nv["allocation_kr"] != json.Number(tt.naraVard) || nv["amount_kr"] != json.Number(tt.naraVard) ||
			nv["computed_kr"] != json.Number(tt.naraComputed) || nv["departure_kr"] != json.Number(tt.naraDep) {
			t.Errorf("%s: nara_vard %v", tt.recipient, nv)
		}
		var sumDep int64
		for _, x := range comps {
			sumDep += mustInt(t, string(x.(map[string]any)["departure_kr"].(json.Number)))
		}
		if itoa(sumDep) != tt.departure {
			t.Errorf("%s: component departures sum to %d, total says %s", tt.recipient, sumDep, tt.departure)
		}
	}
	// Paid in one batch, to the krona.
	c.readyToPay()
	st, out := c.do("pay@kammarkollegiet.se", "POST", "/api/v1/payment-batches", `{"agreement":"gnv-2023"}`)
	if st != 201 || out["control_sum_kr"] != json.Number(itoa(1103067686+75422690)) {
		t.Errorf("batch: %d %v", st, out)
	}
}

func bodyFor(recipient, amount string) string {
	return strings.Replace(body(amount, "5050-1055"), `"recipient":"region-25"`, `"recipient":"`+recipient+`"`, 1)
}

func fields(out map[string]any) map[string]string {
	e, _ := out["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	m := map[string]string{}
	for k, v := range f {
		m[k], _ = v.(string)
	}
	return m
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := json.Number(s).Int64()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// group writes digits in groups of three, as money.Kr does.
func group(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
