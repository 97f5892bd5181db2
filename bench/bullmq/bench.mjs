// BullMQ on the same Redis as NflCompute's load generator, measured the same way: jobs added with
// addBulk, then processed by one worker at concurrency 100 with a no-op processor; Redis CPU and
// memory from INFO deltas. Prints one JSON line. Usage: node bench.mjs HOST PORT JOBS [PAYLOAD_BYTES]
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';

const [host = '127.0.0.1', port = '16379', jobsArg = '50000', payloadArg = '0'] = process.argv.slice(2);
const jobs = Number(jobsArg);
const payload = payloadArg === '0' ? {} : { x: 'x'.repeat(Number(payloadArg) - 8) };
const options = { host, port: Number(port), maxRetriesPerRequest: null };
const admin = new IORedis(options);

async function info() {
  const text = (await admin.info('memory')) + (await admin.info('cpu'));
  const value = (name) => Number(text.match(new RegExp(`^${name}:(.*)$`, 'm'))[1]);
  return { memory: value('used_memory'), cpu: value('used_cpu_user') + value('used_cpu_sys') };
}

const name = `bench-${process.pid}-${Date.now()}`;
const queue = new Queue(name, { connection: new IORedis(options) });
await queue.waitUntilReady();

const before = await info();
let started = process.hrtime.bigint();
for (let i = 0; i < jobs; i += 1000) {
  const n = Math.min(1000, jobs - i);
  await queue.addBulk(Array.from({ length: n }, () => ({ name: 'noop', data: payload })));
}
const addSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const added = await info();

let completed = 0;
let finish;
const done = new Promise((resolve) => { finish = resolve; });
const worker = new Worker(name, async () => {}, { connection: new IORedis(options), concurrency: 100, autorun: false });
worker.on('completed', () => { if (++completed === jobs) finish(); });
started = process.hrtime.bigint();
worker.run();
await done;
const processSeconds = Number(process.hrtime.bigint() - started) / 1e9;
const processed = await info();

console.log(JSON.stringify({
  jobs,
  addPerSecond: jobs / addSeconds,
  processPerSecond: jobs / processSeconds,
  bytesPerWaitingJob: (added.memory - before.memory) / jobs,
  redisCpuUsPerJobAdd: ((added.cpu - before.cpu) * 1e6) / jobs,
  redisCpuUsPerJobProcess: ((processed.cpu - added.cpu) * 1e6) / jobs,
}));

await worker.close();
await queue.obliterate({ force: true });
await queue.close();
await admin.quit();
process.exit(0);
