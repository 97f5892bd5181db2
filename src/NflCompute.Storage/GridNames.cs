namespace NflCompute.Storage;

/// <summary>The grid a store's rows belong to: the queue's namespace, part of every task row's key.</summary>
internal static class GridNames
{
    public static string Required(string grid)
    {
        ArgumentException.ThrowIfNullOrEmpty(grid);
        return grid;
    }
}
