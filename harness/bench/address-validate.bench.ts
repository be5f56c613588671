import { loadCorpus, validate } from '../address/index.ts';
import type { ThroughputBench } from './bench.ts';

const bench: ThroughputBench = {
  name: 'address: validate() over the whole corpus',
  unit: 'validations',
  setup() {
    const cases = loadCorpus().map((c) => ({ field: c.field, input: c.input }));
    return () => {
      // Reading a result keeps the JIT from dropping the call as dead code.
      let valid = 0;
      for (const c of cases) if (validate(c.field, c.input).valid) valid++;
      return valid >= 0 ? cases.length : 0;
    };
  },
};

export default bench;
