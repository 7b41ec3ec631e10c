// Runs once before every suite: installs (or names) the system programs the suites drive, and
// makes the folder the runtime harnesses (test/support/runtimes) put their temp files in; the
// teardown removes it, so nothing is left behind however a test worker ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSystemDeps } from '../../scripts/system-deps.mjs';

export default function setup(): () => void {
  ensureSystemDeps();
  const root = mkdtempSync(join(tmpdir(), 'wirehttp-tests-'));
  process.env.WIREHTTP_TEST_TMP = root;
  return () => rmSync(root, { recursive: true, force: true });
}
