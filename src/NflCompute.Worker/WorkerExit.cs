using NflCompute.Core;
using NflCompute.Core.Errors;
using NflCompute.Kernels.Devices;
using NflCompute.Storage.Migrations;
using Npgsql;

namespace NflCompute.Worker;

/// <summary>
/// Why a worker stopped, as an <see cref="ExitCodes"/> code and one line: 3 bad configuration (a
/// setting, an unknown class, a device that is not here, a schema not migrated, a grid not configured), 4 a server unreachable for longer than
/// <see cref="WorkerOptions.StartupPatience"/>, 1 anything else. nflc-worker and <c>nflc worker</c> both use it.
/// </summary>
public static class WorkerExit
{
    /// <summary>The exit code and the one-line reason for an error that stopped the worker.</summary>
    public static (int Code, string Reason) For(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var (code, reason) = error switch
        {
            OptionsValidationException or DeviceException { Fault: DeviceFault.NotPresent } or SchemaNotCurrentException or GridNotConfiguredException => (ExitCodes.BadConfiguration, error.Message),
            PostgresException p when !Resilience.IsTransient(p) => (ExitCodes.Failed, $"Postgres refused: {p.MessageText} ({p.SqlState})"),
            _ when Resilience.IsTransient(error) => (ExitCodes.Unavailable, $"a server stayed unreachable: {error.Message}"),
            NflComputeException => (ExitCodes.Failed, error.Message),
            _ => (ExitCodes.Failed, $"{error.GetType().Name}: {error.Message}"),
        };
        return (code, reason.ReplaceLineEndings(" "));
    }
}
