// Asking for an engine container where there is no Docker: a listed gap with a remedy, never a
// silent topology without an engine, and no client that dials nothing.
import { describe, expect, it } from 'vitest';
import { engineClientFor, startTopology, UsageError } from '../../harness/index.ts';

describe('engine in a topology without Docker', () => {
  it('is listed as unavailable, and engineClientFor refuses with a hint', async () => {
    await using topology = await startTopology({
      mode: 'dual-stack',
      provider: 'local',
      agents: [],
      engine: true,
    });
    expect(topology.engine).toBeUndefined();
    expect(topology.unavailable).toContainEqual(
      expect.objectContaining({ what: 'engine', remedy: expect.stringMatching(/docker/) }),
    );
    expect(() => engineClientFor(topology)).toThrow(UsageError);
  });
});
