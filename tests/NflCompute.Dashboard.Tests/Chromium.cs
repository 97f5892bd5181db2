using Microsoft.Playwright;

namespace NflCompute.Dashboard.Tests;

/// <summary>Debian's chromium through Playwright, on a closed network, with the page's console errors kept.</summary>
internal static class Chromium
{
    // Flags for a closed network: no background connections, no sandbox (root in CI).
    public static readonly string[] Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : throw new InvalidOperationException("Debian's chromium is needed (deploy/local/test.sh installs it)."),
        Headless = true,
        Args = Args,
    });

    /// <summary>A list that fills with the page's console errors and uncaught exceptions.</summary>
    public static List<string> Errors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }
}
