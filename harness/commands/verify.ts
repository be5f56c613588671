// `sixgate verify BUNDLE`: is this certification bundle whole and does it agree with itself?
// Exit 0 with the verdict it carries, 1 with every problem found, 2 when it is not a bundle.
import { parseCommandArgs, type Command, type Io } from '../cli/command.ts';
import { sixgateVersion } from '../cli/version.ts';
import { UsageError } from '../errors/index.ts';
import { readBundle } from '../certify/read-bundle.ts';
import { verifyFiles } from '../certify/verify.ts';
import { clip, escapeControls } from '../text/quote.ts';

const line = (text: string) => `  - ${escapeControls(clip(text, 4096))}`;

const verify: Command = {
  summary:
    'Check a certification bundle (folder or .tar.gz): its manifest, its schema, that its results support its verdict, and that its reports agree.',
  usage: 'sixgate verify BUNDLE',
  details: () =>
    [
      'Proves integrity and internal consistency, not who made the bundle (docs/certify.md).',
      '',
      'exit codes: 0 verified (certified or not, as the bundle says) · 1 not verified, with',
      '  every problem · 2 not a bundle (unreadable, unsafe paths or links, too large)',
    ].join('\n'),
  async run(argv: string[], io: Io): Promise<number> {
    const { positionals } = parseCommandArgs('verify', argv, {});
    if (positionals.length !== 1)
      throw new UsageError(
        `sixgate verify takes one bundle (a folder or .tar.gz); got ${positionals.length}`,
      );
    const files = await readBundle(positionals[0]!);
    const { problems, verdict, report, madeBy } = verifyFiles(files);
    // The plan is this sixgate's: a bundle of another version is judged against today's cells.
    if (madeBy !== undefined && madeBy !== sixgateVersion())
      io.stderr(
        `sixgate: note: the bundle was made by sixgate ${madeBy}; this is ${sixgateVersion()}\n`,
      );
    if (problems.length) {
      io.stdout(
        `not verified: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}\n${problems.map(line).join('\n')}\n`,
      );
      return 1;
    }
    const target = report!.properties['run.target'];
    io.stdout(
      verdict!.certified
        ? `verified: certified: ${target} (${report!.results.length} results, ${files.size} files)\n`
        : `verified: not certified: ${target} (${verdict!.reasons.length} ${verdict!.reasons.length === 1 ? 'reason' : 'reasons'})\n${verdict!.reasons.map(line).join('\n')}\n`,
    );
    return 0;
  },
};

export default verify;
