#!/usr/bin/env node
// Sends one report to Meridian's intake API, signed the way Meridian checks it. Node 18+, no dependencies.
//
//   MERIDIAN_INTAKE_URL=https://meridian.example.com/api/intake \
//   INTAKE_SIGNING_SECRET=... node docs/intake-sender.mjs report.json
//
// report.json: { "external_id": "...", "source": "...", "title": "...", ... } (see docs/intake.md).
// Prints Meridian's HTTP status and answer; exits 0 on 200 or 202, 1 otherwise.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

const url = process.env.MERIDIAN_INTAKE_URL;
const secret = process.env.INTAKE_SIGNING_SECRET;
const file = process.argv[2];
if (!url || !secret || !file) {
  console.error('usage: MERIDIAN_INTAKE_URL=... INTAKE_SIGNING_SECRET=... node intake-sender.mjs report.json');
  process.exit(2);
}

// Sign the exact bytes you send: re-serialising the JSON after signing breaks the signature.
const body = JSON.stringify(JSON.parse(readFileSync(file, 'utf8')));
const timestamp = String(Math.floor(Date.now() / 1000));
const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;

const res = await fetch(url, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    'x-meridian-request-timestamp': timestamp,
    'x-meridian-signature': signature,
  },
  body,
});
console.log(res.status, await res.text());
process.exit(res.status === 200 || res.status === 202 ? 0 : 1);
