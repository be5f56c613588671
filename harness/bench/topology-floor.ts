// The hand-done floor under the main job: its topology made and removed with plain Docker API
// calls and nothing else — per mode one IPv6 network, a container per host (agents, peer,
// engine) given its files and started, a sidecar in each agent's and the engine's namespace
// given its files and started, then removed (sidecars at once, hosts one at a time, as Docker
// 20.10 needs), with no cell, no listen wait, no DAD wait. `--networks 2` makes the two modes'
// topologies side by side, as the main job does. It shows what the daemon itself costs for the
// main job, and how much running two modes at once can save on it.
//   node --import tsx harness/bench/topology-floor.ts [--networks 1|2] [--image TAG] [--json]
import { parseArgs } from 'node:util';
import type Docker from 'dockerode';
import { SixgateError, UsageError } from '../errors/index.ts';
import { programPath } from '../images/programs.ts';
import { tar } from '../images/tar.ts';
import { ENGINE_CELLS } from '../engine-checks/index.ts';
import { CELLS, rolesOf } from '../matrix/index.ts';
import { dockerClient } from '../providers/docker/client.ts';
import { removeContainer, removeNetwork } from '../providers/docker/cleanup.ts';
import { newRunId, randomUlaPrefix, runLabels } from '../topology/index.ts';
import { runIfMain } from './script.ts';

/** The main job's hosts per mode: one agent per role its cells use, the peer and the engine. */
export function mainJobHosts(): { hosts: number; sidecars: number } {
  const roles = new Set([...rolesOf(CELLS), ...ENGINE_CELLS.flatMap((c) => c.roles)]);
  return { hosts: roles.size + 2, sidecars: roles.size + 1 };
}

/** Four small files, as an agent gets (its conf, key, certificate and CA). */
const FILES = tar(
  [
    '/etc/sixgate-floor/a',
    '/etc/sixgate-floor/b',
    '/etc/sixgate-floor/c',
    '/etc/sixgate-floor/d',
  ].map((path) => ({ path, content: Buffer.from(`${path}\n`), mode: 0o600 })),
);

async function oneNetwork(docker: Docker, image: string, runId: string, n: number) {
  const { hosts, sidecars } = mainJobHosts();
  const name = `sixgate-${runId}-floor${n}`;
  const labels = { ...runLabels(runId), 'sixgate.bench': 'topology-floor' };
  const made: string[] = [];
  const side: string[] = [];
  const container = async (cname: string, network: string, into: string[]) => {
    into.push(cname);
    const c = await docker.createContainer({
      name: cname,
      Image: image,
      Cmd: [programPath('probe')],
      OpenStdin: true,
      Labels: labels,
      HostConfig: { NetworkMode: network },
    });
    await c.putArchive(FILES, { path: '/' });
    await c.start();
  };
  try {
    await docker.createNetwork({
      Name: name,
      Driver: 'bridge',
      EnableIPv6: true,
      IPAM: { Driver: 'default', Config: [{ Subnet: `${randomUlaPrefix()}/64` }] },
      Labels: labels,
    });
    await Promise.all(
      Array.from({ length: hosts }, async (_, i) => {
        const host = `${name}-h${i}`;
        await container(host, name, made);
        if (i < sidecars) await container(`${host}-probe`, `container:${host}`, side);
      }),
    );
  } finally {
    await Promise.all(side.map((c) => removeContainer(docker, c)));
    for (const c of made) await removeContainer(docker, c);
    await removeNetwork(docker, name);
  }
}

/** Makes and removes `networks` main-job topologies side by side; ms per phase. */
export async function runTopologyFloor(image: string, networks: number): Promise<number> {
  const docker = dockerClient();
  const runId = newRunId();
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: networks }, (_, n) => oneNetwork(docker, image, runId, n)),
    );
  } catch (err) {
    throw new SixgateError('SIXGATE_BENCH_FLOOR', `the topology floor failed`, {
      cause: err,
      hint: 'Docker is not ready (`sixgate doctor`), or an image is missing',
    });
  }
  return Math.round(performance.now() - started);
}

async function cli(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      networks: { type: 'string', default: '1' },
      image: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const networks = Number(values.networks);
  if (networks !== 1 && networks !== 2)
    throw new UsageError('usage: topology-floor.ts [--networks 1|2] [--image TAG] [--json]');
  const image =
    values.image ?? (await (await import('../images/build.ts')).ensureImage(dockerClient())).tag;
  const ms = await runTopologyFloor(image, networks);
  process.stdout.write(
    values.json ? `${JSON.stringify({ networks, ...mainJobHosts(), ms })}\n` : `${ms} ms\n`,
  );
  return 0;
}

runIfMain(import.meta.url, cli);
