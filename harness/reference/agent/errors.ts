import { SixgateError } from '../../errors/index.ts';

/** vdsm.conf broke a rule; the message names the file, the key and the rule. Exit code 2. */
export class AgentConfigError extends SixgateError {
  constructor(
    readonly file: string,
    readonly key: string,
    rule: string,
  ) {
    super('SIXGATE_AGENT_BAD_CONFIG', `${file}: ${key} ${rule}`, { exitCode: 2 });
  }
}

/** A launched agent exited (or never said it was listening); carries its exit code and log. */
export class AgentStartError extends SixgateError {
  constructor(
    message: string,
    readonly agentExitCode: number | null,
    readonly log: string,
  ) {
    super('SIXGATE_AGENT_START', message, { hint: `agent log:\n${log}` });
  }
}
