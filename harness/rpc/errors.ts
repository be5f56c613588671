import { SixgateError } from '../errors/index.ts';
import { formatBytes } from '../text/quote.ts';

/** A document that is not well-formed XML-RPC; the message names what was wrong and where. */
export class XmlRpcWireError extends SixgateError {
  constructor(message: string) {
    super('SIXGATE_XMLRPC_MALFORMED', message);
  }
}

/** A reply body over the client's cap: reading stopped there and the connection was dropped. */
export class RpcReplyTooLargeError extends SixgateError {
  readonly limitBytes: number;
  constructor(limitBytes: number, what: string) {
    super(
      'SIXGATE_RPC_TOO_LARGE',
      `the reply ${what} the ${formatBytes(limitBytes)} reply cap (MAX_REPLY_BYTES); the connection was dropped`,
      { hint: 'a getVdsCapabilities reply is a few hundred KiB even on a large host' },
    );
    this.limitBytes = limitBytes;
  }
}
