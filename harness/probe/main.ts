// The probe program: one JSON request per line on stdin, one JSON reply per line on stdout.
// Requests run concurrently; replies carry the request's id. It exits when stdin closes.
import { createInterface } from 'node:readline';
import type { ProbeRequest } from './contract.ts';
import { createHandlers, handle } from './handlers.ts';
import { call } from './rpc-call.ts';

const handlers = createHandlers({
  call,
  allowAddressChanges: true,
  ipBinary: process.env.SIXGATE_IP_BIN,
});

const lines = createInterface({ input: process.stdin });
// A kept topology outlives the harness that attached to it; the sidecar stays up for `docker exec`.
lines.on('close', () => setInterval(() => undefined, 1 << 30));
lines.on('line', (line) => {
  if (line.trim() === '') return;
  let req: ProbeRequest;
  try {
    req = JSON.parse(line) as ProbeRequest;
  } catch {
    process.stdout.write(
      `${JSON.stringify({ id: -1, ok: false, error: { code: 'SIXGATE_PROBE_BAD_JSON', message: 'request is not JSON' } })}\n`,
    );
    return;
  }
  handle(handlers, req).then(
    (reply) => process.stdout.write(`${JSON.stringify(reply)}\n`),
    (err: unknown) => process.stderr.write(`probe: ${String(err)}\n`),
  );
});
