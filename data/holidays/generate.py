#!/usr/bin/env python3
"""data/holidays/generate.py: writes the public-holiday CSV files of this folder
(country,region,date,name) for the years given (default 2026 2027) from the
rules of the laws named in README.md. Easter by the Gregorian computus
(Anonymous Gregorian algorithm). Run it from this folder; check the output by
hand against the official lists before committing (README.md names them)."""
import datetime as dt
import sys

D = dt.date
ONE = dt.timedelta(days=1)


def easter(y):
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    day = (h + l - 7 * m + 114) % 31 + 1
    return D(y, month, day)


def nth_weekday(y, m, wd, n):
    """n-th (1..) ISO-less weekday wd (0 Monday) of month m; n = -1: the last."""
    if n > 0:
        d = D(y, m, 1)
        d += dt.timedelta(days=(wd - d.weekday()) % 7)
        return d + dt.timedelta(weeks=n - 1)
    d = D(y + (m == 12), m % 12 + 1, 1) - ONE
    return d - dt.timedelta(days=(d.weekday() - wd) % 7)


def e(y, off):
    return easter(y) + dt.timedelta(days=off)


def de(y):
    n = [(D(y, 1, 1), "Neujahr"), (e(y, -2), "Karfreitag"), (e(y, 1), "Ostermontag"),
         (D(y, 5, 1), "Tag der Arbeit"), (e(y, 39), "Christi Himmelfahrt"),
         (e(y, 50), "Pfingstmontag"), (D(y, 10, 3), "Tag der Deutschen Einheit"),
         (D(y, 12, 25), "1. Weihnachtstag"), (D(y, 12, 26), "2. Weihnachtstag")]
    rows = [("", d, nm) for d, nm in n]
    buss = D(y, 11, 22) - dt.timedelta(days=(D(y, 11, 22).weekday() - 2) % 7)
    reg = [(D(y, 1, 6), "Heilige Drei Könige", "BW BY ST"),
           (D(y, 3, 8), "Internationaler Frauentag", "BE MV"),
           (e(y, 60), "Fronleichnam", "BW BY HE NW RP SL"),
           (D(y, 8, 15), "Mariä Himmelfahrt", "SL"),
           (D(y, 9, 20), "Weltkindertag", "TH"),
           (D(y, 10, 31), "Reformationstag", "BB HB HH MV NI SN ST SH TH"),
           (D(y, 11, 1), "Allerheiligen", "BW BY NW RP SL"),
           (buss, "Buß- und Bettag", "SN")]
    for d, nm, regions in reg:
        rows += [(r, d, nm) for r in regions.split()]
    return rows


def fr(y):
    n = [(D(y, 1, 1), "Jour de l'an"), (e(y, 1), "Lundi de Pâques"), (D(y, 5, 1), "Fête du Travail"),
         (D(y, 5, 8), "Victoire 1945"), (e(y, 39), "Ascension"), (e(y, 50), "Lundi de Pentecôte"),
         (D(y, 7, 14), "Fête nationale"), (D(y, 8, 15), "Assomption"), (D(y, 11, 1), "Toussaint"),
         (D(y, 11, 11), "Armistice 1918"), (D(y, 12, 25), "Noël")]
    rows = [("", d, nm) for d, nm in n]
    for r in ("57", "67", "68"):  # Alsace-Moselle, Code du travail L3134-13
        rows += [(r, e(y, -2), "Vendredi saint"), (r, D(y, 12, 26), "Saint Étienne")]
    return rows


def nl(y):
    kd = D(y, 4, 27)
    if kd.weekday() == 6:
        kd = D(y, 4, 26)
    n = [(D(y, 1, 1), "Nieuwjaarsdag"), (e(y, 0), "Eerste Paasdag"), (e(y, 1), "Tweede Paasdag"),
         (kd, "Koningsdag"), (D(y, 5, 5), "Bevrijdingsdag"), (e(y, 39), "Hemelvaartsdag"),
         (e(y, 49), "Eerste Pinksterdag"), (e(y, 50), "Tweede Pinksterdag"),
         (D(y, 12, 25), "Eerste Kerstdag"), (D(y, 12, 26), "Tweede Kerstdag")]
    return [("", d, nm) for d, nm in n]


def pl(y):
    n = [(D(y, 1, 1), "Nowy Rok"), (D(y, 1, 6), "Święto Trzech Króli"), (e(y, 0), "Wielkanoc"),
         (e(y, 1), "Poniedziałek Wielkanocny"), (D(y, 5, 1), "Święto Pracy"),
         (D(y, 5, 3), "Święto Konstytucji 3 Maja"), (e(y, 49), "Zesłanie Ducha Świętego"),
         (e(y, 60), "Boże Ciało"), (D(y, 8, 15), "Wniebowzięcie Najświętszej Maryi Panny"),
         (D(y, 11, 1), "Wszystkich Świętych"), (D(y, 11, 11), "Narodowe Święto Niepodległości"),
         (D(y, 12, 24), "Wigilia Bożego Narodzenia"), (D(y, 12, 25), "Boże Narodzenie"),
         (D(y, 12, 26), "Drugi dzień Bożego Narodzenia")]
    return [("", d, nm) for d, nm in n]


def es(y):
    n = [(D(y, 1, 1), "Año Nuevo"), (D(y, 1, 6), "Epifanía del Señor"), (e(y, -2), "Viernes Santo"),
         (D(y, 5, 1), "Fiesta del Trabajo"), (D(y, 8, 15), "Asunción de la Virgen"),
         (D(y, 10, 12), "Fiesta Nacional de España"), (D(y, 11, 1), "Todos los Santos"),
         (D(y, 12, 6), "Día de la Constitución Española"), (D(y, 12, 8), "Inmaculada Concepción"),
         (D(y, 12, 25), "Natividad del Señor")]
    return [("", d, nm) for d, nm in n]


def it(y):
    n = [(D(y, 1, 1), "Capodanno"), (D(y, 1, 6), "Epifania"), (e(y, 0), "Pasqua"),
         (e(y, 1), "Lunedì dell'Angelo"), (D(y, 4, 25), "Festa della Liberazione"),
         (D(y, 5, 1), "Festa del Lavoro"), (D(y, 6, 2), "Festa della Repubblica"),
         (D(y, 8, 15), "Assunzione"), (D(y, 11, 1), "Ognissanti"),
         (D(y, 12, 8), "Immacolata Concezione"), (D(y, 12, 25), "Natale"),
         (D(y, 12, 26), "Santo Stefano")]
    if y >= 2026:
        n.append((D(y, 10, 4), "San Francesco d'Assisi"))
    return [("", d, nm) for d, nm in n]


def substitute(days):
    """UK rule: a bank holiday on a Saturday or Sunday moves to the next
    weekday not already a bank holiday (in the order given)."""
    out, taken = [], set()
    for d, nm in days:
        nd, sub = d, False
        while nd.weekday() >= 5 or nd in taken:
            nd += ONE
            sub = True
        taken.add(nd)
        out.append((nd, nm + (" (substitute day)" if sub else "")))
    return out


def gb(y):
    ew = substitute([(D(y, 1, 1), "New Year's Day")]) + [
        (e(y, -2), "Good Friday"), (e(y, 1), "Easter Monday"),
        (nth_weekday(y, 5, 0, 1), "Early May bank holiday"),
        (nth_weekday(y, 5, 0, -1), "Spring bank holiday"),
        (nth_weekday(y, 8, 0, -1), "Summer bank holiday")] + substitute(
        [(D(y, 12, 25), "Christmas Day"), (D(y, 12, 26), "Boxing Day")])
    rows = [("", d, nm) for d, nm in ew]
    sct = substitute([(D(y, 1, 1), "New Year's Day"), (D(y, 1, 2), "2nd January")])[1:] + [
        (nth_weekday(y, 8, 0, 1), "Summer bank holiday (Scotland)")] + substitute(
        [(D(y, 11, 30), "St Andrew's Day")])
    rows += [("SCT", d, nm) for d, nm in sct]
    nir = substitute([(D(y, 3, 17), "St Patrick's Day"),
                      (D(y, 7, 12), "Battle of the Boyne (Orangemen's Day)")])
    rows += [("NIR", d, nm) for d, nm in nir]
    return rows


def observed(d):
    """5 U.S.C. 6103(b) / E.O. 11582: Saturday -> the Friday before, Sunday -> the Monday after."""
    return d - ONE if d.weekday() == 5 else d + ONE if d.weekday() == 6 else d


def us(y):
    fed = [(observed(D(y, 1, 1)), "New Year's Day"),
           (nth_weekday(y, 1, 0, 3), "Birthday of Martin Luther King, Jr."),
           (nth_weekday(y, 2, 0, 3), "Washington's Birthday"),
           (nth_weekday(y, 5, 0, -1), "Memorial Day"),
           (observed(D(y, 6, 19)), "Juneteenth National Independence Day"),
           (observed(D(y, 7, 4)), "Independence Day"), (nth_weekday(y, 9, 0, 1), "Labor Day"),
           (nth_weekday(y, 10, 0, 2), "Columbus Day"), (observed(D(y, 11, 11)), "Veterans Day"),
           (nth_weekday(y, 11, 3, 4), "Thanksgiving Day"), (observed(D(y, 12, 25)), "Christmas Day")]
    nxt = observed(D(y + 1, 1, 1))
    if nxt.year == y:
        fed.append((nxt, "New Year's Day (%d, observed)" % (y + 1)))
    rows = [("", d, nm) for d, nm in fed]
    carrier = ("New Year's Day", "Memorial Day", "Independence Day", "Labor Day",
               "Thanksgiving Day", "Christmas Day")
    rows += [("CARRIER", d, nm) for d, nm in fed if nm in carrier]
    return rows


COUNTRIES = {"DE": de, "FR": fr, "NL": nl, "PL": pl, "ES": es, "IT": it, "GB": gb, "US": us}

if __name__ == "__main__":
    years = [int(a) for a in sys.argv[1:]] or [2026, 2027]
    for cc, fn in COUNTRIES.items():
        rows = []
        for y in years:
            rows += [(cc, r, d.isoformat(), nm) for r, d, nm in fn(y)]
        rows.sort(key=lambda t: (t[1], t[2]))
        with open(cc + ".csv", "w", encoding="utf-8") as f:
            f.write("country,region,date,name\n")
            for c, r, d, nm in rows:
                f.write('%s,%s,%s,"%s"\n' % (c, r, d, nm) if "," in nm else "%s,%s,%s,%s\n" % (c, r, d, nm))
