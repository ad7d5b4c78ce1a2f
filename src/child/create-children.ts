/** One command, or the processes of a Procfile: the orchestrator gets `Children` either way. */
import type { ProcessSpec } from '../procfile/process-spec.js';
import type { BackoffPolicy } from '../supervisor/backoff.js';
import { ChildGroup } from './child-group.js';
import type { RecordedGroup } from './child-runner.js';
import { ChildSlot } from './child-slot.js';
import type { Children, ChildrenConfig } from './children.js';

export function createChildren(
  config: ChildrenConfig & {
    /** Several commands under one credential session (`--procfile`, config `processes`). */
    processes?: readonly ProcessSpec[] | undefined;
    /** Each process's crash backoff (a Procfile's processes restart on their own). */
    backoff: BackoffPolicy;
    onOtherChildGroups?: ((groups: RecordedGroup[]) => void) | undefined;
  },
): Children {
  const { processes } = config;
  return processes ? new ChildGroup({ ...config, processes }) : new ChildSlot(config);
}
