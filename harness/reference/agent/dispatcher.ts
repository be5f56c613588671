// Method name → handler. Handlers get the peer so getVdsCapabilities can report lastClient.
import type { XmlRpcFault, XmlRpcValue } from '../../rpc/codec.ts';
import { readCapabilities, readDevices } from './capabilities.ts';
import type { NetworkState } from './network-state.ts';

export interface Peer {
  /** As the socket saw it: `::1`, `::ffff:127.0.0.1`, `fe80::1%eth0`. */
  address: string;
  port: number;
  /** The agent's own address on this connection. */
  localAddress: string;
}

export interface PeerReport {
  lastClient: string;
  lastClientIface: string;
}

export type Dispatch = (
  method: string,
  params: XmlRpcValue[],
  peer: Peer,
) => { kind: 'value'; value: unknown } | { kind: 'fault'; fault: XmlRpcFault };

const DONE = { code: 0, message: 'Done' };

export type Capabilities = ReturnType<typeof readCapabilities>;

export function createDispatcher(
  state: NetworkState,
  describePeer: (peer: Peer) => PeerReport,
  reshape: (info: Capabilities) => unknown = (info) => info,
): Dispatch {
  const methods: Record<string, (params: XmlRpcValue[], peer: Peer) => unknown> = {
    ping: () => ({ status: DONE }),
    getVdsCapabilities: (_p, peer) => ({
      status: DONE,
      info: reshape(readCapabilities(state, describePeer(peer))),
    }),
    setupNetworks: ([networks, bondings]) => ({
      status: state.setupNetworks(networks, bondings, new Set(readDevices().keys())),
    }),
  };
  return (method, params, peer) => {
    const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
    // Python's SimpleXMLRPCServer (which vdsm served through) answers an unknown method with fault 1.
    if (!handler)
      return {
        kind: 'fault',
        fault: { faultCode: 1, faultString: `method "${method}" is not supported` },
      };
    return { kind: 'value', value: handler(params, peer) };
  };
}
