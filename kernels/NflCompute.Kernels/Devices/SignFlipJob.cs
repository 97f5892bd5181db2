namespace NflCompute.Kernels.Devices;

/// <summary>
/// Monte Carlo sign-flip resampling of m models' paired differences in one launch, in its canonical
/// form, which every backend follows exactly so all of them count identically:
/// <list type="bullet">
/// <item>The n differences are padded with zeros to 30 per block and read in triples. Triple t of
/// block k holds elements 30k + 3t, +1, +2; resample r keeps them by bits (29 - 3t), (28 - 3t),
/// (27 - 3t) of <see cref="Random.CounterRng.Word"/>(r, k), i.e. by the 3-bit index
/// v = (word &gt;&gt; (27 - 3t)) &amp; 7.</item>
/// <item><see cref="Tables"/> holds, per triple and model, the 8 float32 sums of the kept elements,
/// each rounded as ((a + b) + c) with a kept element's value or +0 (built once on the host by
/// <see cref="Statistics.PermutationTest"/>).</item>
/// <item>A resample's kept sum S+ adds its table entries in triple order in float32, and is compared
/// with float32 thresholds.</item>
/// </list>
/// </summary>
/// <param name="Tables">Entries, <c>Tables[(triple * Models + m) * 8 + v]</c>.</param>
/// <param name="Models">Models compared (m).</param>
/// <param name="Triples">Triples per model (10 per block of 30 elements).</param>
/// <param name="Resamples">Resamples (B).</param>
/// <param name="Seed">The task's seed.</param>
/// <param name="Stream">The stream within the task (e.g. one per comparison).</param>
/// <param name="Thresholds">Per model, on S+: [greater-or-equal, less-or-equal, |T| high, |T| low].</param>
public sealed record SignFlipJob(float[] Tables, int Models, int Triples, long Resamples, ulong Seed, ulong Stream, float[] Thresholds)
{
    /// <summary>Elements per block: ten triples, from 30 of each word's 32 bits.</summary>
    public const int BlockLength = 30;

    /// <summary>
    /// Builds the job's tables from element-major values (<c>values[i * models + m]</c>), padding
    /// to whole blocks with zeros.
    /// </summary>
    public static float[] BuildTables(ReadOnlySpan<float> values, int models, int length)
    {
        var triples = (length + BlockLength - 1) / BlockLength * (BlockLength / 3);
        var tables = new float[triples * models * 8];
        for (var t = 0; t < triples; t++)
        {
            for (var m = 0; m < models; m++)
            {
                var first = 3 * t;
                float a = first < length ? values[(first * models) + m] : 0f;
                float b = first + 1 < length ? values[((first + 1) * models) + m] : 0f;
                float c = first + 2 < length ? values[((first + 2) * models) + m] : 0f;
                var entry = tables.AsSpan(((t * models) + m) * 8, 8);
                for (var v = 0; v < 8; v++)
                {
                    entry[v] = (((v & 4) != 0 ? a : 0f) + ((v & 2) != 0 ? b : 0f)) + ((v & 1) != 0 ? c : 0f);
                }
            }
        }

        return tables;
    }
}
