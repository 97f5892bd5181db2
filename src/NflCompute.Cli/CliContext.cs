using System.CommandLine;
using System.Text.Json;
using Npgsql;
using NflCompute.Core;
using NflCompute.Core.Errors;
using NflCompute.Storage;
using Spectre.Console;

namespace NflCompute.Cli;

/// <summary>
/// What every command gets: its settings, the console, and whether to print JSON. <see cref="Run"/>
/// turns failures into a readable message and an exit code scripts can rely on.
/// </summary>
internal sealed class CliContext(CliSettings settings, IAnsiConsole console, bool json, string? file = null, IReadOnlyList<string>? overrides = null)
{
    private readonly string? _file = file;
    private readonly IReadOnlyList<string> _overrides = overrides ?? [];

    public static readonly Option<string?> ConfigOption = new("--config")
    {
        Description = "A JSON settings file (default ./nflc.json when present).",
        Recursive = true,
    };

    public static readonly Option<string[]> SetOption = new("--set")
    {
        Description = "Override a setting: --set Postgres:Port=15432 (repeatable; beats the file and NFLC_* variables).",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static readonly Option<bool> JsonOption = new("--json")
    {
        Description = "Print JSON for scripts instead of tables.",
        Recursive = true,
    };

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public CliSettings Settings => settings;

    public IAnsiConsole Console => console;

    public bool JsonOutput => json;

    /// <summary>The same command's settings read again (after deploy/local/up.sh wrote .local/nflc.json).</summary>
    public CliContext Reload() => new(CliSettings.Load(_file, _overrides), console, json);

    public NpgsqlDataSource OpenPostgres() => PostgresDataSource.Create(settings.Postgres);

    public Task<NflCompute.Client.GridClient> ConnectAsync() => NflCompute.Client.GridClient.ConnectAsync(settings.Client);

    /// <summary>Prints <paramref name="value"/> as JSON when --json was given, else calls <paramref name="human"/>.</summary>
    public void Print<T>(T value, Action human)
    {
        if (json)
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, Json));
        }
        else
        {
            human();
        }
    }

    /// <summary>Wires <paramref name="body"/> as the action of <paramref name="command"/>.</summary>
    public static void Run(Command command, Func<CliContext, ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = AnsiConsole.Console;
            try
            {
                var (file, overrides) = (parse.GetValue(ConfigOption), parse.GetValue(SetOption) ?? []);
                return await body(new CliContext(CliSettings.Load(file, overrides), console, parse.GetValue(JsonOption), file, overrides), parse, cancellationToken).ConfigureAwait(false);
            }
            catch (OptionsValidationException e)
            {
                return Fail(e.Message, ExitCodes.BadConfiguration);
            }
            catch (Exception e) when (e is NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException or GridUnavailableException)
            {
                return Fail($"Cannot reach the server: {e.Message} (is it running? `nflc dev status`)", ExitCodes.Unavailable);
            }
            catch (PostgresException e)
            {
                return Fail($"Postgres refused: {e.MessageText} ({e.SqlState})", ExitCodes.Failed);
            }
            catch (TaskNotFoundException e)
            {
                return Fail(e.Message, ExitCodes.NotFound);
            }
            catch (GridTimeoutException e)
            {
                return Fail(e.Message, ExitCodes.TimedOut);
            }
            catch (NflComputeException e)
            {
                return Fail(e.Message, ExitCodes.Failed);
            }
            catch (ArgumentException e)
            {
                // Input the user gave that the grid refuses (a malformed task id, a dataset too big).
                return Fail(e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message, ExitCodes.Usage);
            }
        });

    /// <summary>
    /// Errors go to stderr, so --json output on stdout stays parseable, one error a line: never
    /// wrapped at the terminal's width, so scripts and logs can grep the whole reason.
    /// </summary>
    public static readonly IAnsiConsole Errors = CreateErrors();

    public static int Fail(string message, int code)
    {
        Errors.MarkupLineInterpolated($"[red]error:[/] {message.ReplaceLineEndings(" ")}");
        return code;
    }

    private static IAnsiConsole CreateErrors()
    {
        var errors = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
        errors.Profile.Width = 100_000;
        return errors;
    }
}
