export { call, DEFAULT_CALL_TIMEOUT_MS } from './client.ts';
export type {
  CallOutcome,
  CallRequest,
  FailureClass,
  FailurePhase,
  TlsMaterial,
} from './contract.ts';
export {
  parseCall,
  parseResponse,
  serializeCall,
  serializeFault,
  serializeResponse,
  serializeValue,
} from './codec.ts';
export type { MethodResponse, XmlRpcFault, XmlRpcValue } from './codec.ts';
export { RpcReplyTooLargeError, XmlRpcWireError } from './errors.ts';
export { MAX_REPLY_BYTES } from './transport.ts';
export {
  MAX_XML_DEPTH,
  MAX_XML_ELEMENTS,
  MAX_XML_NAME_LENGTH,
  MAX_XML_TEXT_LENGTH,
} from './xml.ts';
export { interfaceOf, zoneInterface } from './interfaces.ts';
