import { SixgateError } from '../errors/index.ts';

/** A certificate request sixgate refuses to build, e.g. a zone in an IP subject-alt-name. */
export class CertRequestError extends SixgateError {
  constructor(message: string, hint?: string) {
    super('SIXGATE_BAD_CERT_REQUEST', message, hint === undefined ? {} : { hint });
  }
}
