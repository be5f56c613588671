// The historic vdsm paths. `root` prefixes them so the local provider can run the agent as an
// ordinary host process against a temp directory; in an image root is empty.
import { join } from 'node:path';

export interface AgentPaths {
  config: string;
  key: string;
  cert: string;
  ca: string;
}

export function agentPaths(root = '/'): AgentPaths {
  return {
    config: join(root, 'etc/vdsm/vdsm.conf'),
    key: join(root, 'etc/pki/vdsm/keys/vdsmkey.pem'),
    cert: join(root, 'etc/pki/vdsm/certs/vdsmcert.pem'),
    ca: join(root, 'etc/pki/vdsm/certs/cacert.pem'),
  };
}
