// The hand-done floor of issue 11: what a person scripting the Docker API does to check the
// documented host-specs, with the same work sixgate does and no more — sixgate's image running
// the reference agent, the run's own CA and mutual TLS with the name checked, one IPv6 network,
// DAD waited for before a link-local call, `lastClient` checked against the caller — and none
// of sixgate's extras (no probe sidecar, no sweep, no reports). The client is one `docker exec`
// of a plain node script in the agent's namespace. `npm run bench` times it as a whole process
// beside sixgate's own run; it also runs alone:
//   node --import tsx harness/bench/floor.ts one-cell|six-cells [--image TAG] [--program P] [--json]
// (`--program` swaps in another agent program of the image, e.g. a broken one the check must catch).
import { PassThrough } from 'node:stream';
import { parseArgs } from 'node:util';
import type Docker from 'dockerode';
import { SixgateError, UsageError } from '../errors/index.ts';
import { programPath, programs } from '../images/programs.ts';
import { tar } from '../images/tar.ts';
import { dockerClient } from '../providers/docker/client.ts';
import { removeContainer, removeNetwork } from '../providers/docker/cleanup.ts';
import { newRunId, randomUlaPrefix, runLabels } from '../topology/index.ts';
import { agentSans, createCa, issueCert } from '../tls/index.ts';
import { runIfMain } from './script.ts';

export type FloorKind = 'one-cell' | 'six-cells';

/** What the client dials: the host as the documented spec names it, and the TLS identity. */
interface Dial {
  spec: string;
  host: string;
  port?: number;
  identity: string;
  linkLocal?: boolean;
}

const PORT = 54321;
/** The agent's certificate names it by this alias, as sixgate's names its agent's alias. */
const AGENT_NAME = 'agent';
const DIALS: Record<FloorKind, Dial[]> = {
  'one-cell': [{ spec: '[::1]', host: '::1', identity: '::1' }],
  'six-cells': [
    { spec: '[::1]', host: '::1', identity: '::1' },
    { spec: '[::1]:54321', host: '::1', port: PORT, identity: '::1' },
    { spec: 'localhost6', host: 'localhost6', identity: 'localhost6' },
    { spec: 'localhost6:54321', host: 'localhost6', port: PORT, identity: 'localhost6' },
    { spec: '[fe80::…%eth0]', host: 'eth0', identity: AGENT_NAME, linkLocal: true },
    {
      spec: '[fe80::…%eth0]:54321',
      host: 'eth0',
      port: PORT,
      identity: AGENT_NAME,
      linkLocal: true,
    },
  ],
};

/**
 * The client, run by `node -e` inside the agent's namespace: waits for the listener (a refused
 * connect is retried), waits for DAD before the first link-local call, then per dial a TLS
 * handshake with the run's CA and client certificate, the server name checked, one XML-RPC
 * `getVdsCapabilities` POST, status 0 and `lastClient` equal to the caller's own address.
 */
const CLIENT = String.raw`
const tls = require('node:tls'), net = require('node:net'), fs = require('node:fs');
const cfg = JSON.parse(process.argv[1]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const deadline = Date.now() + 30000; // sixgate's listen wait: 15 s, then once more
const body = '<?xml version="1.0" encoding="UTF-8"?><methodCall><methodName>getVdsCapabilities</methodName><params></params></methodCall>';
async function linkLocal(iface) {
  for (;;) {
    const rows = fs.readFileSync('/proc/net/if_inet6', 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/));
    if (!rows.some((r) => parseInt(r[4], 16) & 0x40)) {
      const r = rows.find((r) => r[5] === iface && r[0].startsWith('fe80'));
      if (!r) throw new Error('no link-local address on ' + iface);
      return r[0].match(/.{4}/g).join(':') + '%' + iface;
    }
    if (Date.now() > deadline) throw new Error('DAD still running');
    await sleep(20);
  }
}
function call(d, host) {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host, port: d.port ?? 54321, ca: cfg.ca, cert: cfg.cert, key: cfg.key,
      ...(net.isIP(d.identity) ? {} : { servername: d.identity }),
      checkServerIdentity: (_h, c) => tls.checkServerIdentity(d.identity, c) });
    const chunks = [];
    s.on('secureConnect', () => s.write('POST /RPC2 HTTP/1.1\r\nHost: ' + d.identity + '\r\nContent-Type: text/xml\r\nContent-Length: ' + Buffer.byteLength(body) + '\r\nConnection: close\r\n\r\n' + body));
    s.on('data', (c) => chunks.push(c));
    s.on('error', reject);
    s.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const last = /<name>lastClient<\/name><value><string>([^<]*)</.exec(text);
      if (!text.startsWith('HTTP/1.1 200') || !text.includes('<name>code</name><value><int>0</int>') || !last)
        return reject(new Error(d.spec + ': not a status-0 reply: ' + text.slice(0, 300)));
      const caller = new net.BlockList();
      caller.addAddress(s.localAddress.replace(/%.*$/, ''), 'ipv6');
      if (!caller.check(last[1].replace(/%.*$/, ''), 'ipv6'))
        return reject(new Error(d.spec + ': lastClient ' + JSON.stringify(last[1]) + ' is not the caller ' + s.localAddress));
      resolve({ spec: d.spec, lastClient: last[1] });
    });
  });
}
(async () => {
  const out = [];
  for (const d of cfg.dials) {
    const host = d.linkLocal ? await linkLocal(d.host) : d.host;
    for (;;) {
      try { out.push(await call(d, host)); break; }
      catch (e) { if (e.code !== 'ECONNREFUSED' || Date.now() > deadline) throw e; await sleep(20); }
    }
  }
  process.stdout.write(JSON.stringify(out) + '\n');
})().catch((e) => { process.stderr.write(String(e && e.message || e) + '\n'); process.exit(1); });
`;

/** The floor script failed: the agent did not answer as the reference agent does, or Docker broke. */
export class FloorError extends SixgateError {
  constructor(message: string, options: { cause?: unknown; hint?: string } = {}) {
    super('SIXGATE_BENCH_FLOOR', message, {
      hint: 'the agent answered unlike the reference agent, or Docker is not ready (`sixgate doctor`)',
      ...options,
    });
  }
}

export interface FloorResult {
  kind: FloorKind;
  /** The `sixgate.run` label on what it created (all of it removed before it returns). */
  runId: string;
  /** One per dial, in order: the agent's `lastClient`, equal to the caller's address. */
  calls: Array<{ spec: string; lastClient: string }>;
  /** Where the time went, in ms. */
  phases: Record<string, number>;
}

/** Runs a command in the container, bounded output; stdout, stderr and the exit code. */
async function exec(c: Docker.Container, docker: Docker, cmd: string[]) {
  const ex = await c.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await ex.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (b: Buffer) => (stdout = (stdout + b.toString()).slice(-65536)));
  err.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-8192)));
  docker.modem.demuxStream(stream, out, err);
  await new Promise((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const { ExitCode } = await ex.inspect();
  return { stdout, stderr, code: ExitCode ?? -1 };
}

export async function runFloor(
  kind: FloorKind,
  image: string,
  program = 'agent',
): Promise<FloorResult> {
  const docker = dockerClient();
  const runId = newRunId();
  const labels = { ...runLabels(runId), 'sixgate.bench': 'floor' };
  const name = `sixgate-${runId}-floor`;
  const phases: Record<string, number> = {};
  let t = performance.now();
  const lap = (phase: string) => {
    const now = performance.now();
    phases[phase] = Math.round(now - t);
    t = now;
  };
  try {
    const [, pki] = await Promise.all([
      docker.createNetwork({
        Name: name,
        Driver: 'bridge',
        EnableIPv6: true,
        IPAM: { Driver: 'default', Config: [{ Subnet: `${randomUlaPrefix()}/64` }] },
        Labels: labels,
      }),
      (async () => {
        const ca = await createCa({ commonName: `sixgate floor ${runId} CA` });
        const [agent, client] = await Promise.all([
          issueCert(ca, {
            commonName: AGENT_NAME,
            usage: 'server',
            ...agentSans({ names: [AGENT_NAME] }),
          }),
          issueCert(ca, { commonName: 'floor-client', usage: 'client' }),
        ]);
        return { ca: ca.certPem, agent, client };
      })(),
    ]);
    lap('network+pki');
    const container = await docker.createContainer({
      name,
      Image: image,
      Cmd: [programPath(program)],
      Labels: labels,
      HostConfig: { NetworkMode: name, ExtraHosts: ['localhost6:::1'] },
      NetworkingConfig: { EndpointsConfig: { [name]: { Aliases: [AGENT_NAME] } } },
    });
    const conf = `[vars]\nssl = true\nssl_verify_client = true\n\n[addresses]\nmanagement_ip = ::\nmanagement_port = ${PORT}\n`;
    const file = (path: string, content: string, mode = 0o644) => ({
      path,
      content: Buffer.from(content),
      mode,
    });
    await container.putArchive(
      tar([
        file('/etc/vdsm/vdsm.conf', conf),
        file('/etc/pki/vdsm/keys/vdsmkey.pem', pki.agent.keyPem, 0o600),
        file('/etc/pki/vdsm/certs/vdsmcert.pem', pki.agent.certPem),
        file('/etc/pki/vdsm/certs/cacert.pem', pki.ca),
      ]),
      { path: '/' },
    );
    lap('create');
    await container.start();
    lap('start');
    const cfg = {
      dials: DIALS[kind],
      ca: pki.ca,
      cert: pki.client.certPem,
      key: pki.client.keyPem,
    };
    const r = await exec(container, docker, ['/usr/bin/node', '-e', CLIENT, JSON.stringify(cfg)]);
    lap('calls');
    if (r.code !== 0)
      throw new FloorError(`the floor's client failed (exit ${r.code}): ${r.stderr.trim()}`);
    const calls = JSON.parse(r.stdout) as FloorResult['calls'];
    return { kind, runId, calls, phases };
  } catch (err) {
    throw err instanceof FloorError
      ? err
      : new FloorError(`the floor's ${kind} failed`, { cause: err });
  } finally {
    // By name, whatever got made (a missing one is fine); one at a time, container first:
    // Docker 20.10 leaves a stale endpoint otherwise. A killed floor is swept by its labels.
    await removeContainer(docker, name);
    await removeNetwork(docker, name);
    lap('teardown');
  }
}

async function cli(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      image: { type: 'string' },
      program: { type: 'string', default: 'agent' },
      json: { type: 'boolean', default: false },
    },
  });
  const kind = positionals[0];
  if (positionals.length !== 1 || (kind !== 'one-cell' && kind !== 'six-cells')) {
    throw new UsageError(
      'usage: floor.ts one-cell|six-cells [--image TAG] [--program NAME] [--json]',
    );
  }
  if (!Object.hasOwn(programs, values.program)) {
    throw new UsageError(`floor.ts: --program ${values.program} is not a program of the image`, {
      hint: `known: ${Object.keys(programs).join(', ')}`,
    });
  }
  // Given by the bench, which checked the image once; alone, the script checks it itself.
  const image =
    values.image ?? (await (await import('../images/build.ts')).ensureImage(dockerClient())).tag;
  const result = await runFloor(kind, image, values.program);
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    for (const c of result.calls) process.stdout.write(`${c.spec}: lastClient ${c.lastClient}\n`);
    const phases = Object.entries(result.phases).map(([k, v]) => `${k} ${v} ms`);
    process.stdout.write(`${phases.join(', ')}\n`);
  }
  return 0;
}

runIfMain(import.meta.url, cli);
