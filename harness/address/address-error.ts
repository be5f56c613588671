import { SixgateError } from '../errors/index.ts';
import type { Reason } from './contract.ts';

/** parseIp/parseHostSpec refused the text; `reason` is the same one a verdict would carry. */
export class AddressError extends SixgateError {
  readonly reason: Reason;
  readonly input: string;

  constructor(input: string, reason: Reason, hint?: string) {
    super('SIXGATE_BAD_ADDRESS', `bad address ${JSON.stringify(input)}: ${reason.message}`, {
      exitCode: 2,
      ...(hint === undefined ? {} : { hint }),
    });
    this.input = input;
    this.reason = reason;
  }
}
