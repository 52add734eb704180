// Preloaded with `node --require` into the CLI and the language server during tests: any
// attempt to open a network connection or resolve a host name is recorded to a file and
// fails loudly. Local IPC (pipes, stdio) is allowed.
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');
const http = require('node:http');
const https = require('node:https');
const log = process.env.CANDOR_NETWORK_LOG;
function record(what) {
  if (log) fs.appendFileSync(log, what + '\n');
  throw new Error('network access attempted: ' + what);
}
const origConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const opts = typeof args[0] === 'object' && args[0] !== null ? args[0] : {};
  if (typeof opts.path === 'string' || (typeof args[0] === 'string' && isNaN(Number(args[0])))) return origConnect.apply(this, args);
  return record('net.connect ' + JSON.stringify(args[0]));
};
for (const m of ['lookup', 'resolve', 'resolve4', 'resolve6']) dns[m] = () => record('dns.' + m);
http.request = () => record('http.request');
https.request = () => record('https.request');
http.get = () => record('http.get');
https.get = () => record('https.get');
if (typeof globalThis.fetch === 'function') globalThis.fetch = async () => record('fetch');
