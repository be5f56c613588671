// The harness's client for an engine's REST API (docs/engine-api.md), on one undici Pool with
// keep-alive and pipelining, so hundreds of dry-run checks cost one connection or two.
import { Pool } from 'undici';
import { SixgateError } from '../errors/index.ts';
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

export interface EngineClientOptions extends EngineAddress {
  tls: EngineTls;
  /** Sent as `Authorization:` on every request, for engines that want it. */
  authorization?: string;
  /** @default 2 */
  connections?: number;
  /** Requests in flight per connection. @default 8 */
  pipelining?: number;
  /** Per request, connect included. @default 10000 */
  timeoutMs?: number;
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
    const fault = isFault(response.body) ? response.body.fault : undefined;
    super(
      'SIXGATE_ENGINE_FAULT',
      `${method} ${path} answered ${response.status}${fault ? `: ${fault.reason} (${fault.field ?? 'no field'}): ${fault.detail}` : ''}`,
    );
    this.status = response.status;
    this.fault = fault;
  }
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

export class EngineClient implements AsyncDisposable {
  readonly origin: string;
  /** Where the API lives on the origin: `/api` on the reference engine. */
  readonly apiBase: string;
  readonly #pool: Pool;
  readonly #headers: Record<string, string>;
  readonly #timeoutMs: number;

  constructor(options: EngineClientOptions) {
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.origin = originOf(options);
    this.apiBase = (options.apiBase ?? '/api').replace(/\/+$/, '');
    this.#pool = new Pool(this.origin, {
      connect: engineConnector(options, options.tls, this.#timeoutMs),
      connections: options.connections ?? 2,
      pipelining: options.pipelining ?? 8,
    });
    this.#headers = {
      'content-type': 'application/json',
      ...(options.authorization === undefined ? {} : { authorization: options.authorization }),
    };
  }

  /** Any request; a string body is sent as is (for garbage-input tests). Never throws on status. */
  async raw(method: string, path: string, body?: unknown): Promise<RawResponse> {
    const res = await this.#pool.request({
      method: method as 'GET',
      path,
      headers: this.#headers,
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
    });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Left as text: a non-JSON body is itself something a test reports.
    }
    return { status: res.statusCode, body: parsed };
  }

  async #json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.raw(method, path, body);
    if (response.status >= 300) throw new EngineFaultError(method, path, response);
    return response.body as T;
  }

  addHost(request: AddHostRequest): Promise<EngineHost> {
    return this.#json('POST', `${this.apiBase}/hosts`, request);
  }
  async listHosts(): Promise<EngineHost[]> {
    return (await this.#json<{ hosts: EngineHost[] }>('GET', `${this.apiBase}/hosts`)).hosts;
  }
  getHost(id: string): Promise<EngineHost> {
    return this.#json('GET', `${this.apiBase}/hosts/${encodeURIComponent(id)}`);
  }
  async deleteHost(id: string): Promise<void> {
    await this.#json('DELETE', `${this.apiBase}/hosts/${encodeURIComponent(id)}`);
  }
  attachNetwork(hostId: string, request: NetworkAttachmentRequest): Promise<NetworkAttachment> {
    return this.#json(
      'POST',
      `${this.apiBase}/hosts/${encodeURIComponent(hostId)}/networkattachments`,
      request,
    );
  }
  async listNics(hostId: string): Promise<NicRow[]> {
    return (
      await this.#json<{ nics: NicRow[] }>(
        'GET',
        `${this.apiBase}/hosts/${encodeURIComponent(hostId)}/nics`,
      )
    ).nics;
  }
  addStorageConnection(request: StorageConnectionRequest): Promise<StorageConnection> {
    return this.#json('POST', `${this.apiBase}/storageconnections`, request);
  }
  async listStorageConnections(): Promise<StorageConnection[]> {
    return (
      await this.#json<{ storageConnections: StorageConnection[] }>(
        'GET',
        `${this.apiBase}/storageconnections`,
      )
    ).storageConnections;
  }
  async deleteStorageConnection(id: string): Promise<void> {
    await this.#json('DELETE', `${this.apiBase}/storageconnections/${encodeURIComponent(id)}`);
  }
  async validate(items: ValidateRequest['items']): Promise<ValidateResponse['verdicts']> {
    return (await this.#json<ValidateResponse>('POST', `${this.apiBase}/validate`, { items }))
      .verdicts;
  }

  /**
   * Ask whether a body would be accepted, without side effects (`?dryRun=true`). A network
   * attachment dry run needs no existing host: any id will do.
   */
  async dryRun(resource: DryRunResource, body: unknown): Promise<DryRunOutcome> {
    const path =
      resource === 'networkattachments'
        ? `${this.apiBase}/hosts/-/networkattachments`
        : `${this.apiBase}/${resource}`;
    const response = await this.raw('POST', `${path}?dryRun=true`, body);
    if (response.status === 200) {
      return { accepted: true, normalized: (response.body as DryRunResult).normalized };
    }
    return {
      accepted: false,
      status: response.status,
      fault: isFault(response.body) ? response.body.fault : undefined,
    };
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
