/**
 * Collapses concurrent calls for the same key into one: while a load for `key` is running, every
 * other caller for `key` awaits the same promise instead of starting its own database query.
 */
export class SingleFlight<T> {
  readonly #inflight = new Map<string, Promise<T>>();

  /** Runs `load` unless a load for `key` is already running, whose result is shared. */
  run(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.#inflight.get(key);
    if (running) return running;
    const started = load();
    this.#inflight.set(key, started);
    const forget = (): void => {
      this.#inflight.delete(key);
    };
    // Forget on success and failure alike; callers get the rejection through `started` itself.
    started.then(forget, forget);
    return started;
  }

  /** Number of loads currently running (for tests). */
  get size(): number {
    return this.#inflight.size;
  }
}
