// The client side of the probe protocol over any pair of streams (a container's attached
// stdin/stdout): requests are numbered, replies matched by id, each with a deadline, and each
// line read with a cap, so a probe gone wrong cannot grow the harness without bound.
import type { Readable, Writable } from 'node:stream';
import { SixgateError, SixgateTimeoutError } from '../errors/index.ts';
import { MAX_REPLY_BYTES } from '../rpc/transport.ts';
import { formatBytes } from '../text/quote.ts';
import type { Probe, ProbeReply, ProbeRequest } from './contract.ts';

/** A probe op that answered with an error (the op failed, the channel is fine). */
export class ProbeError extends SixgateError {
  constructor(op: string, code: string, message: string) {
    super('SIXGATE_PROBE_OP', `probe ${op} failed: ${message} (${code})`);
    this.probeCode = code;
  }
  readonly probeCode: string;
}

export class ProbeChannelClosedError extends SixgateError {
  constructor(where: string) {
    super('SIXGATE_PROBE_CLOSED', `the probe channel to ${where} closed`, {
      hint: `look at the probe container's log: docker logs ${where}`,
    });
  }
}

/** A reply line over MAX_PROBE_LINE_BYTES: dropped unread, the request it answered fails. */
export class ProbeReplyTooLargeError extends SixgateError {
  constructor(op: string, where: string) {
    super(
      'SIXGATE_PROBE_TOO_LARGE',
      `the probe ${op} reply from ${where} is over the ${formatBytes(MAX_PROBE_LINE_BYTES)} line cap (MAX_PROBE_LINE_BYTES)`,
      { hint: 'the probe never sends that much for a well-formed call: look at its log' },
    );
  }
}

/**
 * The longest line the channel reads. The biggest reply a probe sends is a call's value: at most
 * MAX_REPLY_BYTES of XML, whose characters JSON may escape to six bytes each (`\u001b`), plus
 * the call's facts. Anything longer is not a reply.
 */
export const MAX_PROBE_LINE_BYTES = 6 * MAX_REPLY_BYTES + 64 * 1024;

/**
 * Splits a byte stream into lines, each at most `max` bytes; a longer line is handed over as
 * its first 64 bytes (enough to read the reply's id) with `overflow` set, the rest skipped.
 */
function readLines(
  input: Readable,
  max: number,
  onLine: (line: string, overflow: boolean) => void,
  onClose: () => void,
): void {
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  input.on('data', (chunk: Buffer | string) => {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    for (;;) {
      const nl = buf.indexOf(0x0a);
      const piece = nl < 0 ? buf : buf.subarray(0, nl);
      if (!skipping) {
        if (size + piece.length > max) {
          const head = Buffer.concat([...parts, piece], Math.min(64, size + piece.length));
          onLine(head.toString('utf8'), true);
          parts = [];
          size = 0;
          skipping = true;
        } else {
          parts.push(piece);
          size += piece.length;
        }
      }
      if (nl < 0) return;
      if (!skipping) onLine(Buffer.concat(parts).toString('utf8'), false);
      parts = [];
      size = 0;
      skipping = false;
      buf = buf.subarray(nl + 1);
    }
  });
  input.once('end', onClose);
  input.once('close', onClose);
  input.once('error', onClose);
}

interface Pending {
  op: string;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export interface LineChannel extends Probe {
  close(): void;
}

/** Slack on top of an op's own timeout, for the round trip itself. */
const SLACK_MS = 5_000;
const DEFAULT_MS = 15_000;

/**
 * `firstId`: where this channel's ids start. A probe that several processes attach to (a kept
 * run's sidecar) sends every reply to all of them; ids drawn from a random point apart keep each
 * process to its own replies, and others' are unknown ids, ignored.
 */
export function lineChannel(
  input: Writable,
  output: Readable,
  where: string,
  firstId = 1,
): LineChannel {
  const pending = new Map<number, Pending>();
  let nextId = firstId;
  let closed = false;
  const failAll = () => {
    closed = true;
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(new ProbeChannelClosedError(where));
    }
    pending.clear();
  };
  const settle = (id: number, how: (p: Pending) => void) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    clearTimeout(p.timer);
    how(p);
  };
  readLines(
    output,
    MAX_PROBE_LINE_BYTES,
    (line, overflow) => {
      if (overflow) {
        // Replies are written as {"id":N,...}: the id is all that can be read of this one.
        const id = /^\{"id":(\d+),/.exec(line)?.[1];
        if (id !== undefined)
          settle(Number(id), (p) => p.reject(new ProbeReplyTooLargeError(p.op, where)));
        return;
      }
      let reply: ProbeReply;
      try {
        reply = JSON.parse(line) as ProbeReply;
      } catch {
        return; // stray output (a runtime warning) is not a reply
      }
      settle(reply.id, (p) => {
        if (reply.ok) p.resolve(reply.result);
        else p.reject(new ProbeError(p.op, reply.error.code, reply.error.message));
      });
    },
    failAll,
  );

  return {
    request(req) {
      if (closed) return Promise.reject(new ProbeChannelClosedError(where));
      const id = nextId++;
      const own =
        (req as { timeoutMs?: number }).timeoutMs ??
        (req as { request?: { timeoutMs?: number } }).request?.timeoutMs;
      const limit = own === undefined ? DEFAULT_MS : own + SLACK_MS;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new SixgateTimeoutError(`probe ${req.op} reply from ${where}`, limit));
        }, limit);
        pending.set(id, { op: req.op, resolve: resolve as (v: unknown) => void, reject, timer });
        input.write(`${JSON.stringify({ ...req, id } as ProbeRequest)}\n`);
      });
    },
    close() {
      input.end();
      failAll();
    },
  };
}
