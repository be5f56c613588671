// `sixgate certify --profile FILE`: the whole conformance set against a vendor's profile, in both
// modes, beside the control arm, judged (certify/verdict.ts) and written as a bundle a vendor can
// hand over and anyone can check with `sixgate verify`.
import { existsSync } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseCommandArgs, type Command, type Io } from '../cli/command.ts';
import { UsageError } from '../errors/index.ts';
import { BUNDLE_FILES, BUNDLE_LIMITS, logFileNames, writeBundle } from '../certify/bundle.ts';
import { collectEnvironment, type ImageRecord } from '../certify/environment.ts';
import { CERTIFY_MODES, certificationPlan, judge } from '../certify/verdict.ts';
import { exitCodeOf, runJob, type ProviderChoice } from '../job/index.ts';
import { loadProfile, PROFILE_MAX_BYTES } from '../profile/index.ts';
import type { RuntimeEndpoint, StartedTopology } from '../providers/contract.ts';
import { clientFor } from '../providers/docker/client.ts';
import { findRuntime, PROVIDERS, providerChoices } from '../providers/index.ts';
import type { RunReport } from '../report/contract.ts';
import { REPORTERS } from '../report/index.ts';
import { renderJson } from '../report/json.ts';
import { readResults } from '../report/results-file.ts';
import { progressView } from '../report/progress.ts';
import { clip, escapeControls } from '../text/quote.ts';

/** The profile's bytes as given, read with the same bound loadProfile enforces. */
async function profileBytes(file: string): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(PROFILE_MAX_BYTES + 1);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, Math.min(bytesRead, PROFILE_MAX_BYTES));
  } finally {
    await fh.close();
  }
}

const PROVIDER_CHOICES = providerChoices();

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

/**
 * The image of every container a topology started, read before teardown removes them, from the
 * runtime the topology is on.
 */
async function imagesOf(topology: StartedTopology, into: Map<string, ImageRecord>): Promise<void> {
  if (!topology.endpoint) return;
  const docker = clientFor(topology.endpoint);
  for (const host of topology.hosts.values()) {
    if (!host.containerId) continue;
    const c = await docker.getContainer(host.containerId).inspect();
    const key = `${c.Config.Image}\n${c.Image}`;
    const known = into.get(key);
    const user = `${topology.mode}/${host.name}`;
    if (known) known.containers.push(user);
    else {
      const digest = await docker
        .getImage(c.Image)
        .inspect()
        .then((i) => i.RepoDigests?.[0])
        .catch(() => undefined);
      into.set(key, {
        reference: c.Config.Image,
        id: c.Image,
        ...(digest ? { digest } : {}),
        containers: [user],
      });
    }
  }
}

/** The verdict from the report as results.json will carry it: what verify recomputes. */
function judged(report: RunReport): RunReport {
  const asWritten = readResults(renderJson(report), BUNDLE_FILES.results);
  return { ...report, verdict: judge(asWritten, certificationPlan()) };
}

const certify: Command = {
  summary:
    'Certify a vendor profile: every cell in both modes beside the control arm; write a bundle (folder and .tar.gz) that `sixgate verify` checks.',
  usage: `sixgate certify --profile FILE [--out DIR] [--provider ${PROVIDER_CHOICES.join('|')}]`,
  details: () =>
    [
      'options:',
      '  --profile FILE   the vendor profile (see README: Certifying your own agent or engine)',
      '  --out DIR        the bundle folder, which must not exist; DIR.tar.gz is written beside it',
      '                   (default certification/<profile name>-<UTC time>)',
      '',
      'The whole conformance set always: --cell, --mode and --shard are refused.',
      'Not certified if any result failed, errored or was skipped, passed only on a retry, or is',
      'missing; if the run was filtered or interrupted; or if the control arm did not pass.',
      '',
      'exit codes: 0 certified · 1 not certified · 2 usage or profile error · 3 environment not',
      '  ready · 130/143 interrupted (the bundle is still written, not certified)',
    ].join('\n'),
  async run(argv: string[], io: Io): Promise<number> {
    const { values, positionals } = parseCommandArgs('certify', argv, {
      profile: { type: 'string' },
      out: { type: 'string' },
      provider: { type: 'string', default: 'auto' },
      cell: { type: 'string', multiple: true },
      mode: { type: 'string' },
      shard: { type: 'string' },
      target: { type: 'string' },
    });
    const whole = 'certify runs the whole conformance set in both modes; `sixgate run` runs parts';
    for (const flag of ['cell', 'mode', 'shard'] as const)
      if (values[flag] !== undefined) throw new UsageError(`--${flag}: ${whole}`);
    if (values.target !== undefined)
      throw new UsageError(
        '--target: certify takes a vendor --profile; `sixgate run --target` runs a built-in one',
      );
    if (positionals.length)
      throw new UsageError(`sixgate certify takes no arguments; got '${positionals[0]}'`);
    if (values.profile === undefined)
      throw new UsageError('--profile FILE is required: certify certifies a vendor profile');
    if (!PROVIDER_CHOICES.includes(values.provider as ProviderChoice))
      throw new UsageError(
        `--provider must be one of ${PROVIDER_CHOICES.join(', ')}; got '${values.provider}'`,
      );
    const profile = loadProfile(values.profile);
    const given = await profileBytes(values.profile);
    const out = resolve(values.out ?? `certification/${profile.name}-${stamp(new Date())}`);
    for (const path of [out, `${out}.tar.gz`])
      if (existsSync(path))
        throw new UsageError(
          `--out: ${path} exists; certify writes a new bundle, never into an old one`,
        );

    const progress = progressView(io);
    const images = new Map<string, ImageRecord>();
    let endpoint: RuntimeEndpoint | undefined;
    const outcome = await runJob(
      {
        provider: values.provider as ProviderChoice,
        modes: [...CERTIFY_MODES],
        profile: values.profile,
        control: true,
        collectLogs: true,
        beforeTeardown: (topology) => {
          endpoint ??= topology.endpoint;
          return imagesOf(topology, images);
        },
      },
      io,
      progress,
    );
    progress.end();
    const report = judged(outcome.report);
    const verdict = report.verdict!;

    const files = new Map<string, Buffer>();
    const render = (name: string) => Buffer.from(REPORTERS[name]!.render(report));
    files.set(BUNDLE_FILES.results, render('json'));
    files.set(BUNDLE_FILES.junit, render('junit'));
    files.set(BUNDLE_FILES.tap, render('tap'));
    files.set(BUNDLE_FILES.html, render('html'));
    files.set(BUNDLE_FILES.profile, given);
    // The runtime the topologies were on; where none started, the one the run chose.
    const provider = outcome.provider;
    endpoint ??=
      provider && PROVIDERS[provider].runtime ? (await findRuntime(provider))?.endpoint : undefined;
    const docker = endpoint && clientFor(endpoint);
    const environment = await collectEnvironment({
      ...(docker ? { docker } : {}),
      images: [...images.values()],
      profileFile: values.profile,
      startedAt: report.startedAt,
      endedAt: report.endedAt,
      ...(outcome.interrupted ? { interrupted: outcome.interrupted.signal } : {}),
    });
    files.set(BUNDLE_FILES.environment, Buffer.from(`${JSON.stringify(environment, null, 2)}\n`));
    const logNames = logFileNames(outcome.logs.keys());
    for (const [key, text] of outcome.logs)
      files.set(logNames.get(key)!, Buffer.from(clip(text, BUNDLE_LIMITS.logBytes, 'tail')));
    await mkdir(dirname(out), { recursive: true });
    const archive = await writeBundle(out, files);

    const code = exitCodeOf(outcome, false, io);
    const lines = verdict.certified
      ? [`certified: ${profile.name}`]
      : [
          `not certified: ${profile.name} (${verdict.reasons.length} ${verdict.reasons.length === 1 ? 'reason' : 'reasons'})`,
          ...verdict.reasons.map((r) => `  - ${escapeControls(clip(r, 4096))}`),
        ];
    io.stdout(`${lines.join('\n')}\nbundle: ${out}\n        ${archive}\n`);
    return verdict.certified ? code : code === 0 ? 1 : code;
  },
};

export default certify;
