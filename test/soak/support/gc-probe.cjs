// Preloaded into the soaked supervisor (`node --expose-gc --require gc-probe.cjs …`): every few
// seconds, a full garbage collection and one JSON line of process.memoryUsage() appended to the file
// named by SOAK_GC_PROBE_FILE. The heap left after a full collection is what a leak would grow; RSS
// alone also moves with garbage not yet collected and code the JIT compiles. Measurement only: it
// changes nothing the supervisor does.
const { appendFileSync } = require('node:fs');

const file = process.env.SOAK_GC_PROBE_FILE;
if (file && typeof global.gc === 'function') {
  const started = Date.now();
  const timer = setInterval(
    () => {
      global.gc();
      const { heapUsed, heapTotal, rss, external } = process.memoryUsage();
      appendFileSync(
        file,
        `${JSON.stringify({ atMs: Date.now() - started, heapUsed, heapTotal, rss, external })}\n`,
      );
    },
    Number(process.env.SOAK_GC_PROBE_EVERY_MS ?? 5000),
  );
  timer.unref();
}
