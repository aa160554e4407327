/**
 * One `MGET` per event-loop turn for every cached read that starts in that turn. Under load many
 * requests become readable in the same turn (the cached-read bench saw about 20 per `epoll`
 * wake-up at 50 connections); each used to send its own `MGET` of a generation and an entry,
 * so Redis parsed, ran and answered 20 commands and ioredis built 20 of everything where one
 * command carrying the distinct keys does.
 *
 * Consistency is unchanged: the `MGET` leaves in `setImmediate`, after every read that joined it
 * has started, so it reflects every write whose answer any of them could have seen (a write
 * bumps its generation in Redis before it answers). A read never joins a command that was
 * already sent.
 */

/** Reads of one turn: the distinct keys and who waits for which of them. */
interface Batch {
  keys: Map<string, number>;
  waiters: Array<{
    slots: number[];
    resolve(values: Array<string | null>): void;
    reject(error: unknown): void;
  }>;
}

/** Collects key reads during a turn and sends them as one multi-key read. */
export class TurnBatchedMget {
  readonly #mget: (keys: string[]) => Promise<Array<string | null>>;
  #batch: Batch | undefined;

  /** `mget` reads the keys in one command and returns their values in order (null when absent). */
  constructor(mget: (keys: string[]) => Promise<Array<string | null>>) {
    this.#mget = mget;
  }

  /** The values of `keys`, in order, read by the turn's shared command. */
  get(keys: readonly string[]): Promise<Array<string | null>> {
    let batch = this.#batch;
    if (!batch) {
      batch = this.#batch = { keys: new Map(), waiters: [] };
      setImmediate(() => this.#send());
    }
    const slots = keys.map((key) => {
      let slot = batch.keys.get(key);
      if (slot === undefined) {
        slot = batch.keys.size;
        batch.keys.set(key, slot);
      }
      return slot;
    });
    return new Promise((resolve, reject) => {
      batch.waiters.push({ slots, resolve, reject });
    });
  }

  #send(): void {
    const batch = this.#batch!;
    this.#batch = undefined;
    let sent: Promise<Array<string | null>>;
    try {
      sent = this.#mget([...batch.keys.keys()]);
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(
      (values) => {
        for (const waiter of batch.waiters)
          waiter.resolve(waiter.slots.map((s) => values[s] ?? null));
      },
      (error: unknown) => {
        for (const waiter of batch.waiters) waiter.reject(error);
      },
    );
  }
}
