/** How far a sweep or a walk-forward run has come, as given to `onProgress`. */
export interface SweepProgress {
  /** The backtests finished so far, failed ones included. */
  readonly done: number;
  /** The backtests in all. */
  readonly total: number;
}
