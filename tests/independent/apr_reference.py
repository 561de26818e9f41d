#!/usr/bin/env python3
"""Independent reference values for tests/apr.rs and tests/disclosure.rs.

Computed with Python's standard-library `decimal` at 50 significant digits and plain
bisection (300 halvings) on the rate itself, so nothing is shared with the engine's
solver: no Newton, no change of variable, no fixed-point fast path. The EU APRC uses
fractional powers through Decimal.ln/exp (the engine uses integer powers of a 1/4380-year
unit instead). Run `python3 tests/independent/apr_reference.py` to regenerate
`apr_reference.json`; the Rust tests read that file and compare strings exactly.
"""
import calendar
import datetime as dt
import json
import os
from decimal import Decimal as D, ROUND_HALF_UP, getcontext

getcontext().prec = 50
ONE = D(1)


def q(x, dp):
    # A value that rounds to zero prints without a sign ("0.00", never "-0.00").
    r = x.quantize(D(1).scaleb(-dp), rounding=ROUND_HALF_UP)
    return str(abs(r) if r == 0 else r)


def bisect(f, lo, hi):
    flo = f(lo)
    for _ in range(300):
        mid = (lo + hi) / 2
        fm = f(mid)
        if (fm < 0) == (flo < 0):
            lo, flo = mid, fm
        else:
            hi = mid
    return (lo + hi) / 2


def date(text):
    return dt.date.fromisoformat(text)


def add_months(d, months, anchor):
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    day = min(anchor, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def months_back(earlier, later):
    m = (later.year - earlier.year) * 12 + later.month - earlier.month
    while add_months(later, -m, later.day) < earlier:
        m -= 1
    return m, (add_months(later, -m, later.day) - earlier).days


def cn_regular(advance, payments, m=12, lo="-0.9"):
    a = D(advance)
    p = [D(x) for x in payments]
    r = bisect(lambda r: sum(x / (ONE + r) ** (k + 1) for k, x in enumerate(p)) - a,
               D(lo), D(5))
    return {"rate": q(r * m, 6), "effectiveRate": q((ONE + r) ** m - 1, 6), "percent": q(r * m * 100, 2)}


def flows(advances, payments):
    start = min(date(x["date"]) for x in advances)
    out = [(date(x["date"]), D(x["amount"])) for x in advances]
    out += [(date(x["date"]), -D(x["amount"])) for x in payments]
    return start, out


def cn_dated(advances, payments, year_days=365, lo="0"):
    start, fl = flows(advances, payments)
    npv = lambda r: -sum(a / (ONE + r) ** (d - start).days for d, a in fl)
    r = bisect(npv, D(lo), D("0.05"))
    return {"rate": q(r * year_days, 6), "effectiveRate": q((ONE + r) ** year_days - 1, 6),
            "percent": q(r * year_days * 100, 2)}


def eu(advances, payments, basis, lo="0"):
    start, fl = flows(advances, payments)

    def years(d):
        if basis == "actual":
            return D((d - start).days) / 365
        m, days = months_back(start, d)
        return D(m) / 12 + D(days) / 365

    npv = lambda x: -sum(a * (-(years(d)) * (ONE + x).ln()).exp() for d, a in fl)
    x = bisect(npv, D(lo), D(20))
    return {"rate": q(x, 6), "percent": q(x * 100, 1)}


def regz(advances, payments, unit, k=1, lo="0"):
    start, fl = flows(advances, payments)
    if len(advances) == 1 and len(payments) == 1:
        a, p = D(advances[0]["amount"]), D(payments[0]["amount"])
        d0, d1 = date(advances[0]["date"]), date(payments[0]["date"])
        m, days = months_back(d0, d1)
        i = p / a - 1
        per_year = D(12) / m if days == 0 and 1 <= m <= 12 else D(365) / (d1 - d0).days
        return {"rate": q(i * per_year, 6), "percent": q(i * per_year * 100, 2)}

    def tf(d):
        if unit == "month" and k == 12:
            # Appendix J (b)(5)(v): whole years (12 months) counted back from the later date;
            # the rest is whole months / 12 when it is whole months, otherwise days / 365.
            m, days = months_back(start, d)
            years = m // 12
            boundary = add_months(d, -12 * years, d.day)
            rest_m, rest_days = months_back(start, boundary)
            if rest_days == 0:
                return years, D(rest_m) / 12
            return years, D((boundary - start).days) / 365
        if unit in ("month", "semimonth"):
            m, days = months_back(start, d)
            count, per = 30 * m + days, (30 * k if unit == "month" else 15)
        else:
            count, per = (d - start).days, (7 * k if unit == "week" else 1)
        return count // per, D(count % per) / per

    placed = [(tf(d), a) for d, a in fl]
    npv = lambda i: -sum(a / ((ONE + f * i) * (ONE + i) ** t) for (t, f), a in placed)
    i = bisect(npv, D(lo), D(1))
    per_year = {"month": D(12) / k, "semimonth": D(24), "week": D(52) / k, "day": D(365)}[unit]
    return {"rate": q(i * per_year, 6), "percent": q(i * per_year * 100, 2)}


def equal_installment(principal, annual, n):
    """30/360 equal installment (domain-math §4.1), half-up to the fen, last absorbs."""
    p, i = D(principal), D(annual) / 12
    m = (p * i / (1 - (ONE + i) ** -n)).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    balance, out = p, []
    for k in range(n):
        interest = (balance * i).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        principal_k = balance if k == n - 1 else m - interest
        balance -= principal_k
        out.append(str(principal_k + interest))
    return out


def monthly(start, n, amount, day):
    d0 = date(start)
    return [{"date": add_months(d0, k + 1, day).isoformat(), "amount": amount} for k in range(n)]


def main():
    cases = []

    def add(name, op, request, expected):
        cases.append({"name": name, "op": op, "request": request, "expected": expected})

    level = equal_installment("100000.00", "0.048", 1000)
    req = {"method": "cn-irr", "advance": "99000.00", "payments": level}
    add("cn-irr 1000 periods, 1% deducted", "apr", req, cn_regular("99000.00", level))
    pays = ["0.00"] * 11 + ["10800.00"]
    add("cn-irr single payment after 12 periods", "apr",
        {"method": "cn-irr", "advance": "10000.00", "payments": pays}, cn_regular("10000.00", pays))
    pays = ["500.00"] * 11 + ["5000.00"]
    add("cn-irr balloon", "apr", {"method": "cn-irr", "advance": "10000.00", "payments": pays},
        cn_regular("10000.00", pays))
    pays = ["400.00"] * 26
    add("cn-irr weekly, 52 per year", "apr",
        {"method": "cn-irr", "periodsPerYear": 52, "advance": "10000.00", "payments": pays},
        cn_regular("10000.00", pays, 52))

    adv = [{"date": "2025-01-15", "amount": "10000.00"}]
    pays = [{"date": "2025-03-10", "amount": "880.00"}] + monthly("2025-03-10", 11, "880.00", 10)
    add("cn-irr dated, odd first period", "apr",
        {"method": "cn-irr", "advances": adv, "payments": pays}, cn_dated(adv, pays))
    add("cn-irr dated, 360-day year", "apr",
        {"method": "cn-irr", "advances": adv, "payments": pays, "yearDays": 360},
        cn_dated(adv, pays, 360))
    adv2 = [{"date": "2025-01-01", "amount": "5000.00"}, {"date": "2025-02-01", "amount": "5000.00"}]
    pays2 = monthly("2025-02-01", 12, "900.00", 1)
    add("cn-irr dated, two advances", "apr",
        {"method": "cn-irr", "advances": adv2, "payments": pays2}, cn_dated(adv2, pays2))

    add("eu-aprc actual, two drawdowns", "apr",
        {"method": "eu-aprc", "advances": adv2, "payments": pays2}, eu(adv2, pays2, "actual"))
    adv3 = [{"date": "2024-01-31", "amount": "3000.00"}]
    pays3 = monthly("2024-01-31", 6, "520.00", 31)
    add("eu-aprc equal months from a month end", "apr",
        {"method": "eu-aprc", "timeBasis": "equal-months", "advances": adv3, "payments": pays3},
        eu(adv3, pays3, "equal-months"))
    add("eu-aprc actual from a month end", "apr",
        {"method": "eu-aprc", "timeBasis": "actual", "advances": adv3, "payments": pays3},
        eu(adv3, pays3, "actual"))

    adv4 = [{"date": "2025-01-01", "amount": "1000.00"}]
    pays4 = [{"date": (date("2025-01-01") + dt.timedelta(days=10 * (k + 1))).isoformat(),
              "amount": "205.00"} for k in range(5)]
    add("us-regz daily unit", "apr",
        {"method": "us-regz", "unitPeriod": "day", "advances": adv4, "payments": pays4},
        regz(adv4, pays4, "day"))
    pays5 = [{"date": (date("2025-01-01") + dt.timedelta(days=14 * (k + 1) + 3)).isoformat(),
              "amount": "90.00"} for k in range(12)]
    add("us-regz biweekly, odd first period", "apr",
        {"method": "us-regz", "unitPeriod": "week", "unitMultiple": 2, "advances": adv4,
         "payments": pays5}, regz(adv4, pays5, "week", 2))
    adv6 = [{"date": "2025-01-31", "amount": "2000.00"}]
    pays6 = monthly("2025-02-15", 10, "210.00", 15)
    add("us-regz monthly from a month end, odd first period", "apr",
        {"method": "us-regz", "unitPeriod": "month", "advances": adv6, "payments": pays6},
        regz(adv6, pays6, "month"))
    pays7 = [{"date": "2025-07-01", "amount": "1050.00"}]
    add("us-regz single payment after 6 months", "apr",
        {"method": "us-regz", "unitPeriod": "month", "advances": adv4, "payments": pays7},
        regz(adv4, pays7, "month"))
    pays8 = [{"date": "2025-04-15", "amount": "1030.00"}]
    add("us-regz single payment after 104 days", "apr",
        {"method": "us-regz", "unitPeriod": "month", "advances": adv4, "payments": pays8},
        regz(adv4, pays8, "month"))

    # Issue 12, fault 1: negative rates from 80 regular periods up, and flows repaying only a
    # few percent of the advance, for every method.
    pays = ["825.00"] * 120
    add("cn-irr 120 payments of 825.00 on 100000.00 (negative)", "apr",
        {"method": "cn-irr", "advance": "100000.00", "payments": pays},
        cn_regular("100000.00", pays))
    pays = ["833.33"] * 120
    add("cn-irr 0% loan rounded down, 120 x 833.33", "apr",
        {"method": "cn-irr", "advance": "100000.00", "payments": pays},
        cn_regular("100000.00", pays))
    pays = ["25.00"] * 120
    add("cn-irr repays 3% over 120 periods", "apr",
        {"method": "cn-irr", "advance": "100000.00", "payments": pays},
        cn_regular("100000.00", pays, lo="-0.9999"))
    pays = ["3000.00"]
    add("cn-irr one payment of 3% (-97% a period)", "apr",
        {"method": "cn-irr", "advance": "100000.00", "payments": pays},
        cn_regular("100000.00", pays, lo="-0.9999"))
    adv9 = [{"date": "2025-01-01", "amount": "100000.00"}]
    pays9 = monthly("2025-01-01", 120, "825.00", 1)
    add("cn-irr dated, 120 monthly payments of 825.00 (negative)", "apr",
        {"method": "cn-irr", "advances": adv9, "payments": pays9},
        cn_dated(adv9, pays9, lo="-0.01"))
    pays10 = monthly("2025-01-01", 12, "250.00", 1)
    add("cn-irr dated, repays 3%", "apr",
        {"method": "cn-irr", "advances": adv9, "payments": pays10},
        cn_dated(adv9, pays10, lo="-0.5"))
    add("eu-aprc actual, repays 3%", "apr",
        {"method": "eu-aprc", "advances": adv9, "payments": pays10},
        eu(adv9, pays10, "actual", lo="-0.99999999"))
    add("eu-aprc actual, 120 monthly payments of 825.00 (negative)", "apr",
        {"method": "eu-aprc", "advances": adv9, "payments": pays9},
        eu(adv9, pays9, "actual", lo="-0.5"))
    add("us-regz monthly, repays 3%", "apr",
        {"method": "us-regz", "unitPeriod": "month", "advances": adv9, "payments": pays10},
        regz(adv9, pays10, "month", lo="-0.99"))
    add("us-regz monthly, 120 payments of 825.00 (negative)", "apr",
        {"method": "us-regz", "unitPeriod": "month", "advances": adv9, "payments": pays9},
        regz(adv9, pays9, "month", lo="-0.5"))

    # Issue 12, fault 2: Appendix J (b)(5), one case per rule.
    adv11 = [{"date": "2023-10-26", "amount": "1000.00"}]
    pays11 = [{"date": f"{y}-11-30", "amount": "500.00"} for y in range(2023, 2028)]
    add("us-regz yearly unit, odd part in days (b)(5)(v)(B)", "apr",
        {"method": "us-regz", "unitPeriod": "month", "unitMultiple": 12, "advances": adv11,
         "payments": pays11}, regz(adv11, pays11, "month", 12))
    adv12 = [{"date": "2023-01-15", "amount": "1000.00"}]
    pays12 = [{"date": f"{y}-07-15", "amount": "400.00"} for y in range(2023, 2026)]
    add("us-regz yearly unit, odd part in whole months (b)(5)(v)(A)", "apr",
        {"method": "us-regz", "unitPeriod": "month", "unitMultiple": 12, "advances": adv12,
         "payments": pays12}, regz(adv12, pays12, "month", 12))
    pays13 = [{"date": add_months(date("2025-02-20"), 3 * k, 20).isoformat(), "amount": "180.00"}
              for k in range(8)]
    add("us-regz quarterly unit, odd first period (b)(5)(iii)", "apr",
        {"method": "us-regz", "unitPeriod": "month", "unitMultiple": 3, "advances": adv4,
         "payments": pays13}, regz(adv4, pays13, "month", 3))
    pays14 = [{"date": add_months(date("2025-01-05"), k // 2 + 1, 5 + 15 * (k % 2)).isoformat(),
               "amount": "45.00"} for k in range(24)]
    add("us-regz semimonthly unit, odd first period (b)(5)(iii)", "apr",
        {"method": "us-regz", "unitPeriod": "semimonth", "advances": adv4, "payments": pays14},
        regz(adv4, pays14, "semimonth"))
    pays15 = [{"date": (date("2025-01-01") + dt.timedelta(days=7 * (k + 1) + 2)).isoformat(),
               "amount": "90.00"} for k in range(12)]
    add("us-regz weekly unit, odd first period (b)(5)(iv)", "apr",
        {"method": "us-regz", "unitPeriod": "week", "advances": adv4, "payments": pays15},
        regz(adv4, pays15, "week"))

    # Issue 12, item 7: an APR in the billions keeps its integer digits (exact: 9999999 x 365).
    adv16 = [{"date": "2025-01-01", "amount": "1.00"}]
    pays16 = [{"date": "2025-01-02", "amount": "10000000.00"}]
    add("us-regz one day at 999999900% a day", "apr",
        {"method": "us-regz", "unitPeriod": "day", "advances": adv16, "payments": pays16},
        regz(adv16, pays16, "day"))

    daily = equal_installment("10000.00", str(D("0.00065") * 360), 12)
    add("disclose 0.065%/day, 10000 equal installment 12m", "disclose",
        {"schedule": {"principal": "10000.00", "termMonths": 12, "method": "equal-installment"},
         "dailyRate": "0.00065"},
        {"cn": cn_regular("10000.00", daily), "payments": daily})

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "apr_reference.json")
    with open(path, "w") as out:
        json.dump(cases, out, indent=1, ensure_ascii=False)
        out.write("\n")


if __name__ == "__main__":
    main()
