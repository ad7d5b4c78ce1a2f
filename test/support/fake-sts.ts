/** The test suite's fake STS is the same loopback stand-in the demo ships. */

export type {
  LocalStsKey as FakeStsKey,
  LocalStsRequest as FakeStsRequest,
} from '../../src/demo/local-sts.js';
export { DEFAULT_ACCOUNT, LocalSts as FakeSts } from '../../src/demo/local-sts.js';
