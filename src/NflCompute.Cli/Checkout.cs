namespace NflCompute.Cli;

/// <summary>Finds the NflCompute checkout nflc runs in (for deploy/local and .local/), from the current folder or the binary's.</summary>
internal static class Checkout
{
    public static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "deploy", "local", "up.sh")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }
}
