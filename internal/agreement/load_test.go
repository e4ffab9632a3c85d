package agreement

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

func TestBuiltinGNV2023(t *testing.T) {
	a, err := Builtin().Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	if a.Total != 6394500000 {
		t.Errorf("total = %d", a.Total)
	}
	if len(a.Counties) != 21 {
		t.Errorf("counties = %d, want 21", len(a.Counties))
	}
	var pop int64
	for _, c := range a.Counties {
		pop += c.Befolkning
	}
	if pop != 10514719 {
		t.Errorf("population = %d, want 10514719", pop)
	}
	regionIDs := []string{}
	for _, c := range a.ComponentsFor(Region) {
		regionIDs = append(regionIDs, c.ID)
	}
	if got := strings.Join(regionIDs, ","); got != "nara_vard,vardens_medarbetare,vidareutbildning,karriartjanster,vision_ehalsa,ambulans" {
		t.Errorf("region components = %s", got)
	}
	d, ok := a.Deadline("requisition")
	if !ok || d.Date.String() != "2023-12-01" {
		t.Errorf("requisition deadline = %v", d)
	}
	if _, p, err := a.Ref(Region, "nara_vard/landsbygd"); err != nil || p.Amount != 300000000 {
		t.Errorf("Ref landsbygd = %v, %v", p, err)
	}
}

func TestParseRejects(t *testing.T) {
	base := string(mustRead(t))
	tests := []struct {
		name, from, to, want string
	}{
		{"components do not sum", "total_kr = 6394500000", "total_kr = 6394500001", "summerar"},
		{"parts do not sum", "amount_kr = 2089000000", "amount_kr = 2089000001", "delarna summerar"},
		{"unknown key", `key = "rural"`, `key = "lottery"`, "okänd nyckel"},
		{"mix weights", `{ factor = "kommunal_hsv", weight = "1/2" },
  ]

[[components]]
id = "vardens_medarbetare"`, `{ factor = "kommunal_hsv", weight = "1/3" },
  ]

[[components]]
id = "vardens_medarbetare"`, "inte 1"},
		{"unknown field", `short_name = "Ambulans"`, `short_name = "Ambulans"
colour = "red"`, "okänt fält"},
		{"published unknown code", `{ kod = "25", kr = [15256445] }`, `{ kod = "26", kr = [15256445] }`, "okänd kod"},
		{"not toml", "[appropriation]", "[appropriation", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.from) {
				t.Fatalf("test text %q not in file", tt.from)
			}
			_, err := Parse([]byte(strings.Replace(base, tt.from, tt.to, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadRefusesUnknownVocabulary(t *testing.T) {
	base := string(mustRead(t))
	lineOf := func(text string) int {
		i := strings.Index(base, text)
		if i < 0 {
			t.Fatalf("test text %q not in file", text)
		}
		return strings.Count(base[:i], "\n") + 1
	}
	tests := []struct {
		name, from, to, want string
	}{
		{"unknown deadline id", `id = "vfu_report"`, `id = "vfu_rapport"`,
			fmt.Sprintf(`gnv-2023.toml:%d: deadlines[0].id: okänd tidsfrist "vfu_rapport"`, lineOf(`id = "vfu_report"`))},
		{"unknown deadline id, later entry", `id = "activity_report"`, `id = "activity"`,
			fmt.Sprintf(`gnv-2023.toml:%d: deadlines[6].id: okänd tidsfrist "activity"`, lineOf(`id = "activity_report"`))},
		{"lacks requisition", `id = "requisition"`, `id = "activity_report"`,
			`gnv-2023.toml: deadlines: tidsfristen "requisition" saknas`},
		{"unknown recipient kind", `recipient = "region_kommun"
name`, `recipient = "kommun"
name`, fmt.Sprintf(`gnv-2023.toml:%d: components[9].recipient: okänd mottagartyp "kommun"`, lineOf("recipient = \"region_kommun\"\nname"))},
		{"unknown key", `key = "rural"`, `key = "lottery"`,
			fmt.Sprintf(`gnv-2023.toml:%d: components.parts[1].key: okänd nyckel "lottery"`, lineOf(`key = "rural"`))},
		{"unknown table", `id = "landsbygd"
recipient`, `id = "glesbygd"
recipient`, fmt.Sprintf(`gnv-2023.toml:%d: tables[2].id: okänd tabell "glesbygd"`, lineOf("id = \"landsbygd\"\nrecipient"))},
		{"table part unknown", `part = "nara_vard/landsbygd"`, `part = "nara_vard/glesbygd"`, `tabell landsbygd: part "nara_vard/glesbygd"`},
		{"fixed amount without recipient", `to = "skr"`, ``, "fast belopp går bara till en enda mottagare"},
		{"unknown county", `kod = "25"
befolkning`, `kod = "26"
befolkning`, fmt.Sprintf(`gnv-2023.toml:%d: counties[20].kod: okänt län "26"`, lineOf("kod = \"25\"\nbefolkning"))},
		{"vfu without periods", `base_period = "vt2022"`, ``, "VFU-nyckeln kräver [vfu]"},
		{"unknown binding", `part = "nara_vard/landsbygd"
binding = "published"`, `part = "nara_vard/landsbygd"
binding = "bilaga"`, fmt.Sprintf(`gnv-2023.toml:%d: tables[2].binding: okänd grund för bindande belopp "bilaga" (kända: published, computed)`,
			lineOf("part = \"nara_vard/landsbygd\"\nbinding")+1)},
		{"binding missing", `recipient = "rss"
binding = "published"
`, `recipient = "rss"
`, fmt.Sprintf(`gnv-2023.toml:%d: tables[1].binding: saknas: ange vilka belopp som är bindande (published eller computed)`,
			lineOf("[[tables]]\nid = \"kommuner\""))},
		{"vfu cannot be published", `binding = "computed"`, `binding = "published"`, `tabell vfu: binding = "published": VFU-medlen följer mottagarnas rapporter`},
		{"published column missing", `columns = ["nara_vard", "vardens_medarbetare", "vidareutbildning", "totalt"]`,
			`columns = ["nara_vard", "vardens_medarbetare", "totalt", "totalt"]`,
			`tabell kommuner: binding = "published" men bilagorna ([[published]], mottagartyp rss) saknar vidareutbildning 01`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.from) {
				t.Fatalf("test text %q not in file", tt.from)
			}
			fsys := fstest.MapFS{"data/gnv-2023.toml": {Data: []byte(strings.Replace(base, tt.from, tt.to, 1))}}
			_, err := LoadFS(fsys, "data")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestAddingAFileAddsAnAgreement(t *testing.T) {
	other := strings.NewReplacer(
		`id = "gnv-2023"`, `id = "test-2030"`,
		"total_kr = 6394500000", "total_kr = 6394500100",
		"amount_kr = 51500000", "amount_kr = 51500100",
	).Replace(string(mustRead(t)))
	fsys := fstest.MapFS{
		"data/gnv-2023.toml":  {Data: mustRead(t)},
		"data/test-2030.toml": {Data: []byte(other)},
	}
	s, err := LoadFS(fsys, "data")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.All()); n != 2 {
		t.Fatalf("agreements = %d", n)
	}
	a, err := s.Get("test-2030")
	if err != nil {
		t.Fatal(err)
	}
	if a.ComponentsFor(SKR)[0].Amount != 51500100 {
		t.Errorf("skr = %d", a.ComponentsFor(SKR)[0].Amount)
	}
	if _, err := s.Get("nope"); err == nil {
		t.Error("unknown id accepted")
	}
}

func mustRead(t *testing.T) []byte {
	t.Helper()
	b, err := embedded.ReadFile("data/gnv-2023.toml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCountyNamesComeFromGeo(t *testing.T) {
	a, err := Builtin().Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := a.County("25"); !ok || c.Lan != "Norrbottens län" || c.Region != "Region Norrbotten" {
		t.Errorf("county 25 = %+v", c)
	}
}

func TestPublishedCell(t *testing.T) {
	a, err := Builtin().Get("gnv-2023")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		kind      RecipientKind
		ref, code string
		want      int64
		ok        bool
	}{
		{Region, "nara_vard", "01", 491776817, true},               // Bilaga 3, the whole component
		{Region, "nara_vard/landsbygd", "23", 14897341, true},      // Bilaga 4, the part
		{Region, "nara_vard/befolkning", "23", 0, false},           // never published on its own
		{Region, "ambulans/grund_befolkning", "23", 1438690, true}, // the only part is the component
		{RSS, "vidareutbildning", "23", 1351257, true},             // Bilaga 2
		{RSS, "karriartjanster", "23", 0, false},                   // not an RSS component
		{Region, "vardens_medarbetare", "26", 0, false},            // no such county
	}
	for _, tt := range tests {
		got, ok := a.PublishedCell(tt.kind, tt.ref, tt.code)
		if ok != tt.ok || int64(got) != tt.want {
			t.Errorf("PublishedCell(%s, %s, %s) = %d, %v; want %d, %v", tt.kind, tt.ref, tt.code, got, ok, tt.want, tt.ok)
		}
	}
	// A component published only as parts is the sum of the parts' cells.
	b := *a
	b.Published = nil
	for _, p := range a.Published {
		if p.ID != "bilaga3" {
			b.Published = append(b.Published, p)
			continue
		}
		q := p
		q.Columns = append([]string{"nara_vard/befolkning"}, p.Columns[1:]...)
		q.Rows = nil
		for _, r := range p.Rows {
			rural, _ := a.PublishedCell(Region, "nara_vard/landsbygd", r.Code)
			kr := append([]int64{r.Kr[0] - int64(rural)}, r.Kr[1:]...)
			q.Rows = append(q.Rows, PublishedRow{Code: r.Code, Kr: kr})
		}
		b.Published = append(b.Published, q)
	}
	if got, ok := b.PublishedCell(Region, "nara_vard", "01"); !ok || got != 491776817 {
		t.Errorf("nara_vard from parts = %d, %v; want 491776817", got, ok)
	}
}
