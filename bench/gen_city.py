#!/usr/bin/env python3
"""gen_city.py — a synthetic city-year of CSV files for ketnap (FORMATS.md).

Writes units.csv, people.csv, quotas.csv, holidays.csv and steps.csv into
OUTDIR: by default about 600 units, 5,000 people and 30,000 steps, the
size of a city's admission work over a few years. Every step obeys the
rules of spec/RULES.md with a wide margin (ages 19-45 at the cell meeting,
education 9/12 or more, certificates and introductions a few months old,
introducers full members for years who have known the candidate for two,
unanimous cells of four, committees voting 7-9 of 9, ceremonies ten days
after the decision, probation votes a week after the year is up), and every
date falls before 2026-11-01, so the whole set imports cleanly.

Deterministic: the same --seed gives the same bytes. Python 3 stdlib only.

usage: gen_city.py OUTDIR [--seed N] [--scale F]
  --scale multiplies the number of units (and so people and steps).
"""
import argparse
import datetime as dt
import os
import random
import unicodedata

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Vũ", "Võ", "Đặng",
          "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai", "Tô",
          "Cao", "Quách", "Thạch", "Sơn", "Danh", "Kim", "Châu", "Lương", "Tạ"]
MIDDLE_M = ["Văn", "Minh", "Quốc", "Thanh", "Hoàng", "Gia", "Tấn", "Hữu", "Đức", "Công"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Bích", "Diễm", "Hồng", "Thùy"]
GIVEN_M = ["Hùng", "Tuấn", "Dũng", "Phúc", "Khang", "Huy", "Lộc", "Quang", "Sơn", "Bảo",
           "Đức", "Vinh", "Nghĩa", "Hiếu", "Trung", "Tâm", "Thành", "Long", "Nam", "An"]
GIVEN_F = ["Hà", "Lan", "Thảo", "Anh", "My", "Tiên", "Linh", "Trang", "Yến", "Ngọc",
           "Nhung", "Dung", "Thoa", "Tuyết", "Hằng", "Vy", "Ánh", "Bình", "Châu", "Mai"]
ETHNIC = ["", "", "", "", "", "", "", "", "", "", "", "", "Khmer", "Hoa"]
RELIGION = ["", "", "", "", "", "", "", "Phật giáo", "Công giáo", "Hòa Hảo", "Cao Đài"]
OCCUPATIONS = ["worker", "farmer", "civil_servant", "public_employee", "student", "other"]
QUALS = ["none", "vocational", "college", "university", "postgraduate"]
LAST_DAY = dt.date(2026, 10, 31)


def nfc(s):
    return unicodedata.normalize("NFC", s)


def cell(v):
    if v is None:
        return ""
    v = str(v)
    if any(c in v for c in ',;"\r\n') or (v and (v[0] in " \t" or v[-1] in " \t")):
        v = '"' + v.replace('"', '""') + '"'
    return nfc(v)


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(cell(x) for x in r) + "\n")


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    last = [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][m - 1]
    return dt.date(y, m, min(d.day, last))


def iso(d):
    return d.isoformat() if d else ""


def main():
    ap = argparse.ArgumentParser(description="Generate a synthetic city-year of CSVs.")
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scale", type=float, default=1.0)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    os.makedirs(a.outdir, exist_ok=True)

    # ---- units: province, districts, grassroots units, cells ----
    units = []          # code, parent, name, kind, may_admit, sector, special_area
    considering = []    # (code, competent, basic)
    units.append(["HP", "", "Đảng bộ thành phố", "province", 1, "", 0])
    ndistricts = max(1, round(10 * a.scale))
    for d in range(1, ndistricts + 1):
        dcode = "HP.Q%02d" % d
        units.append([dcode, "HP", "Đảng bộ quận %d" % d, "upper", 1, "", 0])
        for g in range(1, 13):
            gcode = "%s.G%02d" % (dcode, g)
            sector = rnd.choice(["ward", "ward", "commune", "agency", "school",
                                 "state_enterprise", "nonstate_enterprise"])
            special = 1 if sector == "commune" and rnd.random() < 0.3 else 0
            may = 1 if rnd.random() < 0.1 else 0
            competent = gcode if may else dcode
            if rnd.random() < 0.2:      # chi bộ cơ sở: no cells
                units.append([gcode, dcode, "Chi bộ cơ sở %d quận %d" % (g, d),
                              "grassroots", may, sector, special])
                considering.append((gcode, competent, True))
                continue
            units.append([gcode, dcode, "Đảng bộ cơ sở %d quận %d" % (g, d), "grassroots",
                          may, sector, special])
            for c in range(1, rnd.choice([4, 5, 5, 6]) + 1):
                ccode = "%s.C%d" % (gcode, c)
                csector = "hamlet" if sector in ("ward", "commune") else sector
                units.append([ccode, gcode, "Chi bộ %d" % c, "cell", 0, csector, 0])
                considering.append((ccode, competent, False))

    # ---- people: four full members per considering unit, then candidates ----
    people = []
    members = {}        # unit -> [refs]
    serial = [0]

    # A citizen ID (CCCD) that agrees with the person (KN-CCCD, RULES.md
    # §10): province 092, century and sex, the birth year's last two
    # digits, then a serial.
    def new_ref(sex, birth):
        serial[0] += 1
        cs = (2 if birth.year >= 2000 else 0) + (1 if sex == "F" else 0)
        return "092%d%02d%06d" % (cs, birth.year % 100, serial[0])

    def name(sex):
        if sex == "M":
            return "%s %s %s" % (rnd.choice(FAMILY), rnd.choice(MIDDLE_M), rnd.choice(GIVEN_M))
        return "%s %s %s" % (rnd.choice(FAMILY), rnd.choice(MIDDLE_F), rnd.choice(GIVEN_F))

    for code, _, _ in considering:
        members[code] = []
        for _ in range(4):
            sex = rnd.choice("MF")
            birth = dt.date(rnd.randint(1960, 1985), rnd.randint(1, 12), rnd.randint(1, 28))
            msince = dt.date(rnd.randint(1990, 2013), rnd.randint(1, 12), rnd.randint(1, 28))
            osince = add_months(msince, 12)
            ref = new_ref(sex, birth)
            people.append([ref, name(sex), sex, iso(birth), code, rnd.choice(ETHNIC),
                           rnd.choice(RELIGION), "12/12", rnd.choice(QUALS[2:]),
                           rnd.choice(["civil_servant", "public_employee", "worker"]),
                           0, 1, iso(msince), iso(osince), "", ""])
            members[code].append(ref)

    target_people = round(5000 * a.scale)
    steps = []
    ncand = max(0, target_people - len(people))
    for i in range(ncand):
        code, competent, basic = considering[i % len(considering)]
        mem = members[code]
        sex = rnd.choice("MF")
        youth = 1 if rnd.random() < 0.7 else 0
        trade = 1 if rnd.random() < 0.4 else 0
        source = dt.date(2019, 1, 1) + dt.timedelta(days=rnd.randint(0, 5 * 365 + 150))
        trained = source + dt.timedelta(days=rnd.randint(30, 120))
        applied = trained + dt.timedelta(days=rnd.randint(10, 40))
        verified = applied + dt.timedelta(days=rnd.randint(30, 60))
        introduced = verified + dt.timedelta(days=rnd.randint(10, 30))
        cell_vote = introduced + dt.timedelta(days=rnd.randint(10, 40))
        committee = cell_vote + dt.timedelta(days=rnd.randint(7, 21))
        decision = (committee if not basic else cell_vote) + dt.timedelta(days=rnd.randint(14, 40))
        ceremony = decision + dt.timedelta(days=10)
        probation = add_months(ceremony, 12) + dt.timedelta(days=7)
        official = probation + dt.timedelta(days=rnd.randint(7, 21))
        age = rnd.randint(19, 45)
        birth = dt.date(cell_vote.year - age, rnd.randint(1, 12), rnd.randint(1, 28))
        ref = new_ref(sex, birth)
        occ = "student" if age < 23 else rnd.choice(OCCUPATIONS)
        people.append([ref, name(sex), sex, iso(birth), code, rnd.choice(ETHNIC),
                       rnd.choice(RELIGION), rnd.choice(["12/12", "12/12", "12/12", "9/12"]),
                       rnd.choice(QUALS), occ, youth, trade, "", "", "", ""])

        # How far the candidacy got: most are complete.
        r = rnd.random()
        last = 12 if r < 0.72 else rnd.randint(1, 11)
        org = "youth_union" if youth else ("trade_union" if trade else "cell")
        rows = []

        def st(step, date, doc="", org_="", member="", i1="", i1s=None, i2="", i2s=None,
               vf="", vt="", note=""):
            rows.append([ref, step, iso(date), doc, org_, member, i1, iso(i1s), i2, iso(i2s),
                         vf, vt, "", "", note])

        st("source", source, org_=org)
        if last >= 2:
            st("mentor", source + dt.timedelta(days=7), member=mem[0])
        if last >= 3:
            st("trained", trained, doc="CN-NTVĐ %d/%d" % (i + 1, trained.year))
        if last >= 4:
            st("applied", applied)
        if last >= 5:
            st("verified", verified)
        if last >= 6:
            since = add_months(introduced, -24)
            if youth and rnd.random() < 0.3:
                st("introduced", introduced, org_="youth_union", i1=mem[1], i1s=since)
            else:
                st("introduced", introduced, i1=mem[1], i1s=since, i2=mem[2], i2s=since)
        if last >= 7:
            st("cell_vote", cell_vote, vf=4, vt=4)
        if last >= 8 and not basic:
            st("committee_vote", committee, vf=rnd.randint(7, 9), vt=9)
        if last >= 9:
            st("decision", decision, doc="%d-QĐ/ĐU" % (i + 1), org_=competent)
        if last >= 10:
            st("ceremony", ceremony)
        if last >= 11:
            st("probation_vote", probation, vf=4, vt=4)
        if last >= 12:
            st("official", official, doc="%d-QĐ/ĐU" % (i + 100001), org_=competent)
        if last < 12 and rnd.random() < 0.15:
            end = max(x for x in (source, trained, applied, verified, introduced)
                      ) + dt.timedelta(days=5)
            if last <= 5:
                st("withdrawn", end, note="Chuyển công tác")
        steps.extend(r_ for r_ in rows)

    for s in steps:
        assert s[2] <= LAST_DAY.isoformat(), s

    # ---- quotas and holidays ----
    quotas = []
    for u in units:
        if u[3] in ("province", "upper"):
            for y in (2024, 2025):
                base = 2500 if u[3] == "province" else 250
                quotas.append([u[0], y, "total", base + rnd.randint(0, 50)])
                quotas.append([u[0], y, "female", base // 2 + rnd.randint(0, 20)])
                quotas.append([u[0], y, "youth", base * 3 // 5 + rnd.randint(0, 20)])
    holidays = [["2025-01-27", 0, "Nghỉ Tết (hoán đổi)"], ["2025-02-15", 1, "Làm bù"],
                ["2025-09-01", 0, "Nghỉ lễ Quốc khánh"]]

    # Files: units parents first; people shuffled; steps in date order, as a
    # register would list them (the importer sorts them by person).
    rnd.shuffle(people)
    steps.sort(key=lambda s: (s[2], s[0]))
    write(os.path.join(a.outdir, "units.csv"),
          ["code", "parent", "name", "kind", "may_admit", "sector", "special_area"], units)
    write(os.path.join(a.outdir, "people.csv"),
          ["ref", "full_name", "sex", "birth_date", "unit", "ethnicity", "religion",
           "education", "qualification", "occupation", "youth_union", "trade_union",
           "member_since", "official_since", "phone", "note"], people)
    write(os.path.join(a.outdir, "quotas.csv"), ["unit", "year", "category", "target"], quotas)
    write(os.path.join(a.outdir, "holidays.csv"), ["date", "workday", "name"], holidays)
    write(os.path.join(a.outdir, "steps.csv"),
          ["person", "step", "date", "doc_no", "org", "member", "introducer1",
           "introducer1_since", "introducer2", "introducer2_since", "votes_for",
           "votes_total", "consent", "override", "note"], steps)
    print("%s: %d units, %d people, %d steps" % (a.outdir, len(units), len(people), len(steps)))


if __name__ == "__main__":
    main()
