// wirehttp/web's helpers, imported by name, run unchanged in every runtime
// (test/web-runtimes.test.ts): the scenario itself is test/support/web-scenario.js.
import { parseRequest, parseResponse } from 'wirehttp';
import * as web from 'wirehttp/web';
import { webScenario } from '../support/web-scenario.js';

export default async function () {
  return webScenario({ ...web, parseRequest, parseResponse });
}
