// Where each address-model field lives in the engine's API. A corpus case is sent to the real
// field as a dry run, inside a body whose other members are fixed valid values, so a refusal
// can be pinned on the field under test. The table is documented in docs/engine-api.md.
import type { Verdict } from '../address/contract.ts';
import type { DryRunResource } from './client.ts';

/** What a route can read back from an accepted dry run, in the corpus's terms. */
export type Reported = Pick<Verdict, 'canonical' | 'zone' | 'host' | 'path'>;

export interface Route {
  resource: DryRunResource;
  body: (input: string) => unknown;
  /** The fault field a refusal of the input must name. */
  field: string;
  /** The verdict keys this field exposes; the others (a dropped zone) cannot be compared. */
  reports: ReadonlyArray<keyof Reported>;
  read: (normalized: Record<string, unknown>) => Reported;
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const part = (v: unknown, i: number) => text(v)?.split('/')[i];

/** Drops undefined members, so a verdict never carries `zone: undefined`. */
function defined(r: Reported): Reported {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined));
}

const attach = (settings: Record<string, unknown>) => ({
  network: 'corpus',
  nic: 'eth0',
  ...settings,
});
const v6 = (settings: Record<string, unknown>) =>
  attach({ ipv6: { bootProtocol: 'static', address: 'fd00::1', prefix: 64, ...settings } });
const v4 = (settings: Record<string, unknown>) =>
  attach({
    ipv4: { bootProtocol: 'static', address: '192.0.2.10', netmask: '255.255.255.0', ...settings },
  });

function attachment(
  field: string,
  body: Route['body'],
  canonical: (n: Record<string, unknown>) => string | undefined,
): Route {
  return {
    resource: 'networkattachments',
    body,
    field,
    reports: ['canonical'],
    read: (n) => defined({ canonical: canonical(n) }),
  };
}

export const ROUTES = {
  host: {
    resource: 'hosts',
    body: (input) => ({ name: 'corpus', address: input }),
    field: 'address',
    reports: ['canonical', 'zone', 'host'],
    read: (n) =>
      defined({
        canonical: n.kind === 'name' ? undefined : text(n.host),
        zone: text(n.zone),
        host: text(n.host),
      }),
  },
  ipv6: attachment(
    'ipv6.address',
    (input) => v6({ address: input }),
    (n) => part(n.ipv6addr, 0),
  ),
  prefix: attachment(
    'ipv6.prefix',
    (input) => v6({ prefix: input }),
    (n) => part(n.ipv6addr, 1),
  ),
  'gateway-v6': attachment(
    'ipv6.gateway',
    (input) => v6({ gateway: input }),
    (n) => text(n.ipv6gateway),
  ),
  ipv4: attachment(
    'ipv4.address',
    (input) => v4({ address: input }),
    (n) => text(n.ipaddr),
  ),
  netmask: attachment(
    'ipv4.netmask',
    (input) => v4({ netmask: input }),
    (n) => text(n.netmask),
  ),
  'gateway-v4': attachment(
    'ipv4.gateway',
    (input) => v4({ gateway: input }),
    (n) => text(n.gateway),
  ),
  storage: {
    resource: 'storageconnections',
    body: (input) => ({ type: 'nfs', connection: input }),
    field: 'connection',
    reports: ['zone', 'host', 'path'],
    read: (n) => defined({ zone: text(n.zone), host: text(n.address), path: text(n.path) }),
  },
} satisfies Record<string, Route>;

export type RouteName = keyof typeof ROUTES;

/**
 * The route for a corpus case, or undefined when the field has no single home in the API:
 * `ip` (every API field is of one family) and an empty gateway (an empty optional member means
 * "unset", not an invalid address) go to POST /api/validate instead. A gateway goes to the
 * family its text names, since the other family's member would refuse it for that alone.
 */
export function routeFor(field: string, input: string): RouteName | undefined {
  if (field === 'gateway')
    return input === '' ? undefined : input.includes(':') ? 'gateway-v6' : 'gateway-v4';
  return field in ROUTES ? (field as RouteName) : undefined;
}
