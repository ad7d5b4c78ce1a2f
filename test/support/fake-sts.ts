/** The test suite's fake STS is the same loopback stand-in the demo ships. */
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { LocalSts } from '../../src/demo/local-sts.js';
import { assertBuilt } from './built-cli.js';

export type {
  LocalStsKey as FakeStsKey,
  LocalStsRequest as FakeStsRequest,
} from '../../src/demo/local-sts.js';
export { DEFAULT_ACCOUNT, LocalSts as FakeSts } from '../../src/demo/local-sts.js';

/**
 * The hooks of a file whose tests each build their own project: the CLI built, a fresh fake STS per
 * test, closed after it. `onEach` hands it to the file's variable before each test.
 */
export function useFakeSts(onEach: (sts: LocalSts) => void): void {
  let sts: LocalSts;
  beforeAll(assertBuilt);
  beforeEach(async () => {
    sts = await LocalSts.start();
    onEach(sts);
  });
  afterEach(async () => {
    await sts.close();
  });
}
