using NflCompute.Worker;

// nflc-worker: one worker process (see WorkerHost for how it is configured). `nflc worker` runs the same host.
await WorkerHost.RunAsync(args).ConfigureAwait(false);
