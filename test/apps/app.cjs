// A CommonJS app that uses node:http the usual ways (test/register.test.ts).
'use strict';
const dep = require('http-user');

(async () => {
  const esmNamespace = await import('node:http');
  await require('./report.cjs').report(
    {
      "require('http')": require('http'),
      "require('node:http')": require('node:http'),
      "dependency's require('node:http')": dep.http,
      "dependency's require('http')": dep.plainHttp,
      "import('node:http')": esmNamespace.default,
    },
    dep,
  );
})();
