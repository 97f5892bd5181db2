using System.CommandLine;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Spectre.Console;
using NflCompute.Core;

namespace NflCompute.Cli.Commands;

/// <summary><c>nflc config</c>: the settings in effect, secrets masked.</summary>
internal static partial class ConfigCommand
{
    public static Command Create()
    {
        var command = new Command("config", """
            Print the settings in effect (file, then NFLC_* variables, then --set), secrets masked.

            Example: nflc config --set Queue:Namespace=staging
            """);
        CliContext.Run(command, (cli, _, _) =>
        {
            var settings = cli.Settings.Configuration.AsEnumerable()
                .Where(p => p.Value is not null && p.Key.Split(':')[0] is "Redis" or "Postgres" or "Queue" or "Worker" or "Client")
                .OrderBy(p => p.Key, StringComparer.Ordinal)
                .ToDictionary(p => p.Key, p => Mask(p.Key, p.Value!), StringComparer.Ordinal);
            settings.TryAdd("Redis:Configuration", cli.Settings.Redis.ToString());
            settings.TryAdd("Postgres", cli.Settings.Postgres.ToString());
            cli.Print(settings, () =>
            {
                var table = new Table().AddColumns("key", "value");
                foreach (var (key, value) in settings)
                {
                    table.AddRow(Markup.Escape(key), Markup.Escape(value));
                }

                cli.Console.Write(table);
            });
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    // A password key's value, and password= inside a connection string, become ***.
    internal static string Mask(string key, string value) =>
        key.EndsWith("Password", StringComparison.OrdinalIgnoreCase) ? "***" : PasswordInString().Replace(value, "password=***");

    [GeneratedRegex("password=[^,;]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordInString();
}
