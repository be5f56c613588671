// Bad input to the engine's API ends as a 4xx `{fault}` naming the field and the rule, never a
// 500: garbage bodies, wrong types, huge bodies, missing and conflicting members.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../harness/index.ts';
import { makeTls, runEngine, type RunningEngine } from './support.ts';

let run: RunningEngine;
beforeAll(async () => {
  run = await runEngine(await makeTls());
});
afterAll(async () => run?.[Symbol.asyncDispose]());

const attach = (ipv6: unknown) => ({ network: 'ovirtmgmt', nic: 'eth0', ipv6 });

// [case, method, path, body, status, field, code]
// prettier-ignore
const CASES: Array<[string, string, string, unknown, number, string | null, string]> = [
  ['garbage JSON', 'POST', '/api/hosts', '{"name": "h1", "address": ', 400, 'body', 'BODY_NOT_JSON'],
  ['a JSON array', 'POST', '/api/hosts', '[1,2]', 400, 'body', 'BODY_NOT_OBJECT'],
  ['an empty body', 'POST', '/api/hosts', '', 400, 'body', 'BODY_EMPTY'],
  ['address as a number', 'POST', '/api/hosts', { name: 'h1', address: 7 }, 400, 'address', 'WRONG_TYPE'],
  ['address missing', 'POST', '/api/hosts', { name: 'h1' }, 400, 'address', 'REQUIRED'],
  ['bracketed address', 'POST', '/api/hosts', { name: 'h1', address: '[::1]' }, 400, 'address', 'IPV6_BRACKETS'],
  ['port as text', 'POST', '/api/hosts', { name: 'h1', address: '::1', port: '54321' }, 400, 'port', 'PORT_RANGE'],
  ['port 0', 'POST', '/api/hosts', { name: 'h1', address: '::1', port: 0 }, 400, 'port', 'PORT_RANGE'],
  ['name with a space', 'POST', '/api/hosts', { name: 'h 1', address: '::1' }, 400, 'name', 'NAME_CHARS'],
  ['ipv6 as a string', 'POST', '/api/hosts/x/networkattachments', attach('static'), 400, 'ipv6', 'WRONG_TYPE'],
  ['unknown boot protocol', 'POST', '/api/hosts/x/networkattachments', attach({ bootProtocol: 'slaac' }), 400, 'ipv6.bootProtocol', 'NOT_ONE_OF'],
  ['static without address', 'POST', '/api/hosts/x/networkattachments', attach({ bootProtocol: 'static', prefix: 64 }), 400, 'ipv6.address', 'REQUIRED'],
  ['static without prefix', 'POST', '/api/hosts/x/networkattachments', attach({ bootProtocol: 'static', address: 'fd00::9' }), 400, 'ipv6.prefix', 'REQUIRED'],
  ['prefix 129', 'POST', '/api/hosts/x/networkattachments', attach({ bootProtocol: 'static', address: 'fd00::9', prefix: 129 }), 400, 'ipv6.prefix', 'PREFIX_RANGE'],
  ['prefix 64.5', 'POST', '/api/hosts/x/networkattachments', attach({ bootProtocol: 'static', address: 'fd00::9', prefix: 64.5 }), 400, 'ipv6.prefix', 'PREFIX_NOT_DECIMAL'],
  ['prefix as an object', 'POST', '/api/hosts/x/networkattachments', attach({ bootProtocol: 'static', address: 'fd00::9', prefix: {} }), 400, 'ipv6.prefix', 'WRONG_TYPE'],
  ['dhcp with an address', 'POST', '/api/hosts/x/networkattachments', attach({ bootProtocol: 'dhcp', address: 'fd00::9' }), 400, 'ipv6.address', 'STATIC_ONLY'],
  ['autoconf with a gateway', 'POST', '/api/hosts/x/networkattachments', attach({ bootProtocol: 'autoconf', gateway: 'fd00::1' }), 400, 'ipv6.gateway', 'STATIC_ONLY'],
  ['multicast gateway', 'POST', '/api/hosts/x/networkattachments', attach({ bootProtocol: 'static', address: 'fd00::9', prefix: 64, gateway: 'ff02::1' }), 400, 'ipv6.gateway', 'GATEWAY_MULTICAST'],
  ['IPv4 gateway on ipv6', 'POST', '/api/hosts/x/networkattachments', attach({ bootProtocol: 'static', address: 'fd00::9', prefix: 64, gateway: '192.0.2.1' }), 400, 'ipv6.gateway', 'GATEWAY_FAMILY'],
  ['nine groups', 'POST', '/api/hosts/x/networkattachments', attach({ bootProtocol: 'static', address: '1:2:3:4:5:6:7:8:9::', prefix: 64 }), 400, 'ipv6.address', 'IPV6_TOO_MANY_GROUPS'],
  ['network name too long', 'POST', '/api/hosts/x/networkattachments', { network: 'a-very-long-network-name', nic: 'eth0', ipv6: { bootProtocol: 'none' } }, 400, 'network', 'IFNAME'],
  ['unknown storage type', 'POST', '/api/storageconnections', { type: 'iscsi', address: 'fd00::5', path: '/e' }, 400, 'type', 'NOT_ONE_OF'],
  ['both storage forms', 'POST', '/api/storageconnections', { type: 'nfs', connection: '[fd00::5]:/e', address: 'fd00::5' }, 400, 'connection', 'CONFLICTING_FORMS'],
  ['relative export path', 'POST', '/api/storageconnections', { type: 'nfs', address: 'fd00::5', path: 'exports' }, 400, 'path', 'PATH_NOT_ABSOLUTE'],
  ['unbracketed IPv6 connection', 'POST', '/api/storageconnections', { type: 'nfs', connection: 'fd00::5:/exports' }, 400, 'connection', 'STORAGE_UNBRACKETED_IPV6'],
  ['validate items not an array', 'POST', '/api/validate', { items: 'x' }, 400, 'items', 'WRONG_TYPE'],
  ['validate unknown field', 'POST', '/api/validate', { items: [{ field: 'endpoint', input: '[::1]' }] }, 400, 'items[0].field', 'NOT_ONE_OF'],
  ['unknown host id', 'GET', '/api/hosts/nope', undefined, 404, null, 'NOT_FOUND'],
  ['unknown path', 'GET', '/api/clusters', undefined, 404, null, 'NOT_FOUND'],
  ['wrong method', 'PUT', '/api/hosts', '{}', 405, null, 'METHOD_NOT_ALLOWED'],
];

describe('engine API refuses bad input with a fault', () => {
  it.each(CASES)('%s', async (_name, method, path, body, status, field, code) => {
    const res = await run.client.raw(method, path, body);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ fault: { field, code } });
    const fault = (res.body as { fault: { reason: string; detail: string } }).fault;
    expect(fault.reason.length).toBeGreaterThan(0);
    expect(fault.detail.length).toBeGreaterThan(0);
  });

  it('refuses a body over the limit with 413 and keeps serving', async () => {
    const huge = JSON.stringify({ name: 'h', address: 'x'.repeat(MAX_BODY_BYTES * 4) });
    const res = await run.client.raw('POST', '/api/hosts', huge);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ fault: { code: 'BODY_TOO_LARGE', field: null } });
    expect((await run.client.raw('GET', '/api/hosts')).status).toBe(200);
  });

  it('never answers 500 to fuzzed bodies', async () => {
    const values = [
      null,
      true,
      0,
      -1,
      1e308,
      '',
      ' ',
      '%',
      '[]',
      [],
      {},
      { a: 1 },
      'x'.repeat(300),
    ];
    const bodies = values.flatMap((v) => [
      ['/api/hosts', { name: v, address: v, port: v, identity: v }],
      ['/api/hosts/x/networkattachments', { network: v, nic: v, ipv4: v, ipv6: v }],
      [
        '/api/hosts/x/networkattachments',
        {
          network: 'n',
          nic: 'eth0',
          ipv6: { bootProtocol: 'static', address: v, prefix: v, gateway: v },
        },
      ],
      [
        '/api/hosts/x/networkattachments',
        {
          network: 'n',
          nic: 'eth0',
          ipv4: { bootProtocol: 'static', address: v, netmask: v, gateway: v },
        },
      ],
      ['/api/storageconnections', { type: 'nfs', connection: v }],
      ['/api/storageconnections', { type: 'nfs', address: v, path: v }],
      ['/api/validate', { items: [{ field: 'host', input: v }] }],
    ]) as Array<[string, unknown]>;
    const statuses = await Promise.all(
      bodies.map(
        async ([path, body]) => (await run.client.raw('POST', `${path}?dryRun=true`, body)).status,
      ),
    );
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 400).length).toBeGreaterThan(bodies.length / 2);
  });
});
