// The wait for a host to listen blames the host only for time in which sixgate could see it:
// while our own probe does not answer (its node still starting on a loaded machine) nothing was
// seen, that time is not the host's, and a probe silent past its cap is sixgate's error — never
// "the agent did not listen". The probe and the container here are stand-ins with that timing.
import { describe, expect, it } from 'vitest';
import { SixgateTimeoutError, Teardown, waitListening } from '../../harness/index.ts';

type Args = Parameters<typeof waitListening>;
const PORT = 54321;

/** A host whose probe times out `silent` times (each after `silenceMs`), then sees `listens`. */
function host(silent: number, silenceMs: number, listens: boolean) {
  let asked = 0;
  const probe = {
    request: async () => {
      asked++;
      if (asked <= silent) {
        await new Promise((r) => setTimeout(r, silenceMs));
        throw new SixgateTimeoutError('probe listeners reply', silenceMs);
      }
      return listens ? [{ port: PORT, display: `[::]:${PORT}` }] : [];
    },
    close: () => undefined,
  };
  const running = {
    planned: { key: 'wildcard', role: 'agent', containerName: 'sixgate-t-wildcard' },
    main: { inspect: async () => ({ State: { Running: true, ExitCode: 0 } }) },
    probe,
    probeName: 'sixgate-t-wildcard-probe',
  };
  const ctx = { teardown: new Teardown() };
  return {
    ctx: ctx as unknown as Args[0],
    host: running as unknown as Args[1],
    asked: () => asked,
  };
}

describe('the listen wait', () => {
  it('does not count a silent probe against the host: listening seen after 3 silent polls passes', async () => {
    // 3 × 150 ms unseen is past the host's 2 × 100 ms; what was seen of it was in time.
    const h = host(3, 150, true);
    await expect(waitListening(h.ctx, h.host, PORT, 100, 5_000)).resolves.toEqual({
      retried: false,
    });
    expect(h.asked()).toBe(4);
  });

  it('still fails a host seen not listening for its whole wait, as the target', async () => {
    const h = host(0, 0, false);
    await expect(waitListening(h.ctx, h.host, PORT, 100, 5_000)).rejects.toMatchObject({
      code: 'SIXGATE_TARGET_START',
      message: `the agent did not listen on port ${PORT} within 200 ms (100 ms, then once more)`,
    });
  });

  it("a probe silent past its cap is sixgate's timeout, not a verdict on the host", async () => {
    const h = host(Infinity, 150, true);
    const err = await waitListening(h.ctx, h.host, PORT, 100, 400).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SixgateTimeoutError);
    expect((err as Error).message).toMatch(/sixgate's probe in sixgate-t-wildcard-probe to answer/);
  });
});
