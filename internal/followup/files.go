package followup

import (
	"io"
	"slices"
	"strconv"
	"time"
)

// ageGroup is the age group of a person born in year, at the period's end.
func ageGroup(born, endYear int) string {
	switch age := endYear - born; {
	case age < 18:
		return "0-17"
	case age < 65:
		return "18-64"
	case age < 80:
		return "65-79"
	}
	return "80+"
}

func readListings(name string, r io.Reader, o Options, add func(id, group, gp string, sabo bool), pats *interner, bad *BadRows) error {
	l, err := newLines(name, r, "patient_id", "lan", "enhet_id", "fast_lakare_id", "sabo", "kon", "fodelsear")
	if err != nil {
		return err
	}
	first := map[string]int{}
	endYear := o.To.Year()
	for {
		row, err := l.next()
		if err != nil || row == nil {
			return err
		}
		id, lan, enhet, gp := l.get(row, "patient_id"), l.get(row, "lan"), l.get(row, "enhet_id"), l.get(row, "fast_lakare_id")
		sabo, kon, born := l.get(row, "sabo"), l.get(row, "kon"), l.get(row, "fodelsear")
		year, yerr := strconv.Atoi(born)
		switch {
		case id == "":
			bad.add(l.line, "patient_id", id, "saknas")
			continue
		case first[id] > 0:
			bad.add(l.line, "patient_id", id, "finns redan på rad "+itoa(first[id]))
			continue
		case !slices.Contains(counties, lan):
			bad.add(l.line, "lan", lan, "är inte en länskod")
			continue
		case enhet == "":
			bad.add(l.line, "enhet_id", enhet, "saknas")
			continue
		case sabo != "0" && sabo != "1":
			bad.add(l.line, "sabo", sabo, "ska vara 0 eller 1")
			continue
		case kon != "K" && kon != "M":
			bad.add(l.line, "kon", kon, "ska vara K eller M")
			continue
		case yerr != nil || year < 1880 || year > endYear:
			bad.add(l.line, "fodelsear", born, "är inte ett rimligt födelseår")
			continue
		}
		first[id] = l.line
		group := ByRiket
		switch o.By {
		case ByLan:
			group = lan
		case ByEnhet:
			group = enhet
		case ByKon:
			group = kon
		case ByAldersgrupp:
			group = ageGroup(year, endYear)
		}
		add(id, group, gp, sabo == "1")
	}
}

func readClinicians(name string, r io.Reader, clin *interner, bad *BadRows) (map[int32]bool, error) {
	l, err := newLines(name, r, "vardgivare_id", "yrke", "st")
	if err != nil {
		return nil, err
	}
	st := map[int32]bool{}
	for {
		row, err := l.next()
		if err != nil || row == nil {
			return st, err
		}
		id, yrke, s := l.get(row, "vardgivare_id"), l.get(row, "yrke"), l.get(row, "st")
		switch {
		case id == "":
			bad.add(l.line, "vardgivare_id", id, "saknas")
		case !slices.Contains(Yrken, yrke):
			bad.add(l.line, "yrke", yrke, "är inte ett känt yrke")
		case s != "0" && s != "1":
			bad.add(l.line, "st", s, "ska vara 0 eller 1")
		case yrke == "lakare":
			st[clin.id(id)] = s == "1"
		}
	}
}

func readVisits(name string, r io.Reader, o Options, pats, clin *interner, res *Result, bad *BadRows) ([]uint64, error) {
	l, err := newLines(name, r, "patient_id", "datum", "enhet_id", "vardgivare_id", "yrke", "kontakttyp")
	if err != nil {
		return nil, err
	}
	from, _ := dayNumber([]byte(o.From.Format(time.DateOnly)))
	to, _ := dayNumber([]byte(o.To.Format(time.DateOnly)))
	var pairs []uint64
	for {
		row, err := l.nextRaw()
		if err != nil || row == nil {
			return pairs, err
		}
		id, datum, enhet, vg := l.getRaw(row, "patient_id"), l.getRaw(row, "datum"), l.getRaw(row, "enhet_id"), l.getRaw(row, "vardgivare_id")
		yrke, typ := l.getRaw(row, "yrke"), l.getRaw(row, "kontakttyp")
		day, dateOK := dayNumber(datum)
		switch {
		case len(id) == 0:
			bad.add(l.line, "patient_id", string(id), "saknas")
			continue
		case !dateOK:
			bad.add(l.line, "datum", string(datum), "är inte ett datum (ÅÅÅÅ-MM-DD)")
			continue
		case len(enhet) == 0:
			bad.add(l.line, "enhet_id", "", "saknas")
			continue
		case len(vg) == 0:
			bad.add(l.line, "vardgivare_id", "", "saknas")
			continue
		case !known(yrke, Yrken):
			bad.add(l.line, "yrke", string(yrke), "är inte ett känt yrke")
			continue
		case !known(typ, Kontakttyper):
			bad.add(l.line, "kontakttyp", string(typ), "är inte en känd kontakttyp")
			continue
		}
		res.VisitsRead++
		if day < from || day > to || (!o.AllYrken && string(yrke) != "lakare") {
			continue
		}
		p, ok := pats.ids[string(id)] // no allocation for the lookup
		if !ok {
			res.VisitsUnlisted++
			continue
		}
		res.VisitsUsed++
		c, ok := clin.ids[string(vg)]
		if !ok {
			c = clin.id(string(vg))
		}
		pairs = append(pairs, uint64(uint32(p))<<32|uint64(uint32(c)))
	}
}

// known reports whether b is one of the words, without allocating.
func known(b []byte, words []string) bool {
	for _, w := range words {
		if string(b) == w {
			return true
		}
	}
	return false
}
