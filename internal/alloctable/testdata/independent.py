#!/usr/bin/env python3
"""An independent implementation of the allocation rule, in another language,
used once to produce the golden files next to it. It reads the published input
figures (lan.csv with kod,lan,region,befolkning,kommunal_hsv and landsbygd.csv
with kod,belopp) and prints the regioner, kommuner and landsbygd tables of the
2023 agreement as CSV.

    python3 independent.py lan.csv landsbygd.csv OUTDIR
"""
import csv
import sys
from fractions import Fraction


def lr(amount, weights):
    """Largest remainder: floor each exact share, the leftover kronor one each
    to the largest remainders, ties to the lower code compared as text."""
    total = sum(weights.values())
    exact = {k: Fraction(amount) * w / total for k, w in weights.items()}
    out = {k: int(v) for k, v in exact.items()}  # floor, v >= 0
    left = amount - sum(out.values())
    order = sorted(exact, key=lambda k: (-(exact[k] - out[k]), k))
    for k in order[:left]:
        out[k] += 1
    return out


def main(lan_path, rural_path, outdir):
    lan = list(csv.DictReader(open(lan_path, encoding="utf-8")))
    pop = {r["kod"]: Fraction(int(r["befolkning"])) for r in lan}
    hsv = {r["kod"]: int(r["kommunal_hsv"]) for r in lan}
    rural = {r["kod"]: Fraction(int(r["belopp"])) for r in csv.DictReader(open(rural_path, encoding="utf-8"))}
    P, H = sum(pop.values()), sum(hsv.values())
    mixed = {k: Fraction(1, 2) * pop[k] / P + Fraction(1, 2) * Fraction(hsv[k], H) for k in pop}
    codes = sorted(pop)

    def base_plus(amount, base):
        rest = lr(amount - base * len(codes), pop)
        return {k: base + v for k, v in rest.items()}

    landsbygd = lr(300_000_000, rural)
    nv_pop = lr(2_089_000_000, pop)
    regioner = {
        "nara_vard": {k: nv_pop[k] + landsbygd[k] for k in codes},
        "vardens_medarbetare": lr(1_999_000_000, pop),
        "vidareutbildning": lr(400_000_000, pop),
        "karriartjanster": lr(100_000_000, pop),
        "vision_ehalsa": base_plus(70_000_000, 500_000),
        "ambulans": base_plus(85_000_000, 500_000),
    }
    kommuner = {
        "nara_vard": lr(750_000_000, mixed),
        "vardens_medarbetare": lr(200_000_000, mixed),
        "vidareutbildning": lr(100_000_000, mixed),
    }
    for name, cols in (("regioner", regioner), ("kommuner", kommuner)):
        with open(f"{outdir}/gnv-2023-{name}.csv", "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["kod", *cols, "totalt"])
            for k in codes:
                vals = [cols[c][k] for c in cols]
                w.writerow([k, *vals, sum(vals)])
    with open(f"{outdir}/gnv-2023-landsbygd.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["kod", "belopp"])
        for k in codes:
            w.writerow([k, landsbygd[k]])


if __name__ == "__main__":
    main(*sys.argv[1:4])
