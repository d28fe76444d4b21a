/**
 * One lane per bus app for the calls the server makes to it (webhook pushes, alerts): at most one call
 * in flight per app, so an app's slow receiver only ever holds its own deliveries, and at most
 * `parallel` in all, so a host serving many towns does not open a socket per app at once.
 */
export function createLanes(parallel: number) {
  const inFlight = new Set<number>();
  /** When each app was last served: the longest-waiting go first, so slow apps that keep coming back do not starve the others. */
  const served = new Map<number, number>();
  let turn = 0;
  return {
    /**
     * Starts `task` for each app of `appIds` with nothing in flight, while lanes are free; resolves, once
     * those end, to their results. Apps left out (busy, or past the cap) are for a later call.
     */
    async each<T>(appIds: number[], task: (appId: number) => Promise<T>): Promise<T[]> {
      const free = appIds
        .filter((id) => !inFlight.has(id))
        .sort((a, b) => (served.get(a) ?? -1) - (served.get(b) ?? -1))
        .slice(0, Math.max(0, parallel - inFlight.size));
      return Promise.all(
        free.map(async (id) => {
          inFlight.add(id);
          served.set(id, turn++);
          try {
            return await task(id);
          } finally {
            inFlight.delete(id);
          }
        }),
      );
    },
  };
}
