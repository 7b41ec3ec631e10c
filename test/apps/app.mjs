// An ESM app that uses node:http the usual ways (test/register.test.ts).
import http, { createServer } from 'node:http';
import * as httpNamespace from 'http';
import { createRequire } from 'node:module';
import dep from 'http-user';

const require = createRequire(import.meta.url);
const { report } = require('./report.cjs');
await report(
  {
    "import http from 'node:http'": http,
    "import * from 'http'": httpNamespace.default,
    "import { createServer } from 'node:http'": createServer === http.createServer ? http : createServer,
    "createRequire()('node:http')": require('node:http'),
    "dependency's require('node:http')": dep.http,
    "dependency's require('http')": dep.plainHttp,
  },
  dep,
);
