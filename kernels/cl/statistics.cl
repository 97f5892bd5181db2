/* statistics.cl: the resampling kernels of the statistics engine. Work item k takes resamples
   (or sign patterns) k, k + G, k + 2G, ... (G = the global size, so every item has the same trip
   count and they vectorize together) and walks the elements in order: the canonical order that
   every backend follows, so all of them count identically. Counts go to per-item slots that the
   host adds up (no atomics). */

/* Monte Carlo sign flips (SignFlipJob): tables[(triple * models + m) * 8 + v] are the float sums
   of each triple's kept elements; resample r adds, triple by triple, the entry picked by 3 bits of
   word32(r, block): v = (word >> (27 - 3t)) & 7 for triple t of the block.
   out[item][model][3] = (greater-or-equal, less-or-equal, |T| extreme). */
KERNEL void sign_flip_counts(GLOBAL const float* tables, int models, int triples, u64 resamples,
                             u64 seed, u64 stream, GLOBAL const float* thresholds, GLOBAL i64* out)
{
    u64 item = GLOBAL_ID;
    for (int m = 0; m < models; m++)
    {
        i64 ge = 0, le = 0, ab = 0;
        float t_ge = thresholds[4 * m], t_le = thresholds[4 * m + 1];
        float t_hi = thresholds[4 * m + 2], t_lo = thresholds[4 * m + 3];
        for (u64 r = item; r < resamples; r += GLOBAL_SIZE)
        {
            u64 key = resample_key(seed, stream, r);
            u32 k1 = (u32)key, k2 = (u32)(key >> 32);
            float acc = 0.0f;
            for (int block = 0; block * 10 < triples; block++)
            {
                u32 w = word32(k1, k2, (u32)block);
                for (int t = 0; t < 10; t++)
                {
                    u32 v = (w >> (27 - 3 * t)) & 7u;
                    acc = acc + tables[((u64)(block * 10 + t) * models + m) * 8 + v];
                }
            }
            ge += acc >= t_ge;
            le += acc <= t_le;
            ab += (acc >= t_hi) | (acc <= t_lo);
        }
        u64 slot = (item * models + m) * 3;
        out[slot] = ge;
        out[slot + 1] = le;
        out[slot + 2] = ab;
    }
}

/* Exact enumeration: pattern p keeps element i when bit i of p is set; sums in double. */
KERNEL void sign_flip_exact(GLOBAL const double* values, int models, int n,
                            GLOBAL const double* thresholds, GLOBAL i64* out)
{
    u64 item = GLOBAL_ID;
    u64 patterns = (u64)1 << n;
    for (int m = 0; m < models; m++)
    {
        i64 ge = 0, le = 0, ab = 0;
        for (u64 p = item; p < patterns; p += GLOBAL_SIZE)
        {
            double sum = 0.0;
            for (int i = 0; i < n; i++)
            {
                if ((p >> i) & 1) sum = sum + values[(u64)i * models + m];
            }
            ge += sum >= thresholds[4 * m];
            le += sum <= thresholds[4 * m + 1];
            ab += (sum >= thresholds[4 * m + 2]) | (sum <= thresholds[4 * m + 3]);
        }
        u64 slot = (item * models + m) * 3;
        out[slot] = ge;
        out[slot + 1] = le;
        out[slot + 2] = ab;
    }
}

/* Bootstrap means: resample r draws element below(draw32(r, j), n) for j = 0..n-1, summed in
   double in draw order. */
KERNEL void bootstrap_means(GLOBAL const double* values, int n, u64 resamples, u64 seed,
                            u64 stream, GLOBAL double* means)
{
    for (u64 r = GLOBAL_ID; r < resamples; r += GLOBAL_SIZE)
    {
        u64 key = resample_key(seed, stream, r);
        u32 k1 = (u32)key, k2 = (u32)(key >> 32);
        double sum = 0.0;
        for (int j = 0; j < n; j++)
        {
            sum = sum + values[below(draw32(k1, k2, (u32)j), (u32)n)];
        }
        means[r] = sum / n;
    }
}
