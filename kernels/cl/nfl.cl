/* nfl.cl: the NFL kernels. */

/* Elo parameter sweep (EloSweepJob): work item c runs parameter set c over every game, the C twin
   of EloEngine.Score, operation for operation. flags per game: bit 0 neutral site, bit 1 scored,
   bits 2-3 the home team's season start, bits 4-5 the away team's (0 none, 1 revert, 2 new team).
   params: 5 per set (k, home edge, reversion, margin scale, margin slope).
   out: 3 per set (sum of squared errors, sum of log losses, games scored). */
#define ELO_MAX_TEAMS 64
#define ELO_MEAN 1505.0
#define ELO_NEW_TEAM 1300.0
#define ELO_EPSILON 1e-15

INLINE double elo_start(double rating, int start, double reversion)
{
    if (start == 1) return (1.0 - reversion) * rating + reversion * ELO_MEAN;
    if (start == 2) return ELO_NEW_TEAM;
    return rating;
}

KERNEL void elo_sweep(GLOBAL const int* home, GLOBAL const int* away, GLOBAL const int* flags,
                      GLOBAL const double* outcome, GLOBAL const double* margin, int games,
                      GLOBAL const double* seeds, int teams, GLOBAL const double* params, int sets,
                      GLOBAL double* out)
{
    for (u64 c = GLOBAL_ID; c < (u64)sets; c += GLOBAL_SIZE)
    {
        double k = params[5 * c], edge = params[5 * c + 1], reversion = params[5 * c + 2];
        double scale = params[5 * c + 3], slope = params[5 * c + 4];
        double rating[ELO_MAX_TEAMS];
        for (int t = 0; t < teams; t++) rating[t] = seeds[t];
        double brier = 0.0, logloss = 0.0, n = 0.0;
        for (int g = 0; g < games; g++)
        {
            int h = home[g], a = away[g], f = flags[g];
            double rh = elo_start(rating[h], (f >> 2) & 3, reversion);
            double ra = elo_start(rating[a], (f >> 4) & 3, reversion);
            double d = rh - ra + ((f & 1) ? 0.0 : edge);
            double p = 1.0 / (pow(10.0, -d / 400.0) + 1.0);
            double r = outcome[g];
            if (!isnan(r))
            {
                if (f & 2)
                {
                    brier = brier + (p - r) * (p - r);
                    double q = fmin(fmax(p, ELO_EPSILON), 1.0 - ELO_EPSILON);
                    logloss = logloss - (r * log(q) + (1.0 - r) * log(1.0 - q));
                    n = n + 1.0;
                }
                double divisor = r == 0.5 ? 1.0 : ((r == 1.0 ? d : -d) * slope + scale);
                double m = log(fmax(margin[g], 1.0) + 1.0) * scale / divisor;
                double shift = k * m * (r - p);
                rh = rh + shift;
                ra = ra - shift;
            }
            rating[h] = rh;
            rating[a] = ra;
        }
        out[3 * c] = brier;
        out[3 * c + 1] = logloss;
        out[3 * c + 2] = n;
    }
}
