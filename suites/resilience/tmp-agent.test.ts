import { fileURLToPath } from 'node:url';
import { it } from 'vitest';
import { call } from '../../harness/index.ts';
import { makePki, startAgent } from '../agent/fixture.ts';
it('probe', async () => {
  const pki = await makePki();
  for (const name of ['huge-reply', 'junk-value']) {
    await using agent = await startAgent(pki, { program: fileURLToPath(new URL(`../../fixtures/broken-agents/${name}.ts`, import.meta.url)) });
    const t = performance.now();
    const outs = await Promise.all(Array.from({ length: 8 }, () => call({ target: `[::1]:${agent.port}`, method: 'getVdsCapabilities', tls: { ...pki.client, identity: 'agent.sixgate.test' } })));
    console.log(name, Math.round(performance.now() - t), outs.map((o) => o.ok ? 'ok' : `${o.phase}/${o.failure} ${o.message.slice(0, 100)}`));
    console.log(agent.logs().slice(0, 300).replace(/[\u0000-\u001f]/g, '.'));
  }
}, 120000);
