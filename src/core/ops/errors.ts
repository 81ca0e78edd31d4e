// Errors of the change pipeline. Each message is meant for the user as-is: it says what was
// refused or what failed, and what state the host is in.

/** Why a compose edit or a plan was refused before anything touched the host. */
export type RefusalCode =
  | 'invalid-name'
  | 'unknown-service'
  | 'not-producer'
  | 'file-producer'
  | 'no-csc-list'
  | 'csc-list-not-exact'
  | 'csc-present'
  | 'csc-absent'
  | 'last-csc'
  | 'lint-errors'
  | 'edit-check-failed'
  | 'no-change'
  | 'not-running'
  | 'hot-add-disabled'
  | 'hot-add-layout'
  | 'env-file-missing'
  | 'env-unset'
  // provision-dev / take-down-dev (core/devProducers/plans.ts)
  | 'dev-request'
  // upgrade-cycle (core/upgrade/planUpgrade.ts)
  | 'unknown-target'
  | 'upgrade-refused'
  | 'outside-directory'
  | 'images-missing';

/** A change that was refused; nothing was sent to the host. */
export class OpsRefusedError extends Error {
  constructor(
    readonly code: RefusalCode,
    message: string,
    /** Extra lines the UI can show (e.g. the lint errors the change would add). */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'OpsRefusedError';
  }
}
