// One XML-RPC call to an agent, reported as facts plus the phase and class where it stopped.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { classify, parseHostSpec } from '../address/index.ts';
import type { HostSpec } from '../address/contract.ts';
import { clip, escapeControls, MESSAGE_MAX_BYTES } from '../text/quote.ts';
import { connectFailure, handshakeFailure, isTlsAlert } from './classify.ts';
import { parseResponse, serializeCall } from './codec.ts';
import type { CallOutcome, CallRequest, FailureClass, FailurePhase } from './contract.ts';
import { RpcReplyTooLargeError } from './errors.ts';
import { zoneInterface } from './interfaces.ts';
import { Deadline, DeadlineError, postRpc, tcpConnect, tlsHandshake } from './transport.ts';

export const DEFAULT_CALL_TIMEOUT_MS = 5000;

type Facts = Omit<Extract<CallOutcome, { ok: true }>, 'ok' | 'value'>;

class Stop extends Error {
  constructor(
    readonly phase: FailurePhase,
    readonly failure: FailureClass,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

function errCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function parseTarget(target: CallRequest['target']): HostSpec {
  if (typeof target !== 'string') return target;
  try {
    return parseHostSpec(target);
  } catch (err) {
    const reason = (err as { reason?: { code?: string } }).reason;
    throw new Stop('parse', 'invalid-spec', (err as Error).message, reason?.code);
  }
}

async function resolve(
  spec: HostSpec,
  deadline: Deadline,
): Promise<Array<{ address: string; family: 4 | 6 }>> {
  if (spec.kind === 'ipv4') return [{ address: spec.host, family: 4 }];
  if (spec.kind === 'ipv6') {
    if (spec.zone === undefined) return [{ address: spec.host, family: 6 }];
    const iface = zoneInterface(spec.zone);
    if (iface === undefined) {
      throw new Stop(
        'resolve',
        'no-such-interface',
        `zone '%${spec.zone}' names no interface on this host`,
      );
    }
    return [{ address: `${spec.host}%${iface}`, family: 6 }];
  }
  try {
    const found = await deadline.race(lookup(spec.host, { all: true, verbatim: true }), () => {});
    if (found.length === 0)
      throw new Stop('resolve', 'no-address-of-family', `${spec.host} has no address`);
    return found.map((a) => ({ address: a.address, family: a.family === 4 ? 4 : 6 }));
  } catch (err) {
    if (err instanceof Stop || err instanceof DeadlineError) throw err;
    const code = errCode(err);
    const failure = code === 'ENODATA' ? 'no-address-of-family' : 'nxdomain';
    throw new Stop(
      'resolve',
      failure,
      `cannot resolve ${spec.host}: ${(err as Error).message}`,
      code,
    );
  }
}

function hostHeader(spec: HostSpec): string {
  // A zone means nothing to the server, so the Host header leaves it out.
  return spec.kind === 'ipv6' ? `[${spec.host}]:${spec.port}` : `${spec.host}:${spec.port}`;
}

/** The agent's own words inside our message: bounded, control characters shown as escapes. */
const quoted = (text: string) => escapeControls(clip(text, 1024));

function statusOf(value: unknown): { code: unknown; message: unknown } | undefined {
  const status = (value as { status?: unknown } | null)?.status;
  if (status === null || typeof status !== 'object') return undefined;
  return status as { code: unknown; message: unknown };
}

async function run(
  request: CallRequest,
  facts: Facts,
  deadline: Deadline,
  at: { phase: FailurePhase },
): Promise<unknown> {
  const spec = parseTarget(request.target);
  // The kernel would answer EINVAL; a person needs to hear which interface is missing, and why.
  if (spec.kind === 'ipv6' && spec.zone === undefined && classify(spec.host) === 'link-local') {
    throw new Stop(
      'parse',
      'invalid-spec',
      `link-local address ${spec.host} needs a zone, e.g. [${spec.host}%eth0]: it is ambiguous without one (RFC 4007 §6)`,
    );
  }
  at.phase = 'resolve';
  const addresses = await resolve(spec, deadline);
  facts.resolved = addresses.map((a) => a.address);
  const identity = (request.tls.identity ?? spec.host).replace(/%.*$/, '');
  facts.identity = { value: identity, kind: isIP(identity) ? 'ip' : 'dns' };

  at.phase = 'connect';
  let socket;
  let lastError: unknown;
  for (const a of addresses) {
    facts.remote = { address: a.address, port: spec.port, family: a.family };
    try {
      socket = await tcpConnect(a.address, spec.port, deadline);
      break;
    } catch (err) {
      if (err instanceof DeadlineError) throw err;
      lastError = err;
    }
  }
  if (!socket) {
    const code = errCode(lastError);
    throw new Stop('connect', connectFailure(code), (lastError as Error).message, code);
  }
  facts.local = { address: socket.localAddress ?? '', port: socket.localPort ?? 0 };

  at.phase = 'handshake';
  const secure = await tlsHandshake(socket, request.tls, facts.identity, deadline).catch(
    (err: unknown) => {
      if (err instanceof DeadlineError) throw err;
      throw new Stop(
        'handshake',
        handshakeFailure(errCode(err)),
        (err as Error).message,
        errCode(err),
      );
    },
  );

  at.phase = 'rpc';
  const reply = await postRpc(
    secure,
    hostHeader(spec),
    serializeCall(request.method, request.params),
    deadline,
  )
    .catch((err: unknown) => {
      if (err instanceof DeadlineError) throw err;
      if (err instanceof RpcReplyTooLargeError) throw new Stop('rpc', 'too-large', err.message);
      const code = errCode(err);
      if (isTlsAlert(code))
        throw new Stop('handshake', 'tls-protocol', (err as Error).message, code);
      throw new Stop(
        'rpc',
        code === 'ECONNRESET' ? 'reset' : 'bad-response',
        (err as Error).message,
        code,
      );
    })
    .finally(() => secure.destroy());
  if (reply.status !== 200) {
    throw new Stop(
      'rpc',
      'http-status',
      `HTTP ${reply.status} from POST /RPC2`,
      String(reply.status),
    );
  }
  let parsed;
  try {
    parsed = parseResponse(reply.body);
  } catch (err) {
    throw new Stop('rpc', 'bad-response', (err as Error).message, errCode(err));
  }
  if (parsed.kind === 'fault') {
    const { faultCode, faultString } = parsed.fault;
    throw new Stop('rpc', 'fault', `fault ${faultCode}: ${quoted(faultString)}`, String(faultCode));
  }
  const status = statusOf(parsed.value);
  if (status && status.code !== 0) {
    throw new Stop(
      'rpc',
      'status-nonzero',
      `status ${quoted(String(status.code))}: ${quoted(String(status.message))}`,
      clip(String(status.code), 32),
    );
  }
  return parsed.value;
}

/** Never throws: every failure comes back as an outcome naming its phase and class. */
export async function call(request: CallRequest): Promise<CallOutcome> {
  const start = performance.now();
  const deadline = new Deadline(request.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, start);
  const facts: Facts = { resolved: [], elapsedMs: 0 };
  const at: { phase: FailurePhase } = { phase: 'parse' };
  const elapsed = () => Math.round((performance.now() - start) * 10) / 10;
  try {
    const value = await run(request, facts, deadline, at);
    return { ...facts, elapsedMs: elapsed(), ok: true, value };
  } catch (err) {
    const stop =
      err instanceof Stop
        ? err
        : err instanceof DeadlineError
          ? new Stop(
              at.phase,
              'timeout',
              `no answer within the ${deadline.limitMs} ms call limit (during ${at.phase})`,
              'ETIMEDOUT',
            )
          : new Stop(at.phase, 'bad-response', (err as Error).message, errCode(err));
    return {
      ...facts,
      elapsedMs: elapsed(),
      ok: false,
      phase: stop.phase,
      failure: stop.failure,
      ...(stop.code === undefined ? {} : { code: stop.code }),
      message: clip(stop.message.trim(), MESSAGE_MAX_BYTES),
    };
  }
}
