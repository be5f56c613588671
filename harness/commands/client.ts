// `sixgate client`: the historic `vdsClient -s <host> getVdsCaps`, with every host-spec form.
// TLS is the only transport: `-s` is accepted for muscle memory and changes nothing, because
// the agents sixgate tests never served plain XML-RPC on 54321 once TLS was configured.
import { existsSync, readFileSync } from 'node:fs';
import { parseCommandArgs, type Command } from '../cli/command.ts';
import { UsageError } from '../errors/index.ts';
import { call, DEFAULT_CALL_TIMEOUT_MS } from '../rpc/index.ts';
import type { CallOutcome, FailurePhase } from '../rpc/contract.ts';

/** vdsClient verbs whose method name differs; anything else is sent as typed. */
const VERBS: Record<string, string> = { getVdsCaps: 'getVdsCapabilities' };

/** vdsClient's defaults: the host's own vdsm PKI. */
const DEFAULTS = {
  ca: '/etc/pki/vdsm/certs/cacert.pem',
  cert: '/etc/pki/vdsm/certs/vdsmcert.pem',
  key: '/etc/pki/vdsm/keys/vdsmkey.pem',
};

const PHASE_VERB: Record<FailurePhase, string> = {
  parse: 'parse the host spec',
  resolve: 'resolve',
  connect: 'connect',
  handshake: 'complete the TLS handshake',
  rpc: 'complete the RPC',
};

const usage =
  'sixgate client [-s] [--ca FILE --cert FILE --key FILE] [--identity NAME] [--timeout MS] [--json] <host-spec> <verb> [params...]\n\n' +
  '  host-spec  [::1], [::1]:54321, localhost6, [fe80::1%eth0]:54321, 192.0.2.1:54321 (default port 54321)\n' +
  '  verb       getVdsCaps (getVdsCapabilities), ping, or any method name\n' +
  '  params     each read as JSON when it parses (numbers, true, {"a":1}), else as a string\n' +
  '  -s         accepted for vdsClient compatibility; TLS is always used\n' +
  '  --ca/--cert/--key  default to the vdsm PKI paths; without cert and key no client certificate is sent\n' +
  '  --identity the DNS name or IP the agent certificate is checked against (default: the host in the spec)\n' +
  '  --json     print the whole call outcome as JSON, success or failure';

function readPem(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(
      `sixgate client: cannot read --${flag} ${path}: ${(err as Error).message}`,
    );
  }
}

function param(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function verdict(outcome: Extract<CallOutcome, { ok: false }>): string {
  const code = outcome.code === undefined ? '' : `, ${outcome.code}`;
  const where = outcome.remote ? ` ${outcome.remote.address} port ${outcome.remote.port}` : '';
  return `failed to ${PHASE_VERB[outcome.phase]}${where} (${outcome.phase}/${outcome.failure}${code}): ${outcome.message}`;
}

const command: Command = {
  summary: 'call one XML-RPC method on an agent, like vdsClient -s <host> getVdsCaps',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('client', argv, {
      s: { type: 'boolean', short: 's' },
      ca: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      identity: { type: 'string' },
      timeout: { type: 'string' },
      json: { type: 'boolean' },
    });
    const [target, verb, ...rest] = positionals;
    if (target === undefined || verb === undefined) {
      throw new UsageError('sixgate client: needs <host-spec> and <verb>', {
        hint: `usage: ${usage.split('\n')[0]}`,
      });
    }
    const timeoutMs =
      values.timeout === undefined ? DEFAULT_CALL_TIMEOUT_MS : Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      throw new UsageError(
        `sixgate client: --timeout must be a positive integer (ms), got '${values.timeout}'`,
      );
    }
    if ((values.cert === undefined) !== (values.key === undefined)) {
      throw new UsageError('sixgate client: --cert and --key go together');
    }
    const certPath =
      values.cert ??
      (existsSync(DEFAULTS.cert) && existsSync(DEFAULTS.key) ? DEFAULTS.cert : undefined);
    const keyPath = values.key ?? (certPath ? DEFAULTS.key : undefined);
    const outcome = await call({
      target,
      method: VERBS[verb] ?? verb,
      params: rest.map(param),
      timeoutMs,
      tls: {
        ca: readPem('ca', values.ca ?? DEFAULTS.ca),
        ...(certPath && keyPath
          ? { cert: readPem('cert', certPath), key: readPem('key', keyPath) }
          : {}),
        ...(values.identity === undefined ? {} : { identity: values.identity }),
      },
    });
    if (values.json) io.stdout(`${JSON.stringify(outcome, null, 2)}\n`);
    else if (outcome.ok) io.stdout(`${JSON.stringify(outcome.value, null, 2)}\n`);
    if (!outcome.ok) {
      io.stderr(`sixgate client: ${verdict(outcome)}\n`);
      return 1;
    }
    return 0;
  },
};

export default command;
