import { SixgateError } from '../errors/index.ts';

/** A document that is not well-formed XML-RPC; the message names what was wrong and where. */
export class XmlRpcWireError extends SixgateError {
  constructor(message: string) {
    super('SIXGATE_XMLRPC_MALFORMED', message);
  }
}
