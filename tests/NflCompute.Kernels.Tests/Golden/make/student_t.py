# 50-digit references for Student t upper tails P(T > t), from mpmath's regularized incomplete beta.
import json, random, sys
import mpmath as mp
mp.mp.dps = 50
def upper(t, df):
    t = mp.mpf(t); v = mp.mpf(df)
    if t == 0: return mp.mpf(1)/2
    x = v / (v + t*t)
    half = mp.betainc(v/2, mp.mpf(1)/2, 0, x, regularized=True) / 2
    return half if t > 0 else 1 - half
dfs = [1, 2, 3, 4, 5, 6, 7, 9, 10, 15, 20, 29, 30, 50, 99, 100, 200, 500, 999, 1000, 5000, 10000, 100000, 500000, 999999, 1000000, 2.5, 7.3, 150.75]
ts = [0, 1e-8, 0.001, 0.01, 0.1, 0.3, 0.5, 0.8, 1, 1.3, 1.7, 1.96, 2, 2.5, 3, 4, 5, 7, 10, 15, 20, 25, 30, 35, 37.5, 40, -0.5, -2, -10]
rows = [(df, t) for df in dfs for t in ts]
random.seed(20261201)
for _ in range(300):
    df = int(round(10 ** random.uniform(0, 6)))
    t = random.uniform(-40, 40)
    rows.append((df, t))
out = []
for df, t in rows:
    p = upper(t, df)
    out.append({"df": df, "t": t, "upper": mp.nstr(p, 25, min_fixed=1, max_fixed=0)})
json.dump({"source": "mpmath " + mp.__version__ + ", mp.dps = 50: P(T > t) = betainc(df/2, 1/2, 0, df/(df+t^2), regularized) / 2 (t > 0), 1 minus that for t < 0", "cases": out}, open(sys.argv[1] if len(sys.argv) > 1 else "student_t.json", "w"), indent=0)
print(len(out))
