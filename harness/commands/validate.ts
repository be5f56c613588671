import { FIELDS, isField, validate, type Field, type Verdict } from '../address/index.ts';
import { parseCommandArgs, type Command, type Io } from '../cli/command.ts';
import { UsageError } from '../errors/index.ts';

const USAGE = `sixgate validate --field <field> [--json] <value>
       sixgate validate --field <field> --stdin     (one value per line, one JSON line each)

fields: ${FIELDS.join(', ')}
A value starting with '-' goes after '--': sixgate validate --field prefix -- -1
Exit code: 0 when every value is valid, 1 when any is invalid, 2 on a usage error.`;

function human(verdict: Verdict): string {
  const head = verdict.valid
    ? `valid ${verdict.field}: ${JSON.stringify(verdict.input)}`
    : `invalid ${verdict.field}: ${JSON.stringify(verdict.input)}`;
  const lines = [head, `  reason: ${verdict.reason.code}: ${verdict.reason.message}`];
  for (const key of ['canonical', 'zone', 'host', 'port', 'path'] as const) {
    if (verdict[key] !== undefined) lines.push(`  ${key}: ${verdict[key]}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * One JSON line per input line. Lines may end in \r\n; the empty text after a final newline
 * is not an input, but an empty line in the middle is (and is invalid). Output is written once
 * per chunk, not per line, so a large batch does not pay for a write per value.
 */
async function validateStream(field: Field, io: Io): Promise<number> {
  let pending = '';
  let invalid = false;
  const run = (line: string): string => {
    const value = line.endsWith('\r') ? line.slice(0, -1) : line;
    const verdict = validate(field, value);
    if (!verdict.valid) invalid = true;
    return `${JSON.stringify(verdict)}\n`;
  };
  for await (const chunk of io.stdin) {
    pending += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    const last = pending.lastIndexOf('\n');
    if (last < 0) continue;
    let out = '';
    let from = 0;
    while (from <= last) {
      const nl = pending.indexOf('\n', from);
      out += run(pending.slice(from, nl));
      from = nl + 1;
    }
    pending = pending.slice(last + 1);
    io.stdout(out);
  }
  if (pending.length > 0) io.stdout(run(pending));
  return invalid ? 1 : 0;
}

const command: Command = {
  summary: 'Check a value the way an engine field or the agent host-spec grammar would.',
  usage: USAGE,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('validate', argv, {
      field: { type: 'string' },
      json: { type: 'boolean' },
      stdin: { type: 'boolean' },
    });
    const hint = `see 'sixgate validate --help'`;
    const field = values.field;
    if (field === undefined || !isField(field)) {
      const what =
        field === undefined ? 'missing --field' : `unknown --field ${JSON.stringify(field)}`;
      throw new UsageError(`sixgate validate: ${what}; allowed values: ${FIELDS.join(', ')}`, {
        hint,
      });
    }
    if (values.stdin) {
      if (positionals.length > 0) {
        throw new UsageError('sixgate validate: give values on stdin or as an argument, not both', {
          hint,
        });
      }
      return validateStream(field, io);
    }
    if (positionals.length !== 1) {
      const what =
        positionals.length === 0 ? 'missing the value to check' : 'takes exactly one value';
      throw new UsageError(`sixgate validate: ${what} (or use --stdin)`, { hint });
    }
    const verdict = validate(field, positionals[0]!);
    io.stdout(values.json ? `${JSON.stringify(verdict)}\n` : human(verdict));
    return verdict.valid ? 0 : 1;
  },
};

export default command;
