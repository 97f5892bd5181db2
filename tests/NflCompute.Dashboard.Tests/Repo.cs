namespace NflCompute.Dashboard.Tests;

/// <summary>Paths in the checkout the tests run from.</summary>
internal static class Repo
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "NflCompute.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The tests run inside the NflCompute checkout.");
    }
}
