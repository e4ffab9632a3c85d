package bench

import (
	"fmt"
	"math"

	"narvard/internal/followup"
)

// county is one county's figures in the full default run: every column
// of the listings and of the continuity to physicians, to all contacts
// and to physicians for SÄBO residents.
type county struct {
	Lan                                                    string
	Listade, MedFastLakare, SaboListade, SaboMedFastLakare int
	MedFastVardkontakt, Specialists, STDoctor              int
	PatienterCOCLakare, PatienterCOCAlla, SaboPatienterCOC int
	COCLakare, UPCLakare, COCAlla, UPCAlla, COCLakareSabo  float64
}

func countyOf(r followup.Row) county {
	return county{Lan: r.Group, Listade: r.Listade, MedFastLakare: r.MedFastLakare, SaboListade: r.SaboListade,
		SaboMedFastLakare: r.SaboMedFastLakare, MedFastVardkontakt: r.MedFastVardkontakt, Specialists: r.Specialists,
		STDoctor: r.STDoctor, PatienterCOCLakare: r.PatienterCOCLakare, PatienterCOCAlla: r.PatienterCOCAlla,
		SaboPatienterCOC: r.SaboPatienterCOC, COCLakare: r.COCLakare, UPCLakare: r.UPCLakare, COCAlla: r.COCAlla,
		UPCAlla: r.UPCAlla, COCLakareSabo: r.COCLakareSabo}
}

// fields are the columns in duckSQL's order, to scan into.
func (c *county) fields() []any {
	return []any{&c.Lan, &c.Listade, &c.MedFastLakare, &c.SaboListade, &c.SaboMedFastLakare, &c.MedFastVardkontakt,
		&c.Specialists, &c.STDoctor, &c.PatienterCOCLakare, &c.PatienterCOCAlla, &c.SaboPatienterCOC,
		&c.COCLakare, &c.UPCLakare, &c.COCAlla, &c.UPCAlla, &c.COCLakareSabo}
}

// equal compares the counts exactly and the means to 1e-9.
func (c county) equal(o county) bool {
	a, b := c.fields(), o.fields()
	for i := range a {
		switch x := a[i].(type) {
		case *float64:
			if math.Abs(*x-*b[i].(*float64)) > 1e-9 {
				return false
			}
		case *int:
			if *x != *b[i].(*int) {
				return false
			}
		case *string:
			if *x != *b[i].(*string) {
				return false
			}
		}
	}
	return true
}

// duckSQL is the full default run in DuckDB's SQL, one period (the year
// lastYear), by county: visits per (patient, clinician) to anyone and to
// physicians, then per patient N, Σn² and max n, then the means per
// county of the patients' listing; and the listings' counts, with the
// named GPs that the clinicians file says are physicians, specialists or
// ST. Text and numbers are compared as text so that CSV (where DuckDB
// detects types) and Parquet (text) read alike.
func duckSQL(dir, format string) string {
	read := "read_parquet('%s/%s.parquet')"
	if ext(format) == "csv" {
		read = "read_csv('%s/%s.csv')"
	}
	t := func(name string) string { return fmt.Sprintf(read, dir, name) }
	return fmt.Sprintf(`
WITH l AS (
  SELECT patient_id, lan::VARCHAR AS lan, coalesce(fast_lakare_id::VARCHAR, '') AS gp, sabo::VARCHAR = '1' AS sabo,
         coalesce(fast_vardkontakt_id::VARCHAR, '') <> '' AS contact
  FROM %[1]s),
k AS (SELECT vardgivare_id::VARCHAR AS gp, st::VARCHAR = '1' AS st FROM %[2]s WHERE yrke = 'lakare'),
v AS (
  SELECT patient_id, vardgivare_id, count(*) AS n, count(*) FILTER (WHERE yrke = 'lakare') AS nl
  FROM %[3]s
  WHERE datum::VARCHAR BETWEEN '%[4]d-01-01' AND '%[4]d-12-31'
  GROUP BY patient_id, vardgivare_id),
p AS (
  SELECT patient_id, sum(n) AS na, sum(n * n) AS sa, max(n) AS ma, sum(nl) AS nl, sum(nl * nl) AS sl, max(nl) AS ml
  FROM v GROUP BY patient_id HAVING sum(n) >= 2),
c AS (
  SELECT l.lan,
    count(*) FILTER (WHERE nl >= 2) AS pl,
    count(*) AS pa,
    count(*) FILTER (WHERE nl >= 2 AND l.sabo) AS ps,
    coalesce(avg((sl - nl) / (nl * (nl - 1))) FILTER (WHERE nl >= 2), 0) AS cocl,
    coalesce(avg(ml / nl) FILTER (WHERE nl >= 2), 0) AS upcl,
    avg((sa - na) / (na * (na - 1))) AS coca,
    avg(ma / na) AS upca,
    coalesce(avg((sl - nl) / (nl * (nl - 1))) FILTER (WHERE nl >= 2 AND l.sabo), 0) AS cocs
  FROM p JOIN l USING (patient_id) GROUP BY l.lan),
g AS (
  SELECT l.lan, count(*) AS listade, count(*) FILTER (WHERE l.gp <> '') AS gp,
    count(*) FILTER (WHERE l.sabo) AS sabo, count(*) FILTER (WHERE l.sabo AND l.gp <> '') AS sabo_gp,
    count(*) FILTER (WHERE l.contact) AS contact,
    count(DISTINCT k.gp) FILTER (WHERE NOT k.st) AS specialists, count(DISTINCT k.gp) FILTER (WHERE k.st) AS st
  FROM l LEFT JOIN k ON k.gp = l.gp GROUP BY l.lan)
SELECT g.lan, listade, gp, sabo, sabo_gp, contact, specialists, st,
  coalesce(pl, 0), coalesce(pa, 0), coalesce(ps, 0), coalesce(cocl, 0), coalesce(upcl, 0), coalesce(coca, 0), coalesce(upca, 0), coalesce(cocs, 0)
FROM g LEFT JOIN c USING (lan) ORDER BY g.lan`, t("listings"), t("clinicians"), t("visits"), lastYear)
}
