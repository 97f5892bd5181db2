using ILGPU;

namespace NflCompute.Kernels.DeviceKernels;

/// <summary>What <see cref="SeasonSimKernel"/> reads of a season simulation (<see cref="Nfl.SeasonSimJob"/>, laid out by the host).</summary>
public struct SeasonSimArgs
{
    /// <summary>Teams in the league.</summary>
    public int Teams;

    /// <summary>Games left.</summary>
    public int Games;

    /// <summary>The task's seed.</summary>
    public ulong Seed;

    /// <summary>1 when ratings move inside each simulated season (an int: kernel arguments are blittable).</summary>
    public int Hot;

    /// <summary>Hot ratings: the update speed of a simulated result.</summary>
    public double K;

    /// <summary>Hot ratings: each team's rating now.</summary>
    public ArrayView<double> Ratings;

    /// <summary>Per game left: the home team.</summary>
    public ArrayView<int> Home;

    /// <summary>Per game left: the away team.</summary>
    public ArrayView<int> Away;

    /// <summary>Per game left, fixed ratings: the home win threshold on a 32-bit draw (up to 2^32).</summary>
    public ArrayView<long> Thresholds;

    /// <summary>Per game left, hot ratings: the home edge (0 at a neutral site).</summary>
    public ArrayView<double> HomeEdge;
}
