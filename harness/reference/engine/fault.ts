import { SixgateError } from '../../errors/index.ts';
import type { ApiFault } from '../../engine-client/api.ts';

/**
 * A request the engine refuses. It becomes an HTTP response with a `{fault}` body, so bad input
 * always ends as a 4xx that names the field and the rule, never as a 500.
 */
export class EngineFault extends SixgateError {
  readonly status: number;
  readonly field: string | null;
  readonly reason: string;
  readonly agentCode: number | undefined;

  constructor(
    status: number,
    code: string,
    field: string | null,
    reason: string,
    detail: string,
    agentCode?: number,
  ) {
    super(code, detail);
    this.status = status;
    this.field = field;
    this.reason = reason;
    this.agentCode = agentCode;
  }

  toBody(): ApiFault {
    return {
      fault: {
        reason: this.reason,
        detail: this.message,
        field: this.field,
        code: this.code,
        ...(this.agentCode === undefined ? {} : { agentCode: this.agentCode }),
      },
    };
  }
}

/** 400 for one field: `reason` names the field, `detail` says the rule. */
export function invalidField(field: string, code: string, detail: string): EngineFault {
  return new EngineFault(400, code, field, `Invalid value for ${field}`, detail);
}

export function notFound(what: string): EngineFault {
  return new EngineFault(404, 'NOT_FOUND', null, 'Not found', `no ${what}`);
}
