// A real nginx (Debian's package; scripts/system-deps.mjs installs it) for the client suites:
// started on a free loopback port with a config written to a temp dir, in the foreground as one
// process of ours (no daemon, no workers, no user switch), stopped at the end.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProgram } from '../../scripts/system-deps.mjs';

export interface Nginx {
  port: number;
  /** The document root: files written here are served under / and PUT under /dav/ lands here too. */
  root: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

async function accepting(port: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

/** Starts nginx; `upstreamPort` is a server that /proxy/ passes to (unbuffered, so its chunked bodies stay chunked). */
export async function startNginx(upstreamPort: number): Promise<Nginx> {
  const bin = findProgram('nginx');
  if (!bin) throw new Error('nginx is not installed (npm test installs it: see scripts/system-deps.mjs)');
  const dir = mkdtempSync(join(tmpdir(), 'wirehttp-nginx-'));
  const root = join(dir, 'www');
  mkdirSync(join(root, 'dav'), { recursive: true });
  const port = await freePort();
  const conf = `
daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 10000;
  keepalive_timeout 30s;
  etag on;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    client_max_body_size 64m;
    location /dav/ {
      dav_methods PUT DELETE;
      create_full_put_path on;
    }
    location /proxy/ {
      proxy_pass http://127.0.0.1:${upstreamPort};
      proxy_http_version 1.1;
      proxy_buffering off;
      proxy_request_buffering off;
    }
  }
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child: ChildProcess = spawn(bin, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  if (!(await accepting(port, 10_000))) {
    child.kill('SIGKILL');
    let log = '';
    try {
      log = readFileSync(join(dir, 'error.log'), 'utf8');
    } catch {}
    throw new Error(`nginx did not start on 127.0.0.1:${port}\n${log}`);
  }
  return {
    port,
    root,
    async stop() {
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
