using NflCompute.Core.Errors;
using NflCompute.Kernels.Devices;
using NflCompute.Worker;

// nflc-worker: one worker process (see WorkerHost for how it is configured). `nflc worker` runs the
// same host. Exit codes as nflc's: 0 stopped cleanly, 1 failed, 3 bad configuration (a setting, or
// a device that is not here).
try
{
    await WorkerHost.RunAsync(args).ConfigureAwait(false);
    return 0;
}
catch (NflComputeException e)
{
    await Console.Error.WriteLineAsync($"nflc-worker: {e.Message}").ConfigureAwait(false);
    return e is OptionsValidationException or DeviceException { Fault: DeviceFault.NotPresent } ? 3 : 1;
}
