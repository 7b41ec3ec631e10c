// wirehttp/register: an app started with `--require wirehttp/register` or `--import
// wirehttp/register` gets wirehttp/node for every http / node:http it and its dependencies load,
// one instance of it, while wirehttp itself stays on Node's http. The apps (test/apps/) run in
// child processes and report what each way of reaching http gave them.
import { describe, expect, it } from 'vitest';
import { run } from './support/sides.js';

interface Report {
  isWirehttp: Record<string, boolean>;
  depServerIsWirehttp: boolean;
  wirehttpBuiltOnNodeHttp: boolean;
  status: number;
  body: string;
}

async function start(flags: string[], app: string): Promise<Report> {
  const { code, stdout, stderr } = await run(process.execPath, [...flags, `test/apps/${app}`]);
  expect(stderr, `${app} ${flags.join(' ')}: stderr`).toBe('');
  expect(code, `${app} ${flags.join(' ')}: exit code`).toBe(0);
  return JSON.parse(stdout) as Report;
}

describe('wirehttp/register', () => {
  for (const app of ['app.cjs', 'app.mjs']) {
    for (const flag of ['--require', '--import']) {
      it(`${app} under ${flag} wirehttp/register: every http is the one wirehttp/node`, async () => {
        const report = await start([flag, 'wirehttp/register'], app);
        expect(Object.keys(report.isWirehttp).length).toBeGreaterThanOrEqual(5);
        for (const [way, same] of Object.entries(report.isWirehttp)) expect(same, way).toBe(true);
        expect(report.depServerIsWirehttp).toBe(true);
        expect(report.wirehttpBuiltOnNodeHttp).toBe(true);
        expect([report.status, report.body]).toEqual([200, 'GET /x']);
      });
    }

    it(`${app} without the flag: node:http everywhere (the apps can tell)`, async () => {
      const report = await start([], app);
      for (const [way, same] of Object.entries(report.isWirehttp)) expect(same, way).toBe(false);
      expect(report.depServerIsWirehttp).toBe(false);
      expect([report.status, report.body]).toEqual([200, 'GET /x']);
    });
  }
});

describe('one wirehttp/node per process', () => {
  it('import and require() give the same module object, and named exports are its values', async () => {
    const script = `
      const required = require('wirehttp/node');
      import('wirehttp/node').then((ns) => {
        const names = Object.keys(required).filter((k) => ns[k] !== required[k]);
        const keys = (m) => Object.keys(m).sort().join();
        process.stdout.write(JSON.stringify({ same: ns.default === required, differing: names, keysAsNodeHttp: keys(required) === keys(require('node:http')) }));
      });`;
    const { stdout, stderr } = await run(process.execPath, ['-e', script]);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({ same: true, differing: [], keysAsNodeHttp: true });
  });
});
