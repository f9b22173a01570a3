#!/usr/bin/env python3
"""Writes demo-rates.csv: DEMO reference rates, not published figures.

A deterministic random walk (seed 10) of at most +-0.3 % a day from round
starting levels, one rate per pair per calendar day from START for DAYS days.
The figures only look plausible; they are nobody's official rates. Run:
    python3 data/fx/make_demo_rates.py > data/fx/demo-rates.csv
"""
import datetime
import random

START = datetime.date(2026, 10, 29)
DAYS = 31
PAIRS = [("EUR", "CNY", "7.80"), ("USD", "CNY", "7.10"), ("GBP", "CNY", "9.20"),
         ("EUR", "USD", "1.10"), ("USD", "JPY", "150.00"), ("EUR", "PLN", "4.30")]
SOURCE = "haicang demo data (generated, not published rates)"

rng = random.Random(10)
print("base,quote,day,rate,source")
for base, quote, start in PAIRS:
    level = int(start.replace(".", "")) * 10 ** (4 - len(start.split(".")[1]))  # 4 decimals
    for d in range(DAYS):
        day = START + datetime.timedelta(days=d)
        print("%s,%s,%s,%d.%04d,\"%s\"" % (base, quote, day.isoformat(), level // 10000,
                                      level % 10000, SOURCE))
        level += round(level * rng.uniform(-0.003, 0.003))
