import type { StartedHost } from '../providers/contract.ts';
import type { CellContext } from './cell.ts';

const LIMIT_MS = 5000;

async function section(title: string, get: () => Promise<string>): Promise<string> {
  let body: string;
  try {
    body = await Promise.race([
      get(),
      new Promise<string>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${LIMIT_MS} ms`)), LIMIT_MS).unref(),
      ),
    ]);
  } catch (err) {
    body = `(could not collect: ${(err as Error).message})`;
  }
  return `--- ${title}\n${body.trimEnd()}`;
}

function interfacesText(host: StartedHost): Promise<string> {
  return host.probe
    .request({ op: 'interfaces' })
    .then((ifs) =>
      ifs
        .map((i) =>
          [
            `${i.index}: ${i.name}`,
            ...i.ipv4.map((a) => `    inet ${a.address}/${a.prefixLength}`),
            ...i.ipv6.map(
              (a) =>
                `    inet6 ${a.address}/${a.prefixLength} scope ${a.scope}${a.tentative ? ' tentative' : ''}`,
            ),
          ].join('\n'),
        )
        .join('\n'),
    );
}

/** Collected on failure only: what a person would otherwise gather by hand. */
export async function collectDiagnostics(
  ctx: CellContext,
  client: StartedHost,
  spec: string | undefined,
): Promise<string> {
  const { agent } = ctx;
  const name = spec?.match(/^([a-z][a-z0-9.-]*)(:\d+)?$/i)?.[1];
  const parts = await Promise.all([
    section(`agent log tail (${agent.name})`, () => agent.logs(40)),
    section("agent's listeners", () =>
      agent.probe.request({ op: 'listeners' }).then((ls) => ls.map((l) => l.display).join('\n')),
    ),
    section("agent's addresses", () => interfacesText(agent)),
    section("agent's routes", () =>
      agent.probe.request({ op: 'routes' }).then((r) => r.join('\n')),
    ),
    section(`client's addresses (${client.name})`, () => interfacesText(client)),
    section(`client's routes (${client.name})`, () =>
      client.probe.request({ op: 'routes' }).then((r) => r.join('\n')),
    ),
    ...(name
      ? [
          section(`${name} resolves, on ${client.name}, to`, () =>
            client.probe
              .request({ op: 'resolve', name })
              .then((r) => r.addresses.map((a) => `${a.address} (IPv${a.family})`).join('\n')),
          ),
        ]
      : []),
  ]);
  return parts.join('\n');
}
