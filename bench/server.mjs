// node bench/server.mjs — the same hello-world handler (bench/server/serve.mjs) served by node:http
// and by wirehttp/node (dist/node.js), side by side in one run, under wrk on loopback. Each server
// is a child process of its own, started afresh for every run, one at a time; A/B order alternates
// between rounds (ABBA) so drift on a shared machine hits both alike. With taskset and two CPUs the
// server runs on CPU 0 and wrk on CPU 1.
//
// Before every timed run a 1 s wrk pass with bench/server/check.lua sends the scenario's exact
// requests and checks every response (status 200, exact body, framing, no Connection: close); any
// mismatch, non-2xx or socket error there stops the benchmark. It doubles as the warm-up. Non-2xx
// and socket errors of the timed runs are counted and shown. Reported: req/s and p99 latency
// (median of the rounds), the ratio wirehttp ÷ node:http (median of the per-round ratios), the
// share of its CPU each server got while timed (under 100%: a disturbed run), then RSS with many
// idle keep-alive connections.
//
//   node bench/server.mjs [--quick] [--duration s] [--connections n] [--rounds n] [--idle n]
//                         [--threads n] [--only name,name] [--json file] [--no-pin] [--node-only] [--floor]
//
// Scenarios (--only): keep-alive, pipeline, post-4k, chunked, idle. --node-only runs node:http in
// both columns (an A/A run that shows the harness's own noise; it needs no build). --floor puts
// bench/server/floor.mjs in the second column: wirehttp's parser on net.Socket answering the same
// bytes by hand, with no node:http semantics at all — the most any net.Socket server could reach.
// wrk is installed with apt-get when missing.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const USAGE = `usage: node bench/server.mjs [options]
  --quick            1 round, 2 s per run, 1,000 idle connections (a smoke run, under a minute)
  --duration s       seconds per timed run (default 5)
  --connections n    wrk connections (default 50)
  --rounds n         rounds per scenario and server; medians are reported (default 5)
  --idle n           idle keep-alive connections for the RSS scenario (default 10000)
  --threads n        wrk threads (default 1: wrk gets one CPU)
  --only a,b         scenarios: keep-alive, pipeline, post-4k, chunked, idle
  --json file        also write the results as JSON
  --no-pin           do not pin server and wrk to CPUs with taskset
  --node-only        node:http in both columns (A/A run; no build needed)
  --floor            the floor server (parser + hand-written answers on net.Socket) in the second column`;

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      idle: { type: 'string' },
      threads: { type: 'string' },
      only: { type: 'string' },
      json: { type: 'string' },
      'no-pin': { type: 'boolean' },
      'node-only': { type: 'boolean' },
      floor: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

function die(message) {
  console.error(`bench/server: ${message}`);
  process.exit(1);
}

// Expected failures (a child that died, wrk's exit code) print their message; anything else its stack.
const problem = (message) => Object.assign(new Error(message), { expected: true });
process.on('uncaughtException', (error) => die(error?.expected ? error.message : (error?.stack ?? String(error))));

function count(name, fallback, min = 1) {
  if (args[name] === undefined) return fallback;
  const n = Number(String(args[name]).replace(/s$/, ''));
  if (!Number.isInteger(n) || n < min) die(`--${name} wants a whole number ≥ ${min}, got "${args[name]}"`);
  return n;
}

const duration = count('duration', args.quick ? 2 : 5);
const connections = count('connections', 50);
const rounds = count('rounds', args.quick ? 1 : 5);
const idleConnections = count('idle', args.quick ? 1000 : 10_000);
const threads = count('threads', 1);
const CHECK_SECONDS = 1;
if (threads > connections) die('--threads cannot exceed --connections');

const HERE = new URL('server/', import.meta.url);
const SERVE = fileURLToPath(new URL('serve.mjs', HERE));
const CLIENT = fileURLToPath(new URL('idle-client.mjs', HERE));
const CHECK_LUA = fileURLToPath(new URL('check.lua', HERE));
const DIST = new URL('../dist/node.js', import.meta.url);

// What wrk sends for each scenario and what the handler in serve.mjs must answer.
const SCENARIOS = [
  { name: 'keep-alive', title: 'keep-alive GET', path: '/', script: null, body: 'Hello World', framing: 'length' },
  // No p99 here: wrk 4.1 corrects latencies for coordinated omission assuming one response per
  // round trip; with 10 per write it over-corrects, and its percentiles are meaningless (at times
  // all 0, wg/wrk#236).
  { name: 'pipeline', title: 'pipelined GET, depth 10', path: '/', script: 'pipeline.lua', body: 'Hello World', framing: 'length', noLatency: true },
  { name: 'post-4k', title: 'POST, 4 KiB body', path: '/', script: 'post.lua', body: 'Hello World, 4096 bytes', framing: 'length' },
  { name: 'chunked', title: 'chunked response (4 writes)', path: '/chunked', script: null, body: 'Hello World, sent as four res.write() chunks', framing: 'chunked' },
];
const only = args.only?.split(',').map((s) => s.trim());
for (const name of only ?? []) if (name !== 'idle' && !SCENARIOS.some((s) => s.name === name)) die(`unknown scenario "${name}" (keep-alive, pipeline, post-4k, chunked, idle)`);
const scenarios = SCENARIOS.filter((s) => !only || only.includes(s.name));
const runIdle = !only || only.includes('idle');

const A = { key: 'node', label: 'node:http', impl: 'node' };
if (args['node-only'] && args.floor) die('--node-only and --floor each choose the second column: pick one');
const B = args['node-only']
  ? { key: 'wirehttp', label: 'node:http (B)', impl: 'node' }
  : args.floor
    ? { key: 'wirehttp', label: 'floor', impl: 'floor' }
    : { key: 'wirehttp', label: 'wirehttp', impl: 'wirehttp' };
if (B.impl !== 'node' && !existsSync(DIST)) die('dist/node.js (wirehttp/node) not found — run npm run build first (or --node-only for an A/A run of node:http)');

// ---- tools: wrk (installed when missing), taskset, bash for ulimit ----------------------------

function which(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {}
  }
  return null;
}

function ensureWrk() {
  const found = which('wrk');
  if (found) return found;
  const apt = which('apt-get');
  if (!apt) die('wrk is not installed and there is no apt-get to install it with: install wrk (https://github.com/wg/wrk) and rerun');
  const sudo = process.getuid?.() !== 0 ? which('sudo') : null;
  const run = (...argv) => {
    const command = sudo ? [sudo, '-n', apt, ...argv] : [apt, ...argv];
    console.error(`bench/server: wrk not found; running ${command.join(' ')}`);
    // apt's output goes to stderr so stdout stays the report.
    const result = spawnSync(command[0], command.slice(1), { stdio: ['ignore', 2, 2], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    return result.status ?? result.error?.message ?? 'killed';
  };
  let status = run('install', '-y', 'wrk');
  if (status !== 0) {
    run('update'); // a fresh machine may have no package lists yet
    status = run('install', '-y', 'wrk');
  }
  const wrk = which('wrk');
  if (!wrk) die(`could not install wrk: apt-get install -y wrk ${status === 0 ? 'succeeded but wrk is still not on PATH' : `failed (${status})`}. Install wrk and rerun.`);
  return wrk;
}

const WRK = ensureWrk();
const wrkVersion = (() => {
  const r = spawnSync(WRK, ['-v'], { encoding: 'latin1' });
  return (`${r.stdout}${r.stderr}`.match(/wrk (\S+)/) ?? [])[1] ?? 'unknown';
})();
const taskset = !args['no-pin'] && cpus().length >= 2 ? which('taskset') : null;
const pinned = Boolean(taskset) && [0, 1].every((cpu) => spawnSync(taskset, ['-c', String(cpu), process.execPath, '-e', '0']).status === 0);
const pinning = pinned ? 'server on CPU 0, load generator on CPU 1 (taskset)' : `none (${args['no-pin'] ? '--no-pin' : cpus().length < 2 ? 'fewer than 2 CPUs' : taskset ? 'taskset failed' : 'no taskset'})`;
const bash = which('bash');
const NOFILE = 65535;

// ---- child processes ----------------------------------------------------------------------------

const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

// Node through bash (to raise the open-files limit: 65535 if allowed, else the hard limit; Node
// itself would raise the soft limit to the hard one) and through taskset when pinning. Both exec,
// so the child's pid is Node's.
function launch(script, argv, cpu, nodeFlags = []) {
  let command = process.execPath;
  let rest = [...nodeFlags, script, ...argv];
  if (bash) {
    rest = ['-c', `ulimit -n ${NOFILE} 2>/dev/null || ulimit -n hard 2>/dev/null; exec "$0" "$@"`, command, ...rest];
    command = bash;
  }
  if (pinned) {
    rest = ['-c', String(cpu), command, ...rest];
    command = taskset;
  }
  const child = spawn(command, rest, { stdio: ['ignore', 2, 2, 'ipc'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

const gone = (child) => child.exitCode !== null || child.signalCode !== null;

// The next IPC message of `type` from `child` (after sending `send`, if given).
function ask(child, type, send, what, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    if (gone(child)) return reject(problem(`${what} is not running (exit ${child.exitCode ?? child.signalCode})`));
    const timer = setTimeout(() => done(problem(`${what}: no '${type}' message within ${timeoutMs / 1000} s`)), timeoutMs);
    const onMessage = (message) => message?.type === type && done(null, message);
    const onExit = (code, signal) => done(problem(`${what} exited (${signal ?? `code ${code}`})`));
    function done(error, message) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
    if (send) child.send(send);
  });
}

async function stop(child) {
  if (gone(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.send({ type: 'stop' });
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function startServer(side, idle = false) {
  const child = launch(SERVE, [side.impl, '0', ...(idle ? ['--idle'] : [])], 0, ['--expose-gc']);
  const ready = await ask(child, 'ready', null, `${side.label} server`, 20_000);
  return { child, ...ready };
}

// ---- wrk ----------------------------------------------------------------------------------------

function runWrk(scenario, port, seconds, check) {
  const argv = ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--latency'];
  const env = { ...process.env };
  const script = scenario.script && fileURLToPath(new URL(scenario.script, HERE));
  if (check) {
    argv.push('-s', CHECK_LUA);
    Object.assign(env, { WRK_SCENARIO: script ?? '', WRK_EXPECT_BODY: scenario.body, WRK_EXPECT_FRAMING: scenario.framing });
  } else if (script) argv.push('-s', script);
  argv.push(`http://127.0.0.1:${port}${scenario.path}`);
  const [command, ...rest] = pinned ? [taskset, '-c', '1', WRK, ...argv] : [WRK, ...argv];
  return new Promise((resolve, reject) => {
    const child = spawn(command, rest, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 30) * 1000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      children.delete(child);
      if (code !== 0) reject(problem(`wrk exited with ${code}:\n${out}`));
      else resolve(out);
    });
  });
}

const UNIT_MS = { us: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 };

function parseWrk(out) {
  const latency = (pct) => {
    const m = out.match(new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s|m|h)\\s*$`, 'm'));
    return m ? Number(m[1]) * UNIT_MS[m[2]] : NaN;
  };
  const rps = out.match(/^Requests\/sec:\s+([\d.]+)/m);
  const total = out.match(/^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h)/m);
  if (!rps || !total) throw problem(`could not read wrk's output:\n${out}`);
  const socket = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/)?.slice(1).map(Number) ?? [0, 0, 0, 0];
  const [connect, read, write, timeout] = socket;
  const non2xx = Number(out.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1] ?? 0);
  const check = out.match(/^CHECK responses=(\d+) bad=(\d+) first=(.*)$/m);
  return {
    rps: Number(rps[1]),
    requests: Number(total[1]),
    seconds: (Number(total[2]) * UNIT_MS[total[3]]) / 1e3,
    p50: latency(50),
    p99: latency(99),
    non2xx,
    socketErrors: { connect, read, write, timeout },
    errors: non2xx + connect + read + write + timeout,
    ...(check && { check: { responses: Number(check[1]), bad: Number(check[2]), first: check[3] } }),
  };
}

// ---- throughput scenarios -----------------------------------------------------------------------

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const results = [];

const total = scenarios.length * rounds * 2;
let done = 0;
for (const scenario of scenarios) {
  const row = { scenario: scenario.name, title: scenario.title, node: [], wirehttp: [] };
  for (let round = 0; round < rounds; round++) {
    for (const side of round % 2 ? [B, A] : [A, B]) {
      const server = await startServer(side);
      const what = `${side.label}, ${scenario.name}`;
      try {
        const check = parseWrk(await runWrk(scenario, server.port, CHECK_SECONDS, true));
        if (!check.check) die(`${what}: the check script printed no result`);
        if (check.check.responses === 0 || check.check.bad || check.errors) {
          const e = check.socketErrors;
          die(`${what}: wrong answers before timing — ${check.check.bad} of ${check.check.responses} responses bad${check.check.first ? ` (first: ${check.check.first})` : ''}, ${check.non2xx} non-2xx, socket errors connect ${e.connect} read ${e.read} write ${e.write} timeout ${e.timeout}`);
        }
        const before = await ask(server.child, 'stats', { type: 'stats' }, `${side.label} server`);
        const run = parseWrk(await runWrk(scenario, server.port, duration, false));
        if (scenario.noLatency || !(run.p99 > 0)) run.p50 = run.p99 = null;
        const after = await ask(server.child, 'stats', { type: 'stats' }, `${side.label} server`);
        // The server's own CPU time over the timed run: its share of the wall time shows how much of
        // its CPU it got (other load on a shared machine takes the rest), and requests per CPU-second
        // is its throughput with that taken out.
        const cpuSeconds = (after.cpuMicros - before.cpuMicros) / 1e6;
        row[side.key].push({ round, ...run, serverCpuSeconds: cpuSeconds, serverCpuShare: cpuSeconds / run.seconds, perCpuSecond: run.requests / cpuSeconds, checked: check.check.responses, connectionsAccepted: after.accepted });
        done++;
        process.stderr.write(`[${done}/${total}] ${scenario.name} ${side.label}: ${Math.round(run.rps)} req/s, server CPU ${Math.round((100 * cpuSeconds) / run.seconds)}%, p99 ${run.p99 === null ? 'n/a' : `${run.p99.toFixed(2)} ms`}${run.errors ? `, ${run.errors} errors` : ''}\n`);
      } finally {
        await stop(server.child);
      }
    }
  }
  results.push(row);
}

// ---- idle keep-alive connections: RSS -----------------------------------------------------------

async function idleRun(side) {
  const server = await startServer(side, true);
  const client = { child: null };
  try {
    if (server.keepAliveTimeout !== 600_000) die(`${side.label}: keepAliveTimeout is ${server.keepAliveTimeout}, not 600000`);
    if (server.nofile !== null && server.nofile < idleConnections + 100) die(`${side.label} server may open only ${server.nofile} files, too few for ${idleConnections} connections (raise ulimit -n, or lower --idle)`);
    const baseline = await ask(server.child, 'stats', { type: 'stats', settle: true }, `${side.label} server`);
    client.child = launch(CLIENT, [String(server.port), String(idleConnections)], 1);
    const ready = await ask(client.child, 'ready', null, 'idle client', 300_000);
    if (ready.ok !== idleConnections) die(`${side.label}: only ${ready.ok} of ${idleConnections} idle connections got a good response (${ready.failed} failed; first problem: ${ready.firstError || 'none recorded'})`);
    const loaded = await ask(server.child, 'stats', { type: 'stats', settle: true }, `${side.label} server`);
    const status = await ask(client.child, 'status', { type: 'status' }, 'idle client');
    if (status.closed) die(`${side.label}: the server closed ${status.closed} of the idle connections before RSS was read`);
    if (loaded.open < idleConnections) die(`${side.label}: the server counts ${loaded.open} open connections, expected ${idleConnections}`);
    process.stderr.write(`idle ${side.label}: ${idleConnections} connections in ${ready.ms} ms, RSS ${(loaded.rss / 1e6).toFixed(1)} MB\n`);
    return { connections: idleConnections, open: loaded.open, connectMs: ready.ms, nofile: { server: server.nofile, client: ready.nofile }, baseline, loaded };
  } finally {
    if (client.child) await stop(client.child);
    await stop(server.child);
  }
}

let idle = null;
if (runIdle) {
  if (!bash) process.stderr.write('bench/server: no bash, so the open-files limit is whatever Node raises it to\n');
  idle = { node: await idleRun(A), wirehttp: await idleRun(B) };
}

// ---- report -------------------------------------------------------------------------------------

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const rate = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => (n === null ? 'n/a' : `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`);
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`; // MB = 10⁶ bytes, as in the 200 MB target
const pct = (share) => `${Math.round(100 * share)}%`;
const sum = (runs) => runs.reduce((n, r) => n + r.errors, 0);

for (const row of results) {
  for (const key of ['node', 'wirehttp']) {
    const p99s = row[key].map((r) => r.p99).filter((p) => p !== null);
    row[`${key}Median`] = { rps: median(row[key].map((r) => r.rps)), p99: p99s.length ? median(p99s) : null, serverCpuShare: median(row[key].map((r) => r.serverCpuShare)), perCpuSecond: median(row[key].map((r) => r.perCpuSecond)) };
  }
  const perRound = row.node.map((r) => row.wirehttp.find((w) => w.round === r.round).rps / r.rps);
  // Paired: each round runs both servers back to back, so a slow spell on this shared machine
  // mostly hits both sides of one ratio; far steadier than the ratio of the two medians.
  row.ratio = median(perRound);
  row.ratioRange = [Math.min(...perRound), Math.max(...perRound)];
}

const date = new Date().toISOString().slice(0, 10);
const other = (key) => (key === 'node' ? 'node:http' : B.label);
console.log(`Server benchmark — ${date}, Node ${process.version}, ${cpu}, ${cpus().length} cores; pinning: ${pinning}`);
if (args['node-only']) console.log('A/A run (--node-only): node:http in both columns, so the ratios show the harness noise');
if (args.floor) console.log('Floor run (--floor): the second column is bench/server/floor.mjs, the parser answering by hand on net.Socket with no node:http semantics');
if (results.length) {
  console.log(`wrk ${wrkVersion} (${threads} thread${threads > 1 ? 's' : ''}, ${connections} connections), ${duration} s per run after a ${CHECK_SECONDS} s checked warm-up, ${rounds > 1 ? `${rounds} rounds, A/B order alternating (ABBA…)` : '1 round, A then B'}\n`);
  console.log(`| scenario | node:http req/s | ${B.label} req/s | ratio | node:http p99 | ${B.label} p99 | errors | server CPU |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of results) {
    const spread = rounds > 1 ? ` (${row.ratioRange.map((r) => r.toFixed(2)).join('–')})` : '';
    console.log(`| ${row.title} | ${rate(row.nodeMedian.rps)} | ${rate(row.wirehttpMedian.rps)} | ${row.ratio.toFixed(2)}×${spread} | ${ms(row.nodeMedian.p99)} | ${ms(row.wirehttpMedian.p99)} | ${sum(row.node)} / ${sum(row.wirehttp)} | ${pct(row.nodeMedian.serverCpuShare)} / ${pct(row.wirehttpMedian.serverCpuShare)} |`);
  }
  if (rounds > 1) console.log(`\n- req/s and p99: median of the ${rounds} rounds. ratio: ${B.label} ÷ node:http req/s, median of the per-round ratios (each round runs both servers back to back), lowest–highest in brackets`);
  else console.log(`\n- one round: req/s, p99 and ratio (${B.label} ÷ node:http req/s) are from single runs`);
  console.log('- p99 as wrk reports it, after its coordinated-omission correction; n/a for pipelining, where that correction breaks (wg/wrk#236)');
  console.log(`- errors: non-2xx responses + socket errors over the timed runs, node:http / ${B.label}`);
  console.log(`- server CPU: the server's CPU time during the timed run ÷ its length (median), node:http / ${B.label}; well under 100% means the server sat waiting (other load on the machine, or a starved wrk) and the numbers are noisier`);
  for (const row of results) {
    for (const key of ['node', 'wirehttp']) {
      for (const run of row[key].filter((r) => r.errors)) {
        const e = run.socketErrors;
        console.log(`- ${row.title}, ${other(key)}, round ${run.round + 1}: ${run.non2xx} non-2xx; socket errors connect ${e.connect}, read ${e.read}, write ${e.write}, timeout ${e.timeout}`);
      }
      // wrk connects once per pass (check, timed run) plus once to probe the address; many more
      // connections than that means keep-alive is not holding.
      const reconnects = row[key].filter((r) => r.connectionsAccepted > 4 * connections);
      if (reconnects.length) console.log(`- ${row.title}, ${other(key)}: the server accepted up to ${Math.max(...reconnects.map((r) => r.connectionsAccepted))} connections for wrk's ${2 * connections}: keep-alive is not holding`);
    }
  }
}
if (idle) {
  const n = idleConnections.toLocaleString('en-US');
  const ratio = idle.wirehttp.loaded.rss / idle.node.loaded.rss;
  const perConnection = (r) => `${((r.loaded.rss - r.baseline.rss) / idleConnections / 1e3).toFixed(1)} kB`;
  const limits = [...new Set([idle.node.nofile.server, idle.wirehttp.nofile.server, idle.node.nofile.client, idle.wirehttp.nofile.client])].join('/');
  console.log(`\nRSS with ${n} idle keep-alive connections, each having had one GET answered; read after gc(), one run per server${pinned ? ', client on CPU 1' : ''}, open-files limit ${limits}\n`);
  console.log(`| server | RSS, no connections | RSS, ${n} idle | per connection | ratio |`);
  console.log('|---|---:|---:|---:|---:|');
  console.log(`| node:http | ${mb(idle.node.baseline.rss)} | ${mb(idle.node.loaded.rss)} | ${perConnection(idle.node)} | |`);
  console.log(`| ${B.label} | ${mb(idle.wirehttp.baseline.rss)} | ${mb(idle.wirehttp.loaded.rss)} | ${perConnection(idle.wirehttp)} | ${ratio.toFixed(2)}× |`);
  const mark = (ok) => (ok ? '✓' : '✗');
  const under = idle.wirehttp.loaded.rss < 200e6;
  const atMost = idle.wirehttp.loaded.rss <= idle.node.loaded.rss;
  if (B.impl === 'wirehttp') console.log(`\nTargets for ${B.label}: under 200 MB ${mark(under)} (${mb(idle.wirehttp.loaded.rss)}); at most node:http's ${mark(atMost)} (${ratio.toFixed(2)}×)${idleConnections !== 10_000 ? ` — the targets are for 10,000 connections, this run had ${n}` : ''}`);
}

if (args.json) {
  writeFileSync(
    args.json,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        node: process.version,
        cpu,
        cores: cpus().length,
        wrk: wrkVersion,
        pinning,
        pinned,
        nodeOnly: Boolean(args['node-only']),
        options: { duration, connections, rounds, threads, checkSeconds: CHECK_SECONDS, idleConnections, statistic: 'req/s and p99: median of rounds; ratio: median of per-round ratios' },
        scenarios: results,
        idle,
      },
      null,
      2,
    ),
  );
}
