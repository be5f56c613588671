import { SixgateError } from '../errors/index.ts';

/** A certificate request sixgate refuses to build, e.g. a zone in an IP subject-alt-name. */
export class CertRequestError extends SixgateError {
  constructor(message: string, hint?: string) {
    super('SIXGATE_BAD_CERT_REQUEST', message, hint === undefined ? {} : { hint });
  }
}

/**
 * This Node runtime cannot do what every TLS cell relies on, so no cell can blame the target.
 * Exit code 3: the environment is not ready.
 */
export class RuntimeBrokenError extends SixgateError {
  constructor(message: string) {
    super('SIXGATE_RUNTIME_BROKEN', message, {
      hint: 'this Node runtime cannot verify IP subject-alt-names; use Node 20.20+, 22.22 or 24.21',
      exitCode: 3,
    });
  }
}
