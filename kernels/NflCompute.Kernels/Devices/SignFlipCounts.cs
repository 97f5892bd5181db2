namespace NflCompute.Kernels.Devices;

/// <summary>How many resampled statistics were at least as extreme as the observed one, per direction.</summary>
/// <param name="GreaterOrEqual">T* &gt;= T - tolerance.</param>
/// <param name="LessOrEqual">T* &lt;= T + tolerance.</param>
/// <param name="AbsGreaterOrEqual">|T*| &gt;= |T| - tolerance.</param>
public readonly record struct SignFlipCounts(long GreaterOrEqual, long LessOrEqual, long AbsGreaterOrEqual)
{
    /// <summary>
    /// Adds up per-worker slots laid out [worker][model][greater, less, abs] (what the kernels write)
    /// into one result per model.
    /// </summary>
    internal static SignFlipCounts[] FromSlots(long[] slots, int models)
    {
        var result = new SignFlipCounts[models];
        for (var m = 0; m < models; m++)
        {
            long ge = 0, le = 0, abs = 0;
            for (var slot = m * 3; slot < slots.Length; slot += models * 3)
            {
                ge += slots[slot];
                le += slots[slot + 1];
                abs += slots[slot + 2];
            }

            result[m] = new SignFlipCounts(ge, le, abs);
        }

        return result;
    }
}
