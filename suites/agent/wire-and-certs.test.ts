// The XML-RPC codec's strictness and the per-run certificates' subject-alt-names.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  agentSans,
  CertRequestError,
  createCa,
  issueCert,
  parseCall,
  parseResponse,
  serializeCall,
  serializeFault,
  serializeResponse,
  XmlRpcWireError,
} from '../../harness/index.ts';

describe('XML-RPC codec', () => {
  it('round-trips struct, array, int, boolean, string, double and nil', () => {
    const value = {
      status: { code: 0, message: 'a < b & c' },
      list: [1, true, false, 2.5, null, ''],
      big: 2 ** 40,
    };
    expect(parseResponse(serializeResponse(value))).toEqual({ kind: 'value', value });
    expect(
      parseCall(serializeCall('setupNetworks', [{ n: { ipv6addr: 'fd00::1/64' } }, {}])),
    ).toEqual({
      method: 'setupNetworks',
      params: [{ n: { ipv6addr: 'fd00::1/64' } }, {}],
    });
  });
  it('reads faults', () => {
    expect(parseResponse(serializeFault({ faultCode: 3, faultString: 'no' }))).toEqual({
      kind: 'fault',
      fault: { faultCode: 3, faultString: 'no' },
    });
  });
  it('reads what Python xmlrpc.client writes: i4, untyped strings, whitespace, CDATA', () => {
    const doc =
      "<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><struct>\n<member>\n<name>a</name>\n<value><i4>7</i4></value>\n</member>\n<member><name>b</name><value>plain</value></member>\n<member><name>c</name><value><string><![CDATA[x<y]]></string></value></member>\n</struct></value>\n</param>\n</params>\n</methodResponse>\n";
    expect(parseResponse(doc)).toEqual({ kind: 'value', value: { a: 7, b: 'plain', c: 'x<y' } });
  });
  const malformed = [
    [
      'a non-integer int',
      '<methodResponse><params><param><value><int>abc</int></value></param></params></methodResponse>',
    ],
    [
      'a boolean other than 0/1',
      '<methodResponse><params><param><value><boolean>7</boolean></value></param></params></methodResponse>',
    ],
    [
      'an i4 out of range',
      '<methodResponse><params><param><value><i4>4294967296</i4></value></param></params></methodResponse>',
    ],
    [
      'an unknown type',
      '<methodResponse><params><param><value><float>1</float></value></param></params></methodResponse>',
    ],
    [
      'an unclosed element',
      '<methodResponse><params><param><value><string>x</string></value></param></params>',
    ],
    ['mismatched tags', '<methodResponse><params></param></methodResponse>'],
    ['a DTD', '<!DOCTYPE x [<!ENTITY a "b">]><methodResponse/>'],
    [
      'two params',
      '<methodResponse><params><param><value>a</value></param><param><value>b</value></param></params></methodResponse>',
    ],
  ];
  for (const [what, doc] of malformed) {
    it(`rejects ${what}`, () => {
      expect(() => parseResponse(doc as string)).toThrow(XmlRpcWireError);
    });
  }
});

describe('per-run certificates', () => {
  it('issues a server certificate with DNS and IP names that chains to its CA', async () => {
    const ca = await createCa({ commonName: 'test CA' });
    const leaf = await issueCert(ca, {
      commonName: 'a',
      dnsNames: ['agent.test'],
      ipAddresses: ['::1', 'fd00::5'],
      usage: 'server',
    });
    const cert = new X509Certificate(leaf.certPem);
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.subjectAltName).toBe(
      'DNS:agent.test, IP Address:0:0:0:0:0:0:0:1, IP Address:FD00:0:0:0:0:0:0:5',
    );
    expect(cert.checkIP('fd00::5')).toBe('fd00::5');
  });
  it('refuses an IP with a zone', async () => {
    const ca = await createCa({ commonName: 'test CA' });
    await expect(
      issueCert(ca, { commonName: 'a', ipAddresses: ['fe80::1%eth0'], usage: 'server' }),
    ).rejects.toThrow(CertRequestError);
  });
  it('agentSans lists names, localhost6/localhost, ::1, the ULA and IPv4', () => {
    expect(agentSans({ names: ['agent'], ula: 'fd00::5', ipv4: '192.0.2.5' })).toEqual({
      dnsNames: ['agent', 'localhost6', 'localhost'],
      ipAddresses: ['::1', 'fd00::5', '127.0.0.1', '192.0.2.5'],
    });
  });
  it('agentSans without IPv6 names drops every IPv6 entry (the broken target)', () => {
    expect(
      agentSans({ names: ['agent'], ula: 'fd00::5', ipv4: '192.0.2.5', ipv6Sans: false }),
    ).toEqual({
      dnsNames: ['agent', 'localhost'],
      ipAddresses: ['127.0.0.1', '192.0.2.5'],
    });
  });
});
