// The HTML report as a person sees it: written to a file, opened from file:// in Debian's headless
// Chromium, and read back from what the page shows (visible rows, the first line, the banner).
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CellResult, type RunReport, toHtml } from '../../harness/index.ts';

const CHROMIUM = '/usr/bin/chromium';

type Mode = CellResult['mode'];

const result = (
  id: string,
  mode: Mode,
  status: CellResult['status'],
  extra: Partial<CellResult> = {},
): CellResult => ({
  id,
  title: `title of ${id}`,
  source: 'RFC 4291 §2.5.5',
  target: 'reference',
  mode,
  status,
  expected: 'getVdsCapabilities returns status 0',
  durationMs: 120,
  repro: [`sixgate run --cell ${id} --mode ${mode} --keep`],
  properties: {},
  ...extra,
});

const report = (results: CellResult[], extra: Partial<RunReport> = {}): RunReport => ({
  results,
  properties: {
    'run.sixgate': '0.4.2',
    'run.node': 'v20.19.0',
    'run.target': 'acme-2.1',
    'run.provider': 'docker',
    'dual-stack.docker': '20.10.24',
  },
  startedAt: new Date('2026-12-01T10:00:00Z'),
  endedAt: new Date('2026-12-01T10:02:05Z'),
  selection: { modes: ['dual-stack', 'ipv6-only'], cells: [], corpus: true },
  ...extra,
});

// In table order, not failures first: the page has to sort them.
const MIXED = report([
  result('local.loopback.bracketed', 'dual-stack', 'passed'),
  result('local.loopback.bracketed', 'ipv6-only', 'passed'),
  result('peer.ipv4.any', 'dual-stack', 'passed', {
    title: 'IPv4 still works on a :: listener',
  }),
  result('peer.ipv4.any', 'ipv6-only', 'passed', {
    title: 'IPv4 still works on a :: listener',
    expected: 'fails (IPv4 absent)',
    durationMs: 3,
  }),
  result('local.link-local.zone', 'dual-stack', 'skipped', { message: 'no link-local here' }),
  result('local.link-local.zone', 'ipv6-only', 'skipped', { message: 'no link-local here' }),
  result('engine.add-host.ula', 'dual-stack', 'error', { message: 'the probe died: exit 137' }),
  result('engine.add-host.ula', 'ipv6-only', 'passed'),
  result('peer.ula.bare', 'dual-stack', 'passed', { source: 'RFC 4193 §3' }),
  result('peer.ula.bare', 'ipv6-only', 'failed', {
    source: 'RFC 4193 §3',
    message: 'expected to connect, but refused',
    observed: 'connect/ECONNREFUSED',
    diagnostics: 'listeners: 0.0.0.0:54321',
  }),
  result('corpus.ipv6: "::1"', 'dual-stack', 'passed', { group: 'corpus' }),
  result('corpus.ipv6: "::1"', 'ipv6-only', 'passed', { group: 'corpus' }),
]);

/** Every result of both modes failed the same way: the Docker daemon could not make a network. */
const NOTHING_STARTED = report(
  (['dual-stack', 'ipv6-only'] as const).flatMap((mode) =>
    Array.from({ length: 76 }, (_, i) =>
      result(`cell.${i}`, mode, 'error', {
        message: `the ${mode} topology did not start: Pool overlaps with other one on this address space`,
        durationMs: 0,
        repro: [],
      }),
    ),
  ),
);

const HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

let dir: string;
let context: BrowserContext;
const external: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (Debian's package)`);
  }
  dir = await mkdtemp(join(tmpdir(), 'sixgate-html-'));
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // The page must need nothing but its own file.
  context.on('request', (r) => {
    if (!r.url().startsWith('file:')) external.push(r.url());
  });
});

afterAll(async () => {
  await context?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

let pages = 0;
/** The report written to a file and opened the way a person opens an artifact. */
async function open(r: RunReport): Promise<{ page: Page; problems: string[] }> {
  const file = join(dir, `report-${pages++}.html`);
  await writeFile(file, toHtml(r));
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(pathToFileURL(file).href);
  return { page, problems };
}

async function visibleIds(page: Page): Promise<Array<string | null>> {
  const rows = await page.locator('#cells tr.row:visible').all();
  return Promise.all(rows.map((row) => row.getAttribute('data-id')));
}

/** The first line of text the page shows. */
async function firstLine(page: Page): Promise<string> {
  const text = await page.locator('body').innerText();
  return text
    .split('\n')
    .find((l) => l.trim())!
    .trim();
}

describe('the HTML report in Chromium', () => {
  test('totals first, then failures, errors, skips and passes in that order', async () => {
    const { page, problems } = await open(MIXED);
    expect(await firstLine(page)).toBe('1 failed, 1 harness error, 2 skipped, 8 passed');
    expect(await visibleIds(page)).toEqual([
      'peer.ula.bare',
      'engine.add-host.ula',
      'local.link-local.zone',
      'local.loopback.bracketed',
      'peer.ipv4.any',
      'corpus',
    ]);
    const failed = page.locator('#cells tr.row').first().locator('td').nth(1);
    const text = await failed.innerText();
    expect(text).toContain('✗ failed');
    expect(text).toContain('expected to connect, but refused');
    expect(text).toContain('sixgate run --cell peer.ula.bare --mode ipv6-only --keep');
    await failed.locator('summary').click();
    expect(await failed.innerText()).toContain('listeners: 0.0.0.0:54321');
    expect(await page.locator('.banner').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  test('a failure (the target) and a harness error (ours) look different', async () => {
    const { page } = await open(MIXED);
    const look = (status: string) =>
      page
        .locator(`td.s-${status} .badge`)
        .first()
        .evaluate(
          // Runs in the page; the suites are not compiled with the DOM library.
          (el) => {
            const style = (
              globalThis as unknown as {
                getComputedStyle: (e: unknown) => { backgroundColor: string };
              }
            ).getComputedStyle(el);
            return style.backgroundColor;
          },
        );
    expect(await page.locator('td.s-error .badge').innerText()).toBe('⚠ harness error');
    expect(await page.locator('td.s-failed .badge').innerText()).toBe('✗ failed');
    expect(await look('failed')).not.toBe(await look('error'));
    await page.close();
  });

  test('the filter hides and shows rows by status and by text', async () => {
    const { page } = await open(MIXED);
    const box = (status: string) => page.locator(`#filter input[value="${status}"]`);
    await box('passed').click();
    // A row stays while any of its modes has a status still ticked.
    expect(await visibleIds(page)).toEqual([
      'peer.ula.bare',
      'engine.add-host.ula',
      'local.link-local.zone',
    ]);
    await box('failed').click();
    expect(await visibleIds(page)).toEqual(['engine.add-host.ula', 'local.link-local.zone']);
    expect(await page.locator('#shown').innerText()).toBe('2 of 6 rows shown');
    await box('failed').click();
    await box('passed').click();
    await page.locator('#q').fill('IPV4');
    expect(await visibleIds(page)).toEqual(['peer.ipv4.any']);
    await page.locator('#q').fill('rfc 4193');
    expect(await visibleIds(page)).toEqual(['peer.ula.bare']);
    await page.locator('#q').fill('');
    expect(await visibleIds(page)).toHaveLength(6);
    await page.close();
  });

  test('each mode shows its own expected outcome and time', async () => {
    const { page } = await open(MIXED);
    const cells = page.locator('#cells tr.row[data-id="peer.ipv4.any"] td');
    const dual = await cells.nth(0).innerText();
    const v6 = await cells.nth(1).innerText();
    expect(dual).toContain('expected: getVdsCapabilities returns status 0');
    expect(dual).toContain('120 ms');
    expect(v6).toContain('expected: fails (IPv4 absent)');
    expect(v6).toContain('3 ms');
    await page.close();
  });

  test('the run facts: date, duration, versions, target, selection', async () => {
    const { page } = await open(MIXED);
    expect(await page.locator('#facts-line').innerText()).toBe(
      'acme-2.1 · 2026-12-01 10:00:00 UTC · 2 min 5 s · sixgate 0.4.2 · Node v20.19.0 · docker',
    );
    const facts = await page.locator('#facts').innerText();
    for (const line of [
      'modes\tdual-stack, ipv6-only',
      'cells\tevery cell',
      'shard\tnone (the whole run)',
      'dual-stack.docker\t20.10.24',
    ]) {
      expect(facts).toContain(line);
    }
    await page.close();
  });

  test('when nothing started, one banner names the cause and how many results it took', async () => {
    const { page } = await open(NOTHING_STARTED);
    const banner = page.locator('.banner');
    expect(await banner.count()).toBe(1);
    expect(await banner.isVisible()).toBe(true);
    const text = await banner.innerText();
    expect(text).toContain('Nothing could start in any mode.');
    expect(text).toContain(
      'the topology did not start: Pool overlaps with other one on this address space',
    );
    expect(text).toContain('all 152 results of dual-stack and ipv6-only');
    expect(text).toContain('not the target');
    // The rows say where their cause is instead of repeating it 152 times.
    const row = await page.locator('#cells tr.row').first().innerText();
    expect(row).toContain('the cause in the banner above');
    expect(row).not.toContain('Pool overlaps');
    expect(await firstLine(page)).toBe('0 failed, 152 harness errors, 0 skipped, 0 passed');
    await page.close();
  });

  test('a mode that did not start gets its banner; the other mode does not', async () => {
    const { page } = await open(
      report([
        ...NOTHING_STARTED.results.filter((r) => r.mode === 'ipv6-only'),
        ...Array.from({ length: 76 }, (_, i) => result(`cell.${i}`, 'dual-stack', 'passed')),
      ]),
    );
    const banner = page.locator('.banner');
    expect(await banner.count()).toBe(1);
    const text = await banner.innerText();
    expect(text).toContain('Nothing could start in ipv6-only.');
    expect(text).toContain('the ipv6-only topology did not start: Pool overlaps');
    expect(text).toContain('all 76 results of ipv6-only');
    await page.close();
  });

  test('a verdict is the first line', async () => {
    const refused = await open(
      report(MIXED.results, {
        verdict: {
          certified: false,
          reasons: ['peer.ula.bare failed in ipv6-only', 'local.link-local.zone was skipped'],
        },
      }),
    );
    expect(await firstLine(refused.page)).toBe('Not certified: 2 reasons');
    expect(await refused.page.locator('#reasons li').allInnerTexts()).toEqual([
      'peer.ula.bare failed in ipv6-only',
      'local.link-local.zone was skipped',
    ]);
    await refused.page.close();
    const certified = await open(
      report(
        MIXED.results.map((r) => ({ ...r, status: 'passed' as const })),
        { verdict: { certified: true, reasons: [] } },
      ),
    );
    expect(await firstLine(certified.page)).toBe('Certified');
    await certified.page.close();
  });

  test("a target's markup is shown as text and never runs", async () => {
    const attribute = '" onmouseover="window.__pwned = 3';
    const { page } = await open(
      report(
        [
          result(`evil.${attribute}`, 'dual-stack', 'failed', {
            title: HOSTILE,
            message: `refused: ${HOSTILE}`,
            observed: HOSTILE,
            diagnostics: HOSTILE,
            expected: HOSTILE,
            repro: [HOSTILE],
          }),
          result('evil.skip', 'ipv6-only', 'skipped', { message: HOSTILE }),
        ],
        {
          properties: { 'run.target': HOSTILE, 'dual-stack.kernel': HOSTILE },
          verdict: { certified: false, reasons: [HOSTILE] },
        },
      ),
    );
    await page.locator('#cells tr.row').first().hover();
    await page.locator('#cells tr.row').first().locator('summary').click();
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    const row = page.locator('#cells tr.row').first();
    expect(await row.getAttribute('data-id')).toBe(`evil.${attribute}`);
    expect(await row.locator('pre.message').innerText()).toBe(`refused: ${HOSTILE}`);
    expect(await row.locator('.title').innerText()).toBe(HOSTILE);
    expect(await page.locator('#reasons li').innerText()).toBe(HOSTILE);
    expect(await page.locator('#facts-line').innerText()).toContain(HOSTILE);
    await page.close();
  });

  test('the page asked for nothing but its own file', () => {
    expect(external).toEqual([]);
  });
});
