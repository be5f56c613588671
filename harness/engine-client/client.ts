// The harness's client for an engine's REST API (docs/engine-api.md), on one undici Pool with
// keep-alive, so hundreds of dry-run checks cost a connection or two. No pipelining: a request
// queued behind another on one socket would fail with it when the engine resets or hangs that
// one, and the fault would be pinned on a cell that did nothing wrong. undici (1 MB) is loaded
// with the first request: a run with no engine cell, or a one-cell rerun, never parses it.
import type { Dispatcher, Pool } from 'undici';
import { SixgateError } from '../errors/index.ts';
import { clip } from '../text/quote.ts';
import type {
  AddHostRequest,
  DryRunResult,
  ApiFault,
  EngineHost,
  NetworkAttachment,
  NetworkAttachmentRequest,
  NicRow,
  StorageConnection,
  StorageConnectionRequest,
  ValidateRequest,
  ValidateResponse,
} from './api.ts';
import { engineConnector, originOf, type EngineAddress, type EngineTls } from './connector.ts';
import {
  displayAddress,
  ENGINE_REPLY_MAX_BYTES,
  ENGINE_REQUEST_TIMEOUT_MS,
  engineFault,
  EngineTransportError,
  malformed,
  tooLarge,
} from './faults.ts';

export interface EngineClientOptions extends EngineAddress {
  tls: EngineTls;
  /** Sent as `Authorization:` on every request, for engines that want it. */
  authorization?: string;
  /** @default 2 */
  connections?: number;
  /**
   * Per request once sent: the response headers within this, the whole body within this again;
   * connecting has the same limit. @default ENGINE_REQUEST_TIMEOUT_MS (10000)
   */
  timeoutMs?: number;
  /** The most of a response body read. @default ENGINE_REPLY_MAX_BYTES (4 MiB) */
  maxReplyBytes?: number;
  /** Path prefix of the API on the origin. @default '/api' */
  apiBase?: string;
}

export interface RawResponse {
  status: number;
  body: unknown;
}

/** A non-2xx answer. `fault` is the engine's `{fault}` body, or undefined if it sent none. */
export class EngineFaultError extends SixgateError {
  readonly status: number;
  readonly fault: ApiFault['fault'] | undefined;

  constructor(method: string, path: string, response: RawResponse) {
    const fault = faultOf(response.body);
    super(
      'SIXGATE_ENGINE_FAULT',
      `${method} ${path} answered ${response.status}${fault ? `: ${fault.reason} (${fault.field ?? 'no field'}): ${fault.detail}` : ''}`,
    );
    this.status = response.status;
    this.fault = fault;
  }
}

/** The engine failed the request (an error status, or a transport fault): the engine's failure. */
export function isEngineFailure(err: unknown): err is EngineFaultError | EngineTransportError {
  return err instanceof EngineFaultError || err instanceof EngineTransportError;
}

/** A body for a message: the text as sent, or the JSON re-written (a deep one cannot be). */
function shown(body: unknown): string {
  if (typeof body === 'string') return body;
  try {
    return JSON.stringify(body) ?? '(empty)';
  } catch {
    return '(JSON too deep to show)';
  }
}

/** An engine's own words, kept: each member of a fault cut to this, as thousands may be held. */
const FAULT_TEXT_MAX_BYTES = 1024;

/** The `{fault}` of a body, its text members clipped; undefined when the body carries none. */
function faultOf(body: unknown): ApiFault['fault'] | undefined {
  if (!isFault(body)) return undefined;
  const text = (v: unknown) => (typeof v === 'string' ? clip(v, FAULT_TEXT_MAX_BYTES) : v);
  const f = body.fault;
  return {
    reason: text(f.reason) as string,
    detail: text(f.detail) as string,
    field: text(f.field) as string | null,
    code: text(f.code) as string,
    ...(typeof f.agentCode === 'number' ? { agentCode: f.agentCode } : {}),
  };
}

export function isFault(body: unknown): body is ApiFault {
  const fault = (body as { fault?: unknown } | null)?.fault;
  return (
    typeof fault === 'object' &&
    fault !== null &&
    typeof (fault as { reason?: unknown }).reason === 'string'
  );
}

/** What a dry run says: accepted with the normalised values, or refused with the fault. */
export type DryRunOutcome =
  | { accepted: true; normalized: DryRunResult['normalized'] }
  | { accepted: false; status: number; fault: ApiFault['fault'] | undefined };

export type DryRunResource = 'hosts' | 'networkattachments' | 'storageconnections';

/** undici's Pool; bundled, a dynamic import of CommonJS hands its exports over as `default`. */
async function loadPool(): Promise<typeof Pool> {
  const m = (await import('undici')) as typeof import('undici') & {
    default?: { Pool: typeof Pool };
  };
  return m.Pool ?? m.default!.Pool;
}

export class EngineClient implements AsyncDisposable {
  readonly origin: string;
  /** Where the API lives on the origin: `/api` on the reference engine. */
  readonly apiBase: string;
  /** Where requests go, as messages name it: `[fd00::3]:8443`. */
  readonly address: string;
  #pool: Promise<Pool> | undefined;
  readonly #connect: Pool.Options;
  readonly #headers: Record<string, string>;
  readonly #limits: { timeoutMs: number; maxBytes: number };

  constructor(options: EngineClientOptions) {
    this.#limits = {
      timeoutMs: options.timeoutMs ?? ENGINE_REQUEST_TIMEOUT_MS,
      maxBytes: options.maxReplyBytes ?? ENGINE_REPLY_MAX_BYTES,
    };
    this.origin = originOf(options);
    this.address = displayAddress(options);
    this.apiBase = (options.apiBase ?? '/api').replace(/\/+$/, '');
    this.#connect = {
      connect: engineConnector(options, options.tls, this.#limits.timeoutMs),
      connections: options.connections ?? 2,
      pipelining: 1,
    };
    this.#headers = {
      'content-type': 'application/json',
      ...(options.authorization === undefined ? {} : { authorization: options.authorization }),
    };
  }

  /**
   * Any request; a string body is sent as is (for garbage-input tests). Never throws on status;
   * a body that is not JSON comes back as text. Throws EngineTransportError when the engine
   * does not answer properly: refuses, resets, hangs, or sends more than the cap.
   */
  async raw(method: string, path: string, body?: unknown): Promise<RawResponse> {
    const at = { request: `${method} ${path}`, address: this.address };
    try {
      this.#pool ??= loadPool().then((P) => new P(this.origin, this.#connect));
      const res = await (
        await this.#pool
      ).request({
        method: method as Dispatcher.HttpMethod,
        path,
        headers: this.#headers,
        ...(body === undefined
          ? {}
          : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        headersTimeout: this.#limits.timeoutMs,
        bodyTimeout: this.#limits.timeoutMs,
      });
      const text = await this.#read(res, at);
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // Left as text: a non-JSON body is itself something a test reports.
      }
      return { status: res.statusCode, body: parsed };
    } catch (err) {
      throw engineFault(err, at, this.#limits) ?? err;
    }
  }

  /** The body as text, within the byte cap and the time limit, or the reason it is not. */
  async #read(res: Dispatcher.ResponseData, at: { request: string; address: string }) {
    const { maxBytes, timeoutMs } = this.#limits;
    const declared = Number(res.headers['content-length']);
    if (declared > maxBytes) {
      res.body.destroy();
      throw tooLarge(at, maxBytes, `declares ${declared} bytes, over`);
    }
    const late = new EngineTransportError(
      'timeout',
      at,
      `the response body did not complete within ${timeoutMs} ms`,
    );
    const timer = setTimeout(() => res.body.destroy(late), timeoutMs);
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        // Leaving the loop destroys the body, and undici drops the connection with it.
        if (size > maxBytes) throw tooLarge(at, maxBytes, 'grew past');
        chunks.push(chunk);
      }
    } finally {
      clearTimeout(timer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** A 2xx answer whose body is a JSON object (`key`, when given, an array in it). */
  async #json<T>(method: string, path: string, body?: unknown, key?: string): Promise<T> {
    const response = await this.raw(method, path, body);
    if (response.status >= 300) throw new EngineFaultError(method, path, response);
    const b = response.body;
    const object = typeof b === 'object' && b !== null && !Array.isArray(b);
    if (!object || (key !== undefined && !Array.isArray((b as Record<string, unknown>)[key]))) {
      throw malformed(
        { request: `${method} ${path}`, address: this.address },
        response.status,
        shown(b),
      );
    }
    return (key === undefined ? b : (b as Record<string, unknown>)[key]) as T;
  }

  /** A 2xx answer; whatever body it has is not read further. */
  async #done(method: string, path: string): Promise<void> {
    const response = await this.raw(method, path);
    if (response.status >= 300) throw new EngineFaultError(method, path, response);
  }

  addHost(request: AddHostRequest): Promise<EngineHost> {
    return this.#json('POST', `${this.apiBase}/hosts`, request);
  }
  listHosts(): Promise<EngineHost[]> {
    return this.#json('GET', `${this.apiBase}/hosts`, undefined, 'hosts');
  }
  getHost(id: string): Promise<EngineHost> {
    return this.#json('GET', `${this.apiBase}/hosts/${encodeURIComponent(id)}`);
  }
  deleteHost(id: string): Promise<void> {
    return this.#done('DELETE', `${this.apiBase}/hosts/${encodeURIComponent(id)}`);
  }
  attachNetwork(hostId: string, request: NetworkAttachmentRequest): Promise<NetworkAttachment> {
    return this.#json(
      'POST',
      `${this.apiBase}/hosts/${encodeURIComponent(hostId)}/networkattachments`,
      request,
    );
  }
  listNics(hostId: string): Promise<NicRow[]> {
    const path = `${this.apiBase}/hosts/${encodeURIComponent(hostId)}/nics`;
    return this.#json('GET', path, undefined, 'nics');
  }
  addStorageConnection(request: StorageConnectionRequest): Promise<StorageConnection> {
    return this.#json('POST', `${this.apiBase}/storageconnections`, request);
  }
  listStorageConnections(): Promise<StorageConnection[]> {
    return this.#json('GET', `${this.apiBase}/storageconnections`, undefined, 'storageConnections');
  }
  deleteStorageConnection(id: string): Promise<void> {
    return this.#done('DELETE', `${this.apiBase}/storageconnections/${encodeURIComponent(id)}`);
  }
  /** One verdict per item, in order; an answer with another count is malformed. */
  async validate(items: ValidateRequest['items']): Promise<ValidateResponse['verdicts']> {
    const path = `${this.apiBase}/validate`;
    const verdicts = await this.#json<ValidateResponse['verdicts']>(
      'POST',
      path,
      { items },
      'verdicts',
    );
    if (verdicts.length !== items.length) {
      throw malformed(
        { request: `POST ${path}`, address: this.address },
        200,
        `${verdicts.length} verdicts for ${items.length} items`,
      );
    }
    return verdicts;
  }

  /**
   * Ask whether a body would be accepted, without side effects (`?dryRun=true`). A network
   * attachment dry run needs no existing host: any id will do.
   */
  async dryRun(resource: DryRunResource, body: unknown): Promise<DryRunOutcome> {
    const path = this.dryRunPath(resource);
    const response = await this.raw('POST', path, body);
    if (response.status === 200) {
      const normalized = (response.body as Partial<DryRunResult> | undefined)?.normalized;
      if (typeof normalized !== 'object' || normalized === null) {
        throw malformed(
          { request: `POST ${path}`, address: this.address },
          200,
          shown(response.body),
        );
      }
      return { accepted: true, normalized };
    }
    return {
      accepted: false,
      status: response.status,
      fault: faultOf(response.body),
    };
  }

  /** Where a dry run of `resource` goes: `/api/hosts?dryRun=true`. */
  dryRunPath(resource: DryRunResource): string {
    const path =
      resource === 'networkattachments'
        ? `${this.apiBase}/hosts/-/networkattachments`
        : `${this.apiBase}/${resource}`;
    return `${path}?dryRun=true`;
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    if (pool) await (await pool).close();
  }
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
