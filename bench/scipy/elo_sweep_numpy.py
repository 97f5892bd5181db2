"""Elo parameter sweep in numpy: the same rules as EloEngine, vectorised over parameter sets
(one numpy array op per game), the formulation a modeler would write. Prints sets per second.
Usage: /usr/bin/python3 bench/scipy/elo_sweep_numpy.py GAMES_CSV SEEDS_CSV [runs]"""
import csv, math, sys, time
import numpy as np

FRANCHISE = {"LA": "LAR", "STL": "LAR", "SD": "LAC", "LV": "OAK", "WAS": "WSH"}


def schedule(games_csv, seeds_csv):
    rows = sorted(csv.DictReader(open(games_csv)), key=lambda r: (r["gameday"], r["gametime"], r["game_id"]))
    seeds = {r["team538"]: (int(r["last_season"]), float(r["elo_post"])) for r in csv.DictReader(open(seeds_csv))}
    teams = sorted(set(seeds) | {FRANCHISE.get(r[c], r[c]) for r in rows for c in ("home_team", "away_team")})
    index = {t: i for i, t in enumerate(teams)}
    last = {t: seeds[t][0] if t in seeds else -10 for t in teams}
    games = []
    for r in rows:
        s = int(r["season"])
        h, a = (FRANCHISE.get(r[c], r[c]) for c in ("home_team", "away_team"))
        starts = []
        for t in (h, a):
            starts.append(0 if last[t] == s else 1 if last[t] == s - 1 else 2)
            last[t] = s
        played = r["home_score"] != ""
        diff = int(r["home_score"]) - int(r["away_score"]) if played else 0
        outcome = (1.0 if diff > 0 else 0.0 if diff < 0 else 0.5) if played else None
        games.append((index[h], index[a], r["location"] == "Neutral", starts, outcome, abs(diff), played and s >= 2000))
    base = np.array([seeds[t][1] if t in seeds else 1300.0 for t in teams])
    return base, games


def sweep(base, games, k, edge, rev, scale=2.2, slope=0.001):
    n = k.size
    r = np.repeat(base[:, None], n, axis=1)
    brier = np.zeros(n); logloss = np.zeros(n); count = 0
    for h, a, neutral, starts, outcome, margin, scored in games:
        for t, st in ((h, starts[0]), (a, starts[1])):
            if st == 1:
                r[t] = (1 - rev) * r[t] + rev * 1505.0
            elif st == 2:
                r[t] = 1300.0
        d = r[h] - r[a] + (0.0 if neutral else edge)
        p = 1.0 / (10.0 ** (-d / 400.0) + 1.0)
        if outcome is None:
            continue
        if scored:
            brier += (p - outcome) ** 2
            q = np.clip(p, 1e-15, 1 - 1e-15)
            logloss -= outcome * np.log(q) + (1 - outcome) * np.log(1 - q)
            count += 1
        divisor = 1.0 if outcome == 0.5 else (d if outcome == 1 else -d) * slope + scale
        shift = k * (math.log(max(margin, 1) + 1) * scale / divisor) * (outcome - p)
        r[h] += shift
        r[a] -= shift
    return brier / count, logloss / count


if __name__ == "__main__":
    base, games = schedule(sys.argv[1], sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    grid = np.array([(k, e, v) for k in np.linspace(10, 40, 16) for e in np.linspace(0, 120, 16) for v in np.linspace(0, 0.6, 16)])
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        sweep(base, games, grid[:, 0], grid[:, 1], grid[:, 2])
        times.append(time.perf_counter() - start)
    median = sorted(times)[len(times) // 2]
    print(f"numpy Elo sweep: {len(grid)} sets x {len(games)} games: {median * 1e3:.1f} ms, {len(grid) / median:,.0f} sets/s (median of {runs})")
