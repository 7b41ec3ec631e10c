// Runs once before every suite: installs (or names) the system programs the suites drive.
import { ensureSystemDeps } from '../../scripts/system-deps.mjs';

export default function setup(): void {
  ensureSystemDeps();
}
