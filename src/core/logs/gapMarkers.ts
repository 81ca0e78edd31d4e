// The marker lines a log pane writes where a container's log stopped arriving and where it came
// back, decided from the follower's state alone so every pane (and the tests) agree. Only a real
// gap gets them (a broken stream, a lost connection: lines may be missing until the resume). A run
// that ended (stop, restart, the removal of a re-create) gets none: the next run's start marker,
// written by LogIngest, is the one line a pane shows for it, and Docker's 404 for the removed
// container is never shown.
import type { FollowState } from './containerLogFollower';

export interface GapSource {
  readonly state: FollowState;
  readonly interruption: string | undefined;
  /** The last timestamp accepted, where the resume continues from. */
  readonly lastTimestamp: string | undefined;
}

export class GapMarkers {
  private open = false;

  /** Call on each state change of the follower; returns the marker line to show, if any. */
  next(f: GapSource): string | undefined {
    if (!this.open && f.state !== 'following' && f.interruption !== undefined) {
      this.open = true;
      return `── log stream interrupted (${f.interruption}); will resume after the last line seen ──`;
    }
    if (this.open && f.state === 'following') {
      this.open = false;
      return `── resumed after ${f.lastTimestamp ?? 'the start'} ──`;
    }
    return undefined;
  }
}
