import type { AgentPaths, EngineSpec } from '../providers/contract.ts';

/**
 * A target profile: what a vendor points sixgate at. Every field is optional but `name`; what
 * is left out is the reference implementation.
 *
 * ```json
 * { "name": "acme-2.1",
 *   "agent": { "build": "./agent", "mutualTls": true,
 *              "paths": { "conf": "/etc/acme/agent.conf" } },
 *   "engine": { "image": "acme/engine:2.1", "port": 8443, "apiBase": "/ovirt-engine/api" } }
 * ```
 */
export interface Profile {
  /**
   * Names the target in reports, container names and built images (`sixgate-profile/<name>-agent`):
   * one Docker repository name component, 1–63 of a-z and 0-9 joined by `.`, `_`, `__` or dashes.
   */
  name: string;
  agent?: ProfileAgent;
  engine?: ProfileEngine;
}

export interface ProfileEngine extends EngineSpec {
  /** A build context (a folder with a Dockerfile), relative to the profile file. */
  build?: string;
}

export interface ProfileAgent {
  /**
   * A local image whose own entrypoint runs the agent (a Docker reference the daemon has; never
   * pulled). sixgate writes `/etc/vdsm/vdsm.conf` (`[addresses] management_ip`,
   * `management_port`; `[vars] ssl_verify_client`) and the PKI files under `/etc/pki/vdsm` into
   * it before it starts, owned by the image's `USER`.
   */
  image?: string;
  /** A program inside the sixgate image instead (`agent`, or a broken fixture such as `agent-v6only`). */
  program?: string;
  /** A build context (a folder with a Dockerfile), relative to the profile file; built offline. */
  build?: string;
  /** Whether the agent demands a client certificate signed by the run's CA. @default true */
  mutualTls?: boolean;
  /** Where the image reads its config and PKI, when not at vdsm's paths. */
  paths?: Partial<AgentPaths>;
}
