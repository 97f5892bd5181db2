// graphile-worker 0.18 end to end on our Postgres, configured as its Performance page advises
// (24 concurrent jobs, a pool of 25, a local queue of 500, batched completion): workers start,
// then N no-op jobs are added in batches of 500 (addJobs), and the clock stops when the last one
// has completed (graphile-worker deletes a completed job). A warm-up of W jobs runs first, the
// same way, unmeasured (as the grid's run warms its workers). Prints "RESULT <json>".
//   PGPASSWORD=... node bench.mjs <connection string without the password> <jobs> [workers in this process] [warm-up jobs]
import { run, makeWorkerUtils, Logger } from "graphile-worker";

const [connectionString, jobsText, workersText] = process.argv.slice(2);
const jobs = Number(jobsText);
const workers = Number(workersText ?? 2);
const warmup = Number(process.argv[5] ?? 0);
const preset = {
  worker: { connectionString, concurrentJobs: 24, maxPoolSize: 25, localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0, pollInterval: 1000 },
};
// Quiet: graphile-worker logs every job at info level, which would cost the run its own time.
const logger = new Logger(() => (level, message) => { if (level === "error") console.error(message); });
const utils = await makeWorkerUtils({ connectionString, logger });
await utils.migrate();
let done = 0;
let target = 0;
let resolvePhase = () => {};
const taskList = { noop: async () => { if (++done === target) resolvePhase(); } };
const runners = [];
for (let i = 0; i < workers; i++) {
  runners.push(await run({ preset, taskList, noHandleSignals: true, logger }));
}

// Adds n jobs in batches of 500 and waits until every one has run and its completion is durable
// (completions are batched: the jobs table is empty).
async function phase(n) {
  done = 0;
  target = n;
  const finished = new Promise((resolve) => { resolvePhase = resolve; });
  for (let i = 0; i < n; i += 500) {
    await utils.addJobs(Array.from({ length: Math.min(500, n - i) }, () => ({ identifier: "noop", payload: {} })));
  }
  await finished;
  await utils.withPgClient(async (pg) => {
    for (;;) {
      const { rows } = await pg.query("select count(*)::int as n from graphile_worker._private_jobs");
      if (rows[0].n === 0) return;
      await new Promise((r) => setTimeout(r, 5));
    }
  });
}

if (warmup > 0) await phase(warmup);
const start = process.hrtime.bigint();
await phase(jobs);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log("RESULT " + JSON.stringify({ jobs, seconds, perSecond: jobs / seconds }));
await Promise.all(runners.map((r) => r.stop()));
await utils.release();
