// Everything a target sends is bounded before it can grow the harness, and everything quoted from
// it is capped and escaped before it reaches a report or the console: the XML-RPC client over
// real TLS, the XML reader, the probe's line channel, and the reporters.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  call,
  type CallOutcome,
  type CellResult,
  clip,
  escapeControls,
  lineChannel,
  MAX_PROBE_LINE_BYTES,
  MAX_REPLY_BYTES,
  MAX_XML_DEPTH,
  MAX_XML_ELEMENTS,
  MAX_XML_TEXT_LENGTH,
  MESSAGE_MAX_BYTES,
  parseResponse,
  ProbeReplyTooLargeError,
  summarize,
  toHtml,
  toJunit,
  XmlRpcWireError,
} from '../../harness/index.ts';
import { misbehavingPeer, RAW_CONTROL, stream } from './support.ts';

const JUNK = '\u001b[2J\u001b[31mjunk\u0007\u0000\r\n\u009b0m<&>"';

describe('clip', () => {
  it('keeps text under the cap as it is', () => {
    expect(clip('short', 100)).toBe('short');
  });

  it('cuts at a character boundary and says how many bytes it cut', () => {
    // é is 2 bytes: 5 bytes hold two of them; the third would be split.
    expect(clip('é'.repeat(10), 5)).toBe('éé[… 16 bytes cut]');
    expect(clip('😀😀😀', 6)).toBe('😀[… 8 bytes cut]');
  });

  it('keeps the end of a log tail', () => {
    expect(clip(`${'a'.repeat(100)}end`, 3, 'tail')).toBe('[… 100 bytes cut]end');
  });

  it('cuts 50 MB to the cap without copying it whole', () => {
    const out = clip('x'.repeat(50 * 1024 * 1024), 1024);
    expect(Buffer.byteLength(out)).toBeLessThan(1100);
    expect(out).toMatch(/\[… 52427776 bytes cut\]$/);
  });
});

describe('escapeControls', () => {
  it('shows ESC, BEL, NUL, CR and C1 controls as escapes', () => {
    expect(escapeControls('a\u001b[31mb\u0007\u0000\r\u009b')).toBe(
      'a\\x1b[31mb\\x07\\x00\\x0d\\x9b',
    );
  });

  it('keeps newlines and tabs only when asked', () => {
    expect(escapeControls('a\nb\tc')).toBe('a\\nb\tc');
    expect(escapeControls('a\nb', 'keep')).toBe('a\nb');
  });

  it('shows a lone surrogate, which is neither text nor XML', () => {
    expect(escapeControls('a\ud800b\udc00')).toBe('a\\ud800b\\udc00');
    expect(escapeControls('😀')).toBe('😀');
  });
});

describe('the XML-RPC reader is bounded', () => {
  const reply = (value: string) =>
    `<?xml version="1.0"?><methodResponse><params><param>${value}</param></params></methodResponse>`;
  const refusal = (doc: string) => {
    try {
      parseResponse(doc);
    } catch (err) {
      return err as XmlRpcWireError;
    }
    throw new TypeError('parsed');
  };

  it('refuses one string value over the text cap, naming it', () => {
    const err = refusal(
      reply(`<value><string>${'x'.repeat(MAX_XML_TEXT_LENGTH + 1)}</string></value>`),
    );
    expect(err).toBeInstanceOf(XmlRpcWireError);
    expect(err.message).toMatch(/<string> holds more than 1048576 characters of text/);
  });

  it('refuses nesting deeper than the cap instead of overflowing the stack', () => {
    const depth = 100_000;
    const doc = reply(
      `${'<value><array><data>'.repeat(depth)}${'</data></array></value>'.repeat(depth)}`,
    );
    expect(refusal(doc).message).toMatch(new RegExp(`nested more than ${MAX_XML_DEPTH} deep`));
  });

  it('refuses more elements than the cap', () => {
    const doc = reply(
      `<value><array><data>${'<value><nil/></value>'.repeat(MAX_XML_ELEMENTS)}</data></array></value>`,
    );
    expect(refusal(doc).message).toMatch(new RegExp(`more than ${MAX_XML_ELEMENTS} elements`));
  });

  it('still reads a large well-formed reply: 25 000 values', () => {
    const doc = reply(
      `<value><array><data>${'<value><string>abcdefghijklmnopqrst</string></value>'.repeat(25_000)}</data></array></value>`,
    );
    const parsed = parseResponse(doc);
    expect(parsed.kind === 'value' && (parsed.value as string[]).length).toBe(25_000);
  });

  it('quotes a junk value in a message clipped and escaped', () => {
    const err = refusal(
      reply(`<value><int>${JUNK.replace(/[<&]/g, '').repeat(20_000)}</int></value>`),
    );
    expect(err.message).toMatch(/^<int> holds '.*\[… \d+ bytes cut\]', not an integer/);
    expect(Buffer.byteLength(err.message)).toBeLessThan(400);
    expect(err.message).not.toMatch(RAW_CONTROL);
  });
});

describe('the XML-RPC client reads at most MAX_REPLY_BYTES of a reply', () => {
  const getCaps = async (port: number, ca: string): Promise<CallOutcome> =>
    call({ target: `[::1]:${port}`, method: 'getVdsCapabilities', tls: { ca }, timeoutMs: 30_000 });

  it('fails a 50 MB streamed reply as too large in the rpc phase, naming the cap', async () => {
    const chunk = Buffer.from('<value><string>xxxxxxxxxxxxxxxx</string></value>'.repeat(20_000));
    await using peer = await misbehavingPeer((req, res) => {
      req.resume();
      stream(
        res,
        chunk,
        50 * 1024 * 1024,
        '<?xml version="1.0"?><methodResponse><params><param><value><array><data>',
      );
    });
    const out = await getCaps(peer.port, peer.ca);
    expect(out).toMatchObject({ ok: false, phase: 'rpc', failure: 'too-large' });
    expect(!out.ok && out.message).toMatch(/grew past the 4 MiB reply cap \(MAX_REPLY_BYTES\)/);
  });

  it('fails a reply that declares more than the cap before reading it', async () => {
    await using peer = await misbehavingPeer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-length': String(MAX_REPLY_BYTES * 12) });
      res.write('<?xml version="1.0"?>');
    });
    const out = await getCaps(peer.port, peer.ca);
    expect(out).toMatchObject({ ok: false, phase: 'rpc', failure: 'too-large' });
    expect(!out.ok && out.message).toMatch(/declares 50331648 bytes, over the 4 MiB reply cap/);
  });

  it('quotes a fault string clipped, with its control characters escaped', async () => {
    await using peer = await misbehavingPeer((req, res) => {
      req.resume();
      const text = JUNK.replace(/[<&]/g, '').repeat(20_000);
      res.end(
        `<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>7</int></value></member><member><name>faultString</name><value><string>${text}</string></value></member></struct></value></fault></methodResponse>`,
      );
    });
    const out = await getCaps(peer.port, peer.ca);
    expect(out).toMatchObject({ ok: false, phase: 'rpc', failure: 'fault', code: '7' });
    const message = (out as { message: string }).message;
    expect(message).toMatch(/^fault 7: \\x1b\[2J\\x1b\[31mjunk\\x07\\x00\\x0d\\n/);
    expect(message).toMatch(/\[… \d+ bytes cut\]$/);
    expect(Buffer.byteLength(message)).toBeLessThan(MESSAGE_MAX_BYTES);
    expect(message).not.toMatch(RAW_CONTROL);
  });
});

describe('the probe channel caps a line at MAX_PROBE_LINE_BYTES', () => {
  it('fails the request whose reply is over the cap, and keeps serving', async () => {
    const toProbe = new PassThrough();
    const fromProbe = new PassThrough();
    const channel = lineChannel(toProbe, fromProbe, 'test-probe');
    const big = channel.request({ op: 'listeners' });
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    fromProbe.write('{"id":1,"ok":true,"result":"');
    for (let sent = 0; sent <= MAX_PROBE_LINE_BYTES; sent += chunk.length) fromProbe.write(chunk);
    fromProbe.write('"}\n');
    await expect(big).rejects.toBeInstanceOf(ProbeReplyTooLargeError);
    await expect(big).rejects.toThrow(
      /probe listeners reply from test-probe is over the 24\.\d+|line cap/,
    );
    const next = channel.request({ op: 'routes' });
    fromProbe.write('{"id":2,"ok":true,"result":["fd00::/64 dev eth0"]}\n');
    expect(await next).toEqual(['fd00::/64 dev eth0']);
    channel.close();
  });
});

describe('reports quote the target capped and escaped', () => {
  const huge = JUNK.repeat((4 * 1024 * 1024) / JUNK.length);
  const results: CellResult[] = [
    {
      id: 'local.loopback.bracketed-port',
      title: 'the documented form',
      source: 'seed',
      target: 'broken-junk-value',
      mode: 'dual-stack',
      status: 'failed',
      message: `expected to connect, but ${huge}`,
      observed: huge,
      diagnostics: `--- agent log tail\n${huge}`,
      expected: 'connects',
      durationMs: 1,
      repro: ['sixgate run --cell local.loopback.bracketed-port --mode dual-stack --keep'],
      properties: { 'cell.observed': huge },
    },
  ];

  it('keeps a JUnit file small and valid XML whatever the target wrote', () => {
    const xml = toJunit({
      results,
      properties: {},
      startedAt: new Date(0),
      endedAt: new Date(0),
      selection: { modes: ['dual-stack'], cells: [], corpus: false },
    });
    expect(Buffer.byteLength(xml)).toBeLessThan(200 * 1024);
    expect(xml).not.toMatch(RAW_CONTROL);
    expect(xml).toContain('\\x1b[2J\\x1b[31mjunk\\x07\\x00\\x0d');
    expect(xml).toMatch(/\[… \d+ bytes cut\]/);
  });

  it('keeps the HTML matrix small and escaped', () => {
    const html = toHtml({
      results,
      properties: {},
      startedAt: new Date(0),
      endedAt: new Date(0),
      selection: { modes: ['dual-stack'], cells: [], corpus: false },
    });
    expect(Buffer.byteLength(html)).toBeLessThan(200 * 1024);
    expect(html).not.toMatch(RAW_CONTROL);
    expect(html).not.toContain('<&>');
  });

  it('puts no control character and no line break of the target on the console', () => {
    const text = summarize(results);
    expect(text).not.toMatch(RAW_CONTROL);
    const problem = text.split('\n').find((l) => l.trimStart().startsWith('problem:'));
    expect(problem?.trim()).toMatch(
      /^problem: {2}expected to connect, but \\x1b\[2J\\x1b\[31mjunk\\x07\\x00\\x0d\\n/,
    );
    expect(Buffer.byteLength(text)).toBeLessThan(8 * 1024);
  });
});
