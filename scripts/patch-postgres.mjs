// Guards postgres.js 3.4.9 against a crash of the whole process when Postgres restarts
// (porsager/postgres issues 1154 and 1208, fix not released): a write to a connection whose
// socket has closed, such as the ROLLBACK of a transaction whose session Postgres cut, runs
// `socket.write` on null from a setImmediate, where no caller can catch it. Patched, that write
// rejects its query with CONNECTION_CLOSED, which callers handle (the job is retried), and a closed
// connection drops its buffered bytes so it cannot be left unable to write. Runs on `npm install`
// and `npm ci`; idempotent; says so and changes nothing when the driver is another version.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = path.join(root, 'node_modules/postgres/package.json');
const PATCHED_FOR = '3.4.9';

const edits = [
  [
    '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
    `  function nextWrite(fn) {\n    if (!socket) { // patched by meridian: closed socket\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options))\n      return false\n    }\n    const x = socket.write(chunk, fn)`,
  ],
  // terminate() and closed(): the immediate is cleared, and so must be the handle and the bytes.
  ['    clearImmediate(nextWriteTimer)\n    if (socket) {', '    clearImmediate(nextWriteTimer), nextWriteTimer = chunk = null\n    if (socket) {'],
  [
    '    clearImmediate(nextWriteTimer)\n    socket.removeListener(\'data\', data)',
    "    clearImmediate(nextWriteTimer), nextWriteTimer = chunk = null\n    socket.removeListener('data', data)",
  ],
  // closed(): a session Postgres cut (57P01 while a query ran) left that query and its error behind,
  // and the next connect's first ReadyForQuery failed the next query with that stale error, leaving
  // the connection unusable: a scheduled action's transaction then hung forever after the restart.
  [
    "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n",
    "    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n    query = results = errorResponse = null // patched by meridian: no stale query state\n",
  ],
];

if (!existsSync(pkg)) process.exit(0); // not installed (yet): nothing to patch
const { version } = JSON.parse(readFileSync(pkg, 'utf8'));
if (version !== PATCHED_FOR) {
  console.warn(`scripts/patch-postgres.mjs: postgres ${version} is not ${PATCHED_FOR}; not patched (check whether it fixed nextWrite on a closed socket)`);
  process.exit(0);
}
for (const rel of ['src/connection.js', 'cjs/src/connection.js']) {
  const file = path.join(root, 'node_modules/postgres', rel);
  let text = readFileSync(file, 'utf8');
  for (const [from, to] of edits) {
    if (text.includes(to)) continue; // applied by an earlier run
    if (!text.includes(from)) throw new Error(`scripts/patch-postgres.mjs: ${rel} does not contain the expected code; not patched`);
    text = text.replace(from, to);
  }
  writeFileSync(file, text);
}
console.log(`scripts/patch-postgres.mjs: postgres ${version} guarded against writes on a closed socket`);
