import { describe, expect, it } from 'vitest';
import { dockerClient, ensureImage } from '../../harness/index.ts';
import { dockerReason, dockerTitle } from '../support/docker-gate.ts';

describe.skipIf(dockerReason)(dockerTitle('offline image'), () => {
  it('is reused, not rebuilt, when nothing that goes into it changed', async () => {
    const docker = dockerClient();
    const first = await ensureImage(docker);
    const second = await ensureImage(docker);
    expect(second.tag).toBe(first.tag);
    expect(second.built).toBe(false);
    expect(second.programs).toContain('probe');
    const inspect = await docker.getImage(second.tag).inspect();
    expect(inspect.Config.Labels?.['sixgate.image']).toBe('1');
    console.info(
      `image ${second.tag}: first ${first.elapsedMs} ms (built: ${first.built}), cached ${second.elapsedMs} ms`,
    );
  });
});
