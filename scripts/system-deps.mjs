// What the test suites need that npm does not bring, and the one step that installs it.
// `npm test` runs this before any suite (vitest globalSetup): a missing program is installed with
// apt when we run as root on Debian/Ubuntu, and otherwise the run stops with the exact command to
// type. A suite never skips because its peer is missing.
//
// Add a line here when a suite starts to need another Debian package.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** `bin`: the program the suite runs (a name looked up on PATH and in the sbin folders, or a path). */
export const SYSTEM_DEPS = [
  { bin: '/usr/bin/chromium', pkg: 'chromium', neededBy: 'test/browser.test.ts and test/support/runtimes (playwright-core drives Debian Chromium)' },
  { bin: '/usr/bin/firefox-esr', pkg: 'firefox-esr', neededBy: 'test/browser.test.ts and test/support/runtimes (puppeteer-core drives Debian Firefox ESR)' },
  { bin: 'curl', pkg: 'curl', neededBy: 'the wirehttp/node server suites (curl is one of the real clients)' },
  { bin: 'nginx', pkg: 'nginx', neededBy: 'test/node-client-nginx.test.ts (a real server for the client; started on a free port, its Debian service never started)' },
];

const SEARCH_PATH = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];

export function findProgram(bin) {
  const candidates = bin.includes('/') ? [bin] : SEARCH_PATH.filter(Boolean).map((dir) => join(dir, bin));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {}
  }
  return undefined;
}

export function missingSystemDeps(deps = SYSTEM_DEPS) {
  return deps.filter((dep) => !findProgram(dep.bin));
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function aptInstall(packages, log) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Debian's packages start their service on install (nginx on port 80). A policy-rc.d that answers
  // 101 tells invoke-rc.d not to: the suites start their own instances on free loopback ports.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    log(`installing with apt-get: ${packages.join(' ')}`);
    execFileSync('apt-get', ['update', '-qq'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } finally {
    if (ownPolicy) rmSync(policy, { force: true });
  }
}

/** Installs what is missing, or throws an Error that says exactly what to install. */
export function ensureSystemDeps({ deps = SYSTEM_DEPS, log = (line) => console.log(`[system-deps] ${line}`) } = {}) {
  let missing = missingSystemDeps(deps);
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((dep) => dep.pkg))];
  if (isRoot() && findProgram('apt-get')) {
    aptInstall(packages, log);
    missing = missingSystemDeps(deps);
    if (missing.length === 0) return;
  }
  const lines = missing.map((dep) => `  ${dep.bin} (Debian package ${dep.pkg}) for ${dep.neededBy}`);
  throw new Error(
    `npm test needs programs that npm does not install:\n${lines.join('\n')}\n` +
      `Install them with:  sudo apt-get install ${[...new Set(missing.map((dep) => dep.pkg))].join(' ')}\n` +
      `(as root on Debian or Ubuntu, npm test installs them itself)`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    ensureSystemDeps();
    console.log('[system-deps] everything the suites need is installed');
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
