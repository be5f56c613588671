// Docker tests run wherever a daemon answers. Without one they skip with the reason, except in
// CI, where a missing daemon is a failure, never a silent pass.
import { dockerClient, dockerFacts } from '../../harness/index.ts';

export const dockerReason = await dockerFacts(dockerClient()).then(
  () => undefined,
  (err: Error) => `no Docker daemon reachable (${err.message}); run bash scripts/ensure-docker.sh`,
);
if (dockerReason && process.env.CI) throw new Error(`CI needs Docker: ${dockerReason}`);

export const dockerTitle = (title: string) =>
  dockerReason ? `${title} [skipped: ${dockerReason}]` : title;
