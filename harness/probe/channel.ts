// The client side of the probe protocol over any pair of streams (a container's attached
// stdin/stdout): requests are numbered, replies matched by id, each with a deadline.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { SixgateError, SixgateTimeoutError } from '../errors/index.ts';
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

export function lineChannel(input: Writable, output: Readable, where: string): LineChannel {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let closed = false;
  const failAll = () => {
    closed = true;
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(new ProbeChannelClosedError(where));
    }
    pending.clear();
  };
  createInterface({ input: output })
    .on('line', (line) => {
      let reply: ProbeReply;
      try {
        reply = JSON.parse(line) as ProbeReply;
      } catch {
        return; // stray output (a runtime warning) is not a reply
      }
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      clearTimeout(p.timer);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new ProbeError(p.op, reply.error.code, reply.error.message));
    })
    .on('close', failAll);

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
