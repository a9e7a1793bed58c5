import * as assert from 'node:assert/strict';
import { test } from 'node:test';
// Before server.ts had startServer(), importing it created a connection and threw here (no --stdio).
import * as server from '../../server/src/server';

test('server.ts can be imported without starting a connection: it exports startServer', () => {
  assert.equal(typeof server.startServer, 'function');
});
