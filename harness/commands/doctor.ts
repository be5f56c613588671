// `sixgate doctor`: can this machine run the matrix? Each step prints a verdict, how long it
// took, and what to do when it failed. Exit 0 when ready, 3 when not; a warning (runs work, but
// not as well as they should) leaves it ready. It removes what it made.
import { readFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import type { Command, Io } from '../cli/command.ts';
import { describeError, SixgateError } from '../errors/index.ts';
import { ensureImage } from '../images/index.ts';
import { dockerFacts, type DockerFacts } from '../providers/docker/client.ts';
import { findRuntime, identifyRuntime } from '../providers/discover.ts';
import { PROVIDERS } from '../providers/registry.ts';
import { removeNetwork } from '../providers/docker/cleanup.ts';
import { checkRunIsolation } from '../providers/docker/isolation.ts';
import { createPlannedNetwork } from '../providers/docker/network.ts';
import { startHost, type RunningHost } from '../providers/docker/start-host.ts';
import { pickPrimary } from '../providers/pick-primary.ts';
import { runTls } from '../providers/run-tls.ts';
import { RunOwner } from '../lifecycle/index.ts';
import { selfCheckTls } from '../tls/index.ts';
import { newRunId, runLabels, type TopologyPlan } from '../topology/index.ts';

/** A step that passed with a reservation: printed as `warn`, the machine is still ready. */
interface Warning {
  warning: string;
}

interface Step {
  name: string;
  remedy: string;
  run: () => Promise<string | Warning>;
}

/** A check that found the machine not ready; the step's remedy says what to do. */
class DoctorError extends SixgateError {
  constructor(message: string) {
    super('SIXGATE_NOT_READY', message, { exitCode: 3 });
  }
}

async function check(io: Io, step: Step): Promise<boolean> {
  const start = Date.now();
  try {
    const detail = await step.run();
    if (typeof detail === 'string') {
      io.stdout(`ok    ${step.name}: ${detail} (${Date.now() - start} ms)\n`);
    } else {
      io.stdout(
        `warn  ${step.name}: ${detail.warning} (${Date.now() - start} ms)\n      remedy: ${step.remedy}\n`,
      );
    }
    return true;
  } catch (err) {
    io.stdout(
      `FAIL  ${step.name} (${Date.now() - start} ms)\n      ${describeError(err).replace(/\n/g, '\n      ')}\n      remedy: ${step.remedy}\n`,
    );
    return false;
  }
}

const doctor: Command = {
  summary:
    "Check that Node's TLS, Docker, IPv6, the offline images and isolation between runs work here; exit 0 when ready, 3 when not.",
  usage: 'sixgate doctor',
  async run(_argv: string[], io: Io): Promise<number> {
    // Its throwaway network and host belong to a run owner: a signal mid-check removes them.
    await using owner = new RunOwner();
    const teardown = owner.scope();
    let docker: Docker | undefined;
    let facts: DockerFacts | undefined;
    let image = '';
    let plan: TopologyPlan | undefined;
    let host: RunningHost | undefined;
    const runId = newRunId();
    const labels = runLabels(runId);
    const steps: Step[] = [
      {
        name: 'Node runtime verifies IP subject-alt-names',
        remedy: 'run sixgate on Node 20.20+, 22.22 or 24.21',
        run: async () => {
          const r = await selfCheckTls();
          return `${r.node}: ${r.checked.join(', ')}`;
        },
      },
      {
        name: 'container runtime found and answering',
        remedy:
          'start dockerd (bash scripts/ensure-docker.sh) or Podman (podman system service), or point DOCKER_HOST or docker.host in ~/.testcontainers.properties at one, e.g. tcp://[fd00::1]:2375',
        run: async () => {
          const found = await findRuntime();
          if (!found) {
            throw new DoctorError(
              'no container runtime configured: no DOCKER_HOST, no tc.host or docker.host in ~/.testcontainers.properties, and no Docker or Podman socket',
            );
          }
          const runtime = await identifyRuntime(found);
          docker = runtime.docker;
          facts = await dockerFacts(docker);
          const provider = runtime.provider ?? found.likely;
          return `${runtime.name} (API ${facts.apiVersion}) at ${found.uri}, found by ${found.strategy}; --provider auto takes ${PROVIDERS[provider].title}`;
        },
      },
      {
        name: 'kernel IPv6 enabled',
        remedy: 'sysctl -w net.ipv6.conf.all.disable_ipv6=0',
        run: async () => {
          const v = (await readFile('/proc/sys/net/ipv6/conf/all/disable_ipv6', 'utf8')).trim();
          if (v !== '0') throw new DoctorError(`net.ipv6.conf.all.disable_ipv6 = ${v}`);
          return `disable_ipv6 = 0, kernel ${facts?.kernel ?? 'unknown'}`;
        },
      },
      {
        name: 'images build offline',
        remedy: 'install iproute2; on a non-Linux host set SIXGATE_BASE_IMAGE',
        run: async () => {
          const built = await ensureImage(docker!);
          image = built.tag;
          return `${built.tag} (${built.built ? 'built' : 'cached'}; ${built.programs.join(', ')})`;
        },
      },
      {
        name: 'IPv6 network can be created',
        remedy:
          'dockerd must allow IPv6 bridge networks; check /etc/docker/daemon.json and ip6tables',
        run: async () => {
          let registered = false;
          const made = await createPlannedNetwork(docker!, {
            runId,
            mode: 'dual-stack',
            agents: [],
            native: facts!.nativeIpv6Only,
            labels,
            beforeCreate: (name) => {
              // Every attempt of one run plans the same name: one removal covers them all.
              if (registered) return;
              registered = true;
              teardown.add(`remove network ${name}`, () => removeNetwork(docker!, name), 'network');
            },
          });
          plan = made.plan;
          return `${plan.network.name} ${plan.network.subnet6}`;
        },
      },
      {
        name: 'container gets a ULA and a link-local address',
        remedy: 'the kernel must allow IPv6 in containers (net.ipv6.conf.default.disable_ipv6=0)',
        run: async () => {
          host = await startHost(
            { docker: docker!, plan: plan!, image, tls: await runTls(runId), teardown, labels },
            plan!.hosts[0]!,
          );
          const dad = await host.probe.request({ op: 'wait-dad', timeoutMs: 10_000 });
          const p = pickPrimary(await host.probe.request({ op: 'interfaces' }), 'eth0');
          if (!p.ula || !p.linkLocal)
            throw new DoctorError(
              `eth0 has ULA ${p.ula ?? 'none'}, link-local ${p.linkLocal ?? 'none'}`,
            );
          return `${p.ula}, ${p.linkLocal}%${p.iface} (DAD ${dad.waitedMs} ms)`;
        },
      },
      {
        name: 'localhost6 resolves inside it',
        remedy: 'the container hosts file must carry localhost6 (sixgate adds it with ExtraHosts)',
        run: async () =>
          (await host!.probe.request({ op: 'resolve', name: 'localhost6' })).addresses
            .map((a) => a.address)
            .join(', '),
      },
      {
        name: 'IPv6-only networks',
        remedy: 'Docker 28+ for native IPv6-only; the fallback needs NET_ADMIN for the probe',
        run: async () => {
          if (facts!.nativeIpv6Only) return 'native (EnableIPv4: false)';
          const { flushed } = await host!.probe.request({ op: 'flush-ipv4' });
          const left = (await host!.probe.request({ op: 'interfaces' }))
            .filter((i) => i.name !== 'lo')
            .flatMap((i) => i.ipv4);
          if (left.length)
            throw new DoctorError(
              `IPv4 left after flush: ${left.map((a) => a.address).join(', ')}`,
            );
          return `fallback flush-ipv4 (API ${facts!.apiVersion} < 1.48; flushed ${flushed.join(', ')})`;
        },
      },
      {
        name: 'isolation between runs',
        remedy:
          'start dockerd with --experimental --ip6tables (20.10) or --ip6tables (27+); until then a cell may reach another run on this daemon',
        run: async () => {
          const r = await checkRunIsolation({ docker: docker!, image, teardown: owner.scope() });
          return r.isolated ? r.detail : { warning: `runs are not isolated: ${r.detail}` };
        },
      },
    ];
    let ready = true;
    try {
      for (const step of steps) {
        owner.check();
        if (!(await check(io, step))) {
          ready = false;
          break;
        }
      }
    } finally {
      host?.probe.close();
      for (const err of await teardown.run()) io.stderr(`${err.message}\n`);
    }
    io.stdout(ready ? 'ready\n' : 'not ready\n');
    return ready ? 0 : 3;
  },
};

export default doctor;
