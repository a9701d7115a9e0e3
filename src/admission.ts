// Admission control for answers: at most `concurrent` answers compute at once per process, up to
// `queued` more wait their turn in arrival order, and past that a request is refused at once (the
// adapter says "busy, try again"). Bounding the work in flight is what keeps the event loop free
// to acknowledge new requests within the platforms' deadlines (Slack: 3 s) during a burst.

export type AdmissionLimits = { concurrent: number; queued: number };

export const DEFAULT_ADMISSION: AdmissionLimits = { concurrent: 6, queued: 200 };

export type Admission = {
  /** Run `work` when a slot is free; undefined (work not started) when the queue is full. */
  admit<T>(work: () => Promise<T>): Promise<T> | undefined;
  /** Answers computing now, and waiting. */
  readonly running: number;
  readonly waiting: number;
  readonly limits: AdmissionLimits;
};

/**
 * @example
 * const gate = createAdmission({ concurrent: 6, queued: 200 });
 * const answer = gate.admit(() => bot.handle(request));
 * if (!answer) return busyReply(); // 206 requests already in
 */
export function createAdmission(limits: AdmissionLimits = DEFAULT_ADMISSION): Admission {
  if (!(Number.isInteger(limits.concurrent) && limits.concurrent >= 1)) throw new Error(`concurrent answers must be a positive integer, got ${limits.concurrent}`);
  if (!(Number.isInteger(limits.queued) && limits.queued >= 0)) throw new Error(`queued answers must be a non-negative integer, got ${limits.queued}`);
  let running = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    running--;
    const next = queue.shift();
    if (next) {
      running++;
      next();
    }
  };
  return {
    limits,
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
    admit<T>(work: () => Promise<T>): Promise<T> | undefined {
      const start = (): Promise<T> => {
        let p: Promise<T>;
        try {
          p = work();
        } catch (e) {
          p = Promise.reject(e);
        }
        return p.finally(release);
      };
      if (running < limits.concurrent) {
        running++;
        return start();
      }
      if (queue.length >= limits.queued) return undefined;
      return new Promise<T>((resolve, reject) => queue.push(() => start().then(resolve, reject)));
    },
  };
}
