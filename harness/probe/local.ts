// The in-process probe the local provider uses: the sidecar's handlers, called directly.
import type { Probe, ProbeRequest } from './contract.ts';
import { createHandlers, handle } from './handlers.ts';
import { ProbeError } from './channel.ts';
import { call } from './rpc-call.ts';

export function localProbe(): Probe {
  const handlers = createHandlers({ call, allowAddressChanges: false });
  let nextId = 1;
  return {
    async request(req) {
      const reply = await handle(handlers, { ...req, id: nextId++ } as ProbeRequest);
      if (!reply.ok) throw new ProbeError(req.op, reply.error.code, reply.error.message);
      return reply.result as never;
    },
  };
}
