using NflCompute.Core.Errors;
using NflCompute.Kernels.Devices;
using Npgsql;

namespace NflCompute.Worker;

/// <summary>
/// The exit codes of a worker process, the same as nflc's: 0 stopped cleanly, 1 failed, 3 bad
/// configuration (a setting, an unknown class, a device that is not here), 4 a server unreachable
/// for longer than <see cref="WorkerOptions.StartupPatience"/>; and the one-line reason beside each.
/// </summary>
public static class WorkerExit
{
    /// <summary>Stopped cleanly.</summary>
    public const int Ok = 0;

    /// <summary>Failed for another reason (e.g. Postgres refused the login).</summary>
    public const int Failed = 1;

    /// <summary>A setting cannot work.</summary>
    public const int BadConfiguration = 3;

    /// <summary>Redis or Postgres stayed unreachable.</summary>
    public const int Unavailable = 4;

    /// <summary>The exit code and the one-line reason for an error that stopped the worker.</summary>
    public static (int Code, string Reason) For(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var (code, reason) = error switch
        {
            OptionsValidationException or DeviceException { Fault: DeviceFault.NotPresent } => (BadConfiguration, error.Message),
            PostgresException p when !Resilience.IsTransient(p) => (Failed, $"Postgres refused: {p.MessageText} ({p.SqlState})"),
            _ when Resilience.IsTransient(error) => (Unavailable, $"a server stayed unreachable: {error.Message}"),
            NflComputeException => (Failed, error.Message),
            _ => (Failed, $"{error.GetType().Name}: {error.Message}"),
        };
        return (code, reason.ReplaceLineEndings(" "));
    }
}
