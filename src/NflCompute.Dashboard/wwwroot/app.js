// The dashboard page: polls the JSON API every 2 seconds and renders it. No framework, no CDN.
"use strict";

const $ = (id) => document.getElementById(id);
const fmt = (n) => (n === null || n === undefined ? "" : Number(n).toLocaleString("en-US"));
const secs = (s) => (s === null || s === undefined ? "none waiting" : s < 90 ? `${s.toFixed(1)} s` : `${(s / 60).toFixed(1)} min`);
const text = (v) => (v === null || v === undefined ? "" : String(v));

function fill(tableId, rows, cells) {
  const body = $(tableId).querySelector("tbody");
  body.replaceChildren(...rows.map((row) => {
    const tr = document.createElement("tr");
    for (const cell of cells(row)) {
      const td = document.createElement("td");
      if (cell instanceof Node) td.append(cell);
      else if (typeof cell === "object" && cell !== null) { td.textContent = cell.text; if (cell.cls) td.className = cell.cls; }
      else td.textContent = text(cell);
      tr.append(td);
    }
    return tr;
  }));
}

// A link to one of the dashboard's chart pages.
function link(href, label) {
  const a = document.createElement("a");
  a.href = href;
  a.textContent = label;
  return a;
}

async function get(path) {
  const response = await fetch(path, { cache: "no-store" });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function drawHistory(samples) {
  const canvas = $("history");
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  if (samples.length < 2) return;
  const max = Math.max(1, ...samples.map((s) => Math.max(s.pending, s.running, s.deadLetters)));
  const x = (i) => (i / (samples.length - 1)) * (canvas.width - 40) + 35;
  const y = (v) => canvas.height - 15 - (v / max) * (canvas.height - 30);
  g.fillStyle = "#667"; g.font = "11px sans-serif";
  g.fillText(fmt(max), 2, 15); g.fillText("0", 2, canvas.height - 15);
  for (const [key, color] of [["pending", "#1f77b4"], ["running", "#2ca02c"], ["deadLetters", "#d62728"]]) {
    g.strokeStyle = color; g.lineWidth = 2; g.beginPath();
    samples.forEach((s, i) => (i === 0 ? g.moveTo(x(i), y(s[key])) : g.lineTo(x(i), y(s[key]))));
    g.stroke();
  }
}

async function requeue(id, button) {
  button.disabled = true;
  const token = $("token").value;
  sessionStorage.setItem("nflc-token", token);
  const response = await fetch(`/api/dlq/${encodeURIComponent(id)}/requeue`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });
  const body = await response.json();
  $("dlq-message").textContent = response.ok ? `requeued ${body.requeued}` : body.error;
  $("dlq-message").className = response.ok ? "" : "bad";
  await refresh();
}

// A running task's expected end: its claim plus the median of its kind on its worker's device
// (the kind's slowest median where that device has no history), as nflc status computes it.
function expectedEnd(r, workers, latency) {
  const device = (workers.find((w) => w.id === r.worker) || { profile: {} }).profile.device;
  const rows = latency.filter((l) => l.kind === r.kind);
  const own = rows.find((l) => l.device === device);
  const median = own ? own.p50Seconds : rows.length ? Math.max(...rows.map((l) => l.p50Seconds)) : null;
  return median === null ? "" : new Date(new Date(r.claimedAt).getTime() + 1000 * median).toLocaleTimeString();
}

// Who has tasks queued in a class, most first, e.g. "ana@lab 10,000 · bob@desk 1": fair share's turns.
function submittersText(bySubmitter) {
  const entries = Object.entries(bySubmitter || {}).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? "" : entries.map(([who, n]) => `${who || "(none given)"} ${fmt(n)}`).join(" · ");
}

// A class's limits in words, e.g. "at most 2 running (1 now), 600 per 00:01:00".
function limitsText(l) {
  if (!l) return "";
  const parts = [];
  if (l.maxRunning) parts.push(`at most ${l.maxRunning} running (${l.running ?? 0} now)`);
  if (l.rate) parts.push(`${l.rate.tasks} per ${l.rate.per}`);
  return parts.join(", ");
}

// One task from its history: its trace (linked when the dashboard has a trace viewer's address)
// and its attempts as a timeline, each bar from the attempt's start to its end.
async function showTask(id) {
  const response = await fetch(`/api/tasks/${encodeURIComponent(id)}`);
  const body = await response.json();
  $("task-detail").hidden = false;
  $("task-id").textContent = id;
  if (!response.ok) {
    $("task-trace").textContent = body.error;
    fill("attempts", [], () => []);
    return;
  }
  const live = body.live;
  $("task-live").textContent = !live ? "Redis no longer holds it (retention)." : [
    `Now: ${live.state.toLowerCase()}`,
    `submitted by ${live.submitter || "(none given)"}`,
    live.parents.length ? `after ${live.parents.join(", ")}` : "",
    ...live.failedParents.map((f) => `parent ${f.id} ${f.state.toLowerCase()}: ${f.reason}`),
  ].filter((part) => part).join(" · ");
  const links = body.task.status !== "completed" ? [] : [link(`/results/${encodeURIComponent(id)}`, "charts and tables of its result")];
  if (body.task.status === "completed" && body.task.kind === "elo-ratings") links.push(" · ", link(`/elo/${encodeURIComponent(id)}`, "rating histories"));
  $("task-results").replaceChildren(...links);
  const trace = body.task.traceId;
  if (trace && body.traceUrl) {
    const a = document.createElement("a");
    a.href = body.traceUrl; a.textContent = trace; a.target = "_blank"; a.rel = "noopener noreferrer";
    $("task-trace").replaceChildren(a);
  } else {
    $("task-trace").textContent = trace || "not traced";
  }
  const starts = body.attempts.map((a) => new Date(a.startedAt).getTime());
  const ends = body.attempts.map((a, i) => (a.finishedAt ? new Date(a.finishedAt).getTime() : starts[i]));
  const t0 = Math.min(...starts);
  const span = Math.max(1, Math.max(...ends) - t0);
  fill("attempts", body.attempts, (a) => {
    const i = body.attempts.indexOf(a);
    const track = document.createElement("div");
    track.className = "track";
    const bar = document.createElement("div");
    bar.className = `bar ${a.status}`;
    bar.style.left = `${(100 * (starts[i] - t0)) / span}%`;
    bar.style.width = `${Math.max(1, (100 * (ends[i] - starts[i])) / span)}%`;
    bar.title = `${a.status}, ${((ends[i] - starts[i]) / 1000).toFixed(3)} s`;
    track.append(bar);
    return [a.attempt, a.workerId, a.device, a.status, new Date(a.startedAt).toLocaleTimeString(), ((ends[i] - starts[i]) / 1000).toFixed(3), track, { text: a.error, cls: "reason" }];
  });
}

async function refresh() {
  try {
    const [overview, history, dlq, tasks, latency, models, running, schedules] = await Promise.all([
      get("/api/overview"), get("/api/history"), get("/api/dlq"), get("/api/tasks"), get("/api/latency"), get("/api/models"), get("/api/running"), get("/api/schedules"),
    ]);
    const c = overview.counts;
    const pending = Object.values(c.pendingByClass).reduce((a, b) => a + b, 0);
    $("pending-total").textContent = fmt(pending);
    $("running").textContent = fmt(c.running);
    $("waiting").textContent = fmt(c.waiting);
    $("delayed").textContent = fmt(c.delayed);
    $("dlq-size").textContent = fmt(c.deadLetters);
    $("workers-count").textContent = fmt(overview.workers.length);
    $("completed").textContent = fmt(c.completedTotal);
    $("updated").textContent = `updated ${new Date(overview.at).toLocaleTimeString()}`;
    $("mode").textContent = overview.readOnly ? "read-only (no admin token configured)" : "requeue allowed with the admin token";
    $("token-row").hidden = overview.readOnly;
    fill("classes", Object.keys(c.pendingByClass).sort(), (cls) => [
      cls, fmt(c.pendingByClass[cls]), secs(overview.oldestAgeSeconds[cls]),
      overview.workers.filter((w) => (w.profile.classes || "").split(",").includes(cls)).length,
      c.paused[cls] ? { text: `paused since ${new Date(c.paused[cls]).toLocaleTimeString()}`, cls: "bad" } : "running",
      limitsText(c.limits[cls]),
      submittersText(overview.pendingBySubmitter[cls]),
    ]);
    fill("workers", overview.workers, (w) => [w.id, w.profile.device, w.profile.classes, w.profile.concurrency, `${w.heartbeatAgeSeconds.toFixed(1)} s ago`]);
    fill("dlq", dlq.items, (d) => {
      const button = document.createElement("button");
      button.textContent = "requeue";
      button.dataset.id = d.id;
      button.disabled = overview.readOnly;
      button.addEventListener("click", () => requeue(d.id, button));
      return [d.id, d.kind, d.attempts, new Date(d.failedAt).toLocaleString(), { text: d.error, cls: "reason" }, button];
    });
    fill("running-tasks", running.items, (r) => [r.id, r.kind, r.class, r.worker, r.attempt, secs((Date.now() - new Date(r.claimedAt)) / 1000),
      r.progress ? `${Math.round(100 * r.progress.fraction)}% ${text(r.progress.message)}` : "", expectedEnd(r, overview.workers, latency)]);
    fill("tasks", tasks, (t) => {
      const button = document.createElement("button");
      button.className = "link";
      button.textContent = t.taskId;
      button.dataset.task = t.taskId;
      button.addEventListener("click", () => showTask(t.taskId));
      return [button, t.kind, t.status, t.workerId, t.seconds, t.correlationId];
    });
    fill("schedules", schedules, (s) => [s.definition.name,
      s.definition.cron ? `${s.definition.cron} (${s.definition.timeZone})` : `every ${s.definition.every}`,
      `${s.definition.kind} on ${s.definition.class}`,
      s.paused ? { text: "paused", cls: "bad" } : new Date(s.nextTick).toLocaleString(),
      s.lastTick ? new Date(s.lastTick).toLocaleString() : "", s.definition.missed]);
    fill("latency", latency, (l) => [l.kind, l.device, fmt(l.runs), l.p50Seconds.toFixed(3), l.p90Seconds.toFixed(3), l.p99Seconds.toFixed(3), fmt(l.completedLast5Min)]);
    fill("models", models.metrics, (m) => [m.model, m.version, m.metric, m.season ?? "pooled", m.value.toFixed(5), fmt(m.n)]);
    fill("regressions", models.regressions, (r) => [link(`/models/${encodeURIComponent(r.model)}`, r.model), r.version, r.comparedTo, r.metric, r.difference.toFixed(5), r.adjustedP.toPrecision(3), { text: r.evidence, cls: "evidence" }]);
    drawHistory(history);
    document.body.dataset.loaded = "true";
  } catch (error) {
    $("updated").textContent = `error: ${error.message}`;
  }
}

$("token").value = sessionStorage.getItem("nflc-token") || "";
refresh();
setInterval(refresh, 2000);
