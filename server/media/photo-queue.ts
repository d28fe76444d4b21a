/** One request's place in the photo queue: from its first photo part until its photos are re-encoded. */
export interface QueuePlace {
  /** Runs `work` once one of the queue's workers is free (at most `workers` run at once). */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Gives the place back; the next caller may enter. Safe to call twice. */
  leave(): void;
}

export interface PhotoQueue {
  /** A place, or undefined when `workers + waiting` requests already hold one: refuse quickly then. */
  enter(): QueuePlace | undefined;
}

export interface PhotoQueueOptions {
  /** Photos re-encoded at once: decoding is CPU- and memory-heavy, so a small fixed number. */
  workers: number;
  /** Requests that may hold a place beyond the workers, their photo being read or awaiting a worker. */
  waiting: number;
}

/**
 * Bounds photo work: at most `workers + waiting` requests hold photo bytes at any time (each one photo
 * at a time, at most its byte limit), and at most `workers` photos are decoded at once. So the memory
 * photos take is bounded whatever the traffic, and a request beyond the bound is refused at once
 * (before any of its photo bytes is read) rather than left to wait behind the others.
 *
 * @example
 * const place = queue.enter();
 * if (!place) throw busy();
 * try { photo = await place.run(() => processPhoto(bytes, options)); } finally { place.leave(); }
 */
export function createPhotoQueue(options: PhotoQueueOptions): PhotoQueue {
  const { workers, waiting } = options;
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError('workers must be a positive integer');
  if (!Number.isInteger(waiting) || waiting < 0) throw new RangeError('waiting must be a whole number');
  let held = 0;
  let running = 0;
  const turns: (() => void)[] = [];
  /** A finished worker hands its turn straight to the first in line, so no newcomer slips in between. */
  const next = () => {
    const turn = turns.shift();
    if (turn) turn();
    else running--;
  };
  return {
    enter() {
      if (held >= workers + waiting) return undefined;
      held++;
      let left = false;
      return {
        async run(work) {
          if (running < workers) running++;
          else await new Promise<void>((resolve) => turns.push(resolve));
          try {
            return await work();
          } finally {
            next();
          }
        },
        leave() {
          if (left) return;
          left = true;
          held--;
        },
      };
    },
  };
}
