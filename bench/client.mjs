// npm run bench:client — HTTP clients side by side against one canned-bytes server:
// node:http's request() with a keep-alive Agent, wirehttp/node's with the same Agent settings,
// undici@7's request() on an undici Agent, and a hand-written floor (wirehttp's parser and canned
// request bytes on net.Socket, no ClientRequest). Each keeps `--connections` requests in flight.
//
// The server (bench/client/canned-server.mjs) is a raw net server in its own process that answers
// every request head with the same bytes, so it is not the bottleneck (its CPU use is reported).
// With two CPUs, server and client are pinned apart (taskset). Rounds alternate the clients' order
// (ABBA…) so drift on a shared machine hits all alike; req/s and p99 are medians of the rounds,
// ratios the medians of per-round ratios against node:http's client.
//
//   node bench/client.mjs [--duration s] [--rounds n] [--connections n] [--quick] [--no-pin]
//   node bench/client.mjs --instructions [--n1 2000] [--n2 6000]   (callgrind, user-space instructions per request)
import { fork, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countInstructions, ensureValgrind } from './callgrind.mjs';

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string' },
    rounds: { type: 'string' },
    connections: { type: 'string' },
    quick: { type: 'boolean' },
    'no-pin': { type: 'boolean' },
    instructions: { type: 'boolean' },
    n1: { type: 'string' },
    n2: { type: 'string' },
    only: { type: 'string' },
    scenarios: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log('usage: node bench/client.mjs [--duration s] [--rounds n] [--connections n] [--quick] [--no-pin] [--only node,wirehttp,undici,floor] [--scenarios small,64k]\n       node bench/client.mjs --instructions [--n1 2000] [--n2 6000]');
  process.exit(0);
}
const number = (name, fallback) => {
  const v = Number(args[name] ?? fallback);
  if (!(v > 0)) {
    console.error(`bench/client: --${name} must be a positive number`);
    process.exit(2);
  }
  return v;
};
const duration = number('duration', args.quick ? 2 : 5);
const rounds = number('rounds', args.quick ? 1 : 5);
const connections = number('connections', 50);
const CLIENTS = (args.only ?? 'node,wirehttp,undici,floor').split(',');
const SCENARIOS = (args.scenarios ?? 'small,64k').split(',');
const EXPECTED_BYTES = { small: 11, '64k': 65536 };
const LABEL = { node: "node:http's request()", wirehttp: "wirehttp/node's request()", undici: "undici's request()", floor: 'floor (parser on net.Socket)' };
const LOAD = fileURLToPath(new URL('client/load.mjs', import.meta.url));
const SERVER = fileURLToPath(new URL('client/canned-server.mjs', import.meta.url));
if (!existsSync(new URL('../dist/node.js', import.meta.url))) {
  console.error('bench/client: dist/ not found — run npm run build first');
  process.exit(1);
}

const taskset = !args['no-pin'] && cpus().length >= 2 && spawnSync('taskset', ['-c', '0', process.execPath, '-e', '0']).status === 0 ? 'taskset' : null;

/** Forks a script (pinned to `cpu` with taskset when pinning) and waits for its {type:'ready'}. */
async function launch(script, argv, cpu) {
  const options = { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] };
  const child = taskset
    ? fork(script, argv, { ...options, execPath: 'taskset', execArgv: ['-c', String(cpu), process.execPath] })
    : fork(script, argv, options);
  const ready = await ask(child, null, 'ready');
  return { child, ready };
}

function ask(child, message, answer) {
  return new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (m?.type !== answer) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code) => reject(new Error(`child exited (${code}) while waiting for ${answer}`));
    child.on('message', onMessage);
    child.on('exit', onExit);
    if (message) child.send(message);
  });
}

async function stop(child) {
  const exited = new Promise((r) => child.once('exit', r));
  child.send({ type: 'stop' });
  await exited;
}

/**
 * Nanoseconds a process's main thread has run and has waited, runnable, for a CPU (Linux's
 * /proc/<pid>/schedstat), or null. On a shared machine the wait says how much of a run the
 * client or the server spent behind other processes, which req/s alone cannot tell.
 */
function schedstat(pid) {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'latin1').split(' ').map(Number);
    return { run, wait };
  } catch {
    return null;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function timed() {
  const results = {};
  for (const scenario of SCENARIOS) {
    const server = await launch(SERVER, [scenario], 1);
    const port = server.ready.port;
    results[scenario] = Object.fromEntries(CLIENTS.map((c) => [c, []]));
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? [...CLIENTS].reverse() : CLIENTS;
      for (const impl of order) {
        const client = await launch(LOAD, [impl, String(port), scenario, String(connections)], 0);
        // A checked warm-up: every response complete and of the right size, no errors. Two runs:
        // after the first time the pool goes idle (between runs) V8 drops about 36 optimized
        // functions of node:http's client or ours ("wrong map": Node's Agent parked the sockets,
        // `_httpMessage = null` and the like) as they go again; that and their recompiling belong
        // in the warm-up, not in the timed run (node:http's client took 50.0 µs of CPU per request
        // there, 41.9 after a second warm-up run; ours 31.2 and 28.6).
        for (let warmRun = 0; warmRun < 2; warmRun++) {
          const warm = await ask(client.child, { type: 'run', ms: 1000 }, 'result');
          if (warm.errors || warm.requests === 0 || warm.bytes !== warm.requests * EXPECTED_BYTES[scenario]) {
            throw new Error(`${impl} ${scenario}: warm-up failed (${JSON.stringify(warm)})`);
          }
        }
        const cpuBefore = (await ask(server.child, { type: 'cpu' }, 'cpu')).us;
        const schedBefore = [schedstat(client.child.pid), schedstat(server.child.pid)];
        const began = process.hrtime.bigint();
        const r = await ask(client.child, { type: 'run', ms: duration * 1000 }, 'result');
        const wallUs = Number(process.hrtime.bigint() - began) / 1000;
        const [clientWait, serverWait] = [client.child.pid, server.child.pid].map((pid, i) => {
          const before = schedBefore[i];
          const after = schedstat(pid);
          return before && after ? (after.wait - before.wait) / 1000 / wallUs : NaN;
        });
        const serverCpu = ((await ask(server.child, { type: 'cpu' }, 'cpu')).us - cpuBefore) / wallUs;
        await stop(client.child);
        if (r.errors || r.bytes !== r.requests * EXPECTED_BYTES[scenario]) throw new Error(`${impl} ${scenario}: bad run ${JSON.stringify(r)}`);
        const cpuPerRequest = r.cpuUs / r.requests;
        results[scenario][impl].push({ rps: r.requests / (wallUs / 1e6), p99: r.p99, serverCpu, cpuPerRequest, clientWait, serverWait });
        console.error(
          `${scenario} round ${round + 1}/${rounds} ${impl}: ${Math.round(r.requests / (wallUs / 1e6)).toLocaleString('en-US')} req/s, p99 ${r.p99.toFixed(2)} ms, ` +
            `client CPU ${cpuPerRequest.toFixed(1)} µs/req, server CPU ${(serverCpu * 100).toFixed(0)}%, waiting for a CPU: client ${percent(clientWait)}, server ${percent(serverWait)}, load average ${loadavg()[0].toFixed(2)}`,
        );
      }
    }
    await stop(server.child);
  }
  const machine = `${cpus().length} × ${cpus()[0].model.trim()}`;
  console.log(`\nbench/client.mjs, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${machine}; ${connections} requests in flight, ${duration} s per run after a checked warm-up of two 1 s runs, ${rounds} round(s) in ABBA order; ${taskset ? 'client on CPU 0, server on CPU 1 (taskset)' : 'not pinned'}\n`);
  console.log(`load average at the end ${loadavg().map((x) => x.toFixed(2)).join(', ')}; client CPU: the client process's user and system time (all threads) per request, and node:http's ÷ this; waiting: the share of the run the client's and the server's main threads were runnable but not running (other processes had the CPU)\n`);
  console.log('| scenario | client | req/s | ÷ node:http (range) | p99 | client CPU / req | node:http ÷ this | server CPU | waiting: client / server |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const scenario of SCENARIOS) {
    const byImpl = results[scenario];
    for (const impl of CLIENTS) {
      const runs = byImpl[impl];
      const ratios = byImpl.node ? runs.map((r, i) => r.rps / byImpl.node[i].rps) : [];
      const range = ratios.length > 1 ? ` (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})` : '';
      const cpuRatios = byImpl.node ? runs.map((r, i) => byImpl.node[i].cpuPerRequest / r.cpuPerRequest) : [];
      const cpuRange = cpuRatios.length > 1 ? ` (${Math.min(...cpuRatios).toFixed(2)}–${Math.max(...cpuRatios).toFixed(2)})` : '';
      console.log(
        `| ${scenario === 'small' ? 'small GET (11 B)' : '64 KiB download'} | ${LABEL[impl]} | ${Math.round(median(runs.map((r) => r.rps))).toLocaleString('en-US')} | ${ratios.length ? `${median(ratios).toFixed(2)}×${range}` : ''} | ${median(runs.map((r) => r.p99)).toFixed(2)} ms | ${median(runs.map((r) => r.cpuPerRequest)).toFixed(1)} µs | ${cpuRatios.length ? `${median(cpuRatios).toFixed(2)}×${cpuRange}` : ''} | ${(median(runs.map((r) => r.serverCpu)) * 100).toFixed(0)}% | ${percent(median(runs.map((r) => r.clientWait)))} / ${percent(median(runs.map((r) => r.serverWait)))} |`,
      );
    }
  }
}

function percent(x) {
  return Number.isNaN(x) ? 'n/a' : `${(x * 100).toFixed(0)}%`;
}

async function instructions() {
  ensureValgrind('bench/client');
  const n1 = number('n1', 2000);
  const n2 = number('n2', 6000);
  const rows = [];
  for (const scenario of SCENARIOS) {
    const server = await launch(SERVER, [scenario], 1);
    for (const impl of CLIENTS) {
      const run = (n) =>
        countInstructions(LOAD, [impl, String(server.ready.port), scenario, String(connections)], async (child) => {
          const r = await ask(child, { type: 'count', n }, 'result');
          if (r.errors || r.bytes !== r.requests * EXPECTED_BYTES[scenario]) throw new Error(`${impl} ${scenario}: bad run ${JSON.stringify(r)}`);
        });
      const perRequest = ((await run(n2)) - (await run(n1))) / (n2 - n1);
      rows.push({ scenario, impl, perRequest });
      console.error(`${scenario} ${impl}: ${Math.round(perRequest).toLocaleString('en-US')} instructions per request`);
    }
    await stop(server.child);
  }
  console.log(`\nInstructions per request in the client process (user space, callgrind, V8 --single-threaded, N = ${n1} → ${n2}), ${new Date().toISOString().slice(0, 10)}, Node ${process.version}\n`);
  console.log('| scenario | client | instructions / request | node:http ÷ this |');
  console.log('|---|---|---:|---:|');
  for (const r of rows) {
    const node = rows.find((x) => x.scenario === r.scenario && x.impl === 'node');
    console.log(`| ${r.scenario === 'small' ? 'small GET' : '64 KiB download'} | ${LABEL[r.impl]} | ${Math.round(r.perRequest).toLocaleString('en-US')} | ${node ? `${(node.perRequest / r.perRequest).toFixed(2)}×` : ''} |`);
  }
}

await (args.instructions ? instructions() : timed());
