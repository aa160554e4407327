/**
 * Single-flight for reads that go to MySQL without a cache generation to key on (Redis timing
 * out, refusing, or known down). Sharing a query is only safe for a reader if the query was sent
 * after the reader's request began: then every write answered before the request began (on this
 * replica or any other) has committed before the query ran. So a reader joins the running query
 * when it was dispatched after the reader started, and otherwise waits for the next one, which
 * every reader arriving meanwhile shares. Per key there is at most one query running and one
 * waiting, whatever the number of concurrent readers.
 */

interface Flight<T> {
  /** performance.now() when the query was sent. */
  readonly dispatchedAt: number;
  readonly result: Promise<T>;
}

/** Coalesces loads per key without ever handing a reader data older than its own start. */
export class FreshFlight<T> {
  readonly #running = new Map<string, Flight<T>>();
  readonly #next = new Map<string, Promise<T>>();

  /**
   * Runs `load` for `key`, or shares a load that is fresh enough for a reader that started at
   * `startedAt` (a performance.now() value taken when its request reached the read path).
   */
  run(key: string, startedAt: number, load: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key);
    if (!running) return this.#dispatch(key, load);
    if (running.dispatchedAt >= startedAt) return running.result;
    let next = this.#next.get(key);
    if (!next) {
      const settle = (): Promise<T> => {
        this.#next.delete(key);
        return this.#dispatch(key, load);
      };
      next = running.result.then(settle, settle);
      this.#next.set(key, next);
    }
    return next;
  }

  /** Queries running or waiting (for tests). */
  get size(): number {
    return this.#running.size + this.#next.size;
  }

  #dispatch(key: string, load: () => Promise<T>): Promise<T> {
    const dispatchedAt = performance.now();
    const result = Promise.resolve().then(load);
    const flight = { dispatchedAt, result };
    this.#running.set(key, flight);
    const forget = (): void => {
      if (this.#running.get(key) === flight) this.#running.delete(key);
    };
    result.then(forget, forget);
    return result;
  }
}
