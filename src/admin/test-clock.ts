// The test clock (a test control, --test-controls): the time the request path sees (signature windows,
// presigned URL and temporary-key expiry, RequestTimeTooSkewed, Last-Modified), set or moved by tests
// through `--clock` and the admin endpoint `/_coslocal/v1/clock`, so that expiry is tested in seconds.

export interface ClockState {
  /** Epoch milliseconds. */
  now: number;
  /** How far the clock is from the real one, in ms. */
  offsetMs: number;
  /** A frozen clock stands still until set or moved. */
  frozen: boolean;
}

export class TestClock {
  readonly #real: () => number;
  #offset = 0;
  #frozenAt: number | undefined;
  readonly #listeners: (() => void)[] = [];

  /** `real`: the clock this one is an offset from (Date.now, or a test's own). */
  constructor(real: () => number) {
    this.#real = real;
  }

  /** Calls `listener` after every change of the time (set, advance, freeze, restore): the job runner wakes to see what is due. */
  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  /** Epoch milliseconds; an arrow, so it can be handed out as the server's clock. */
  readonly now = (): number => this.#frozenAt ?? this.#real() + this.#offset;

  /** The real time this clock is an offset from. */
  real(): number {
    return this.#real();
  }

  state(): ClockState {
    const real = this.#real();
    const now = this.#frozenAt ?? real + this.#offset;
    return { now, offsetMs: now - real, frozen: this.#frozenAt !== undefined };
  }

  /** Jumps to `time` (epoch ms); a frozen clock stays frozen there, a running one runs on from there. */
  set(time: number): void {
    if (this.#frozenAt !== undefined) this.#frozenAt = time;
    else this.#offset = time - this.#real();
    this.#changed();
  }

  advance(ms: number): void {
    this.set(this.now() + ms);
  }

  /** Stops the clock at the current time, or lets it run again from there. */
  freeze(frozen: boolean): void {
    const now = this.now();
    if (frozen) this.#frozenAt = now;
    else {
      this.#frozenAt = undefined;
      this.#offset = now - this.#real();
    }
    this.#changed();
  }

  /** Back to the real time, running. */
  restore(): void {
    this.#frozenAt = undefined;
    this.#offset = 0;
    this.#changed();
  }
}

/** An ISO 8601 time or epoch milliseconds, as `--clock` and the clock endpoint take it. */
export function parseTime(text: string): number | undefined {
  const time = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  return Number.isSafeInteger(time) ? time : undefined;
}
