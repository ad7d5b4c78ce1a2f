export type ControlErrorCode =
  | 'STATE_DIR_INVALID' // the state dir path is taken by something that is not a private directory
  | 'LOCKED' // another supervisor holds this directory
  | 'LOCK_FAILED' // the lock could not be taken for another reason
  | 'NO_SUPERVISOR' // nothing answers on the control socket
  | 'TIMEOUT' // the supervisor did not answer in time
  | 'PROTOCOL' // a request or reply that is not what the protocol says
  | 'REFUSED' // the supervisor answered with an error
  | 'STOPPING'; // the supervisor hung up without answering: it is on its way out

/** A problem with the lock, the state dir or the control socket. Messages name the fix. */
export class ControlError extends Error {
  override readonly name = 'ControlError';
  constructor(
    readonly code: ControlErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A live supervisor already holds the directory. */
export class LockHeldError extends ControlError {
  constructor(
    readonly holderPid: number | null,
    readonly stateDir: string,
    message: string,
  ) {
    super('LOCKED', message);
  }
}
