/**
 * Events handled one at a time, in order: an event raised while one is being handled (an effect that
 * answers at once, a listener) waits for it to finish instead of interleaving with it.
 */
export function serialQueue<T>(handle: (item: T) => void): (item: T) => void {
  const queue: T[] = [];
  let running = false;
  return (item) => {
    queue.push(item);
    if (running) return;
    running = true;
    try {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) handle(next);
    } finally {
      running = false;
    }
  };
}
