/**
 * A child that fetched credentials from the endpoint before a rotation and never asked again since
 * still signs with the old ones; when those are about to expire (the orchestrator checks just
 * before), only a restart hands it the new ones. Its `cdk watch` would otherwise go silent.
 */
import { hasActiveChild, type Step, stay, stopChild } from './steps.js';
import type { SupervisorState } from './types.js';

export function onChildMissedRotation(state: SupervisorState): Step {
  if (!hasActiveChild(state) || !state.credentials || state.stop) return stay(state);
  const stopping = stopChild(
    {
      ...state,
      status: 'starting',
      child: { ...state.child!, candidateId: state.credentials.candidateId },
    },
    'restart',
    { kind: 'restart' },
  );
  stopping.effects.unshift({
    type: 'print',
    level: 'warn',
    message:
      'The command never asked for the credentials that replaced the ones it started with, and those expire soon: restarting it so it picks up the new ones.',
  });
  return stopping;
}
