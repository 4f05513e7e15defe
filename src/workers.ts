// `coslocal --workers N` (node:cluster): a primary that holds the store's lock and does the start-up work
// once, and N worker processes that share its port and the store and serve the requests. The primary
// serves nothing; it replaces a worker that dies and stops them all on SIGTERM or SIGINT.
//
// A scrape of GET /_coslocal/metrics reaches one worker, which asks the primary for every worker's metrics
// added up (prom-client's AggregatorRegistry), so counters do not jump between workers from one scrape to
// the next. Each worker keeps its caches, rechecked against the store (README, "Several processes"). The
// test clock and fault rules would be per-process, so --test-controls is refused with --workers (config.ts).
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { preparePrimary, startApp } from './app.ts';
import { banner } from './banner.ts';
import type { Config } from './config.ts';
import type { Logger } from './http/log.ts';

type ServerEnv = { secretId: string | undefined; secretKey: string | undefined };

/** What a worker tells the primary once it listens. */
interface Ready {
  ready: { port: number; httpsPort: number | undefined };
}

/** A worker's request for the cluster's metrics, and the primary's answer, matched by id. */
interface MetricsAsked {
  metricsAsked: number;
}
interface MetricsAnswer {
  metricsAnswer: number;
  text: string;
}

type Message = Ready | MetricsAsked | MetricsAnswer;

/** Which kind of message an IPC message is, told by its one distinguishing field. */
const isMessage = <K extends keyof Ready | keyof MetricsAsked | keyof MetricsAnswer>(message: unknown, field: K): message is Extract<Message, Record<K, unknown>> =>
  typeof message === 'object' && message !== null && field in message;

export async function runPrimary(config: Config, log: Logger, env: ServerEnv): Promise<void> {
  const primary = await preparePrimary(config, { log, env });
  const ready = new Set<Worker>();
  let stopping = false;
  let serving = false;
  let started: (ports: Ready['ready']) => void = () => undefined;
  let failed: (error: Error) => void = () => undefined;
  const firstReady = new Promise<Ready['ready']>((resolve, reject) => {
    started = resolve;
    failed = reject;
  });

  const stopAll = async (code: number): Promise<never> => {
    stopping = true;
    const stopped = (worker: Worker): Promise<void> =>
      new Promise((resolve) => {
        if (worker.isDead()) return resolve();
        worker.once('exit', () => resolve());
        worker.process.kill('SIGTERM');
      });
    await Promise.all(Object.values(cluster.workers ?? {}).flatMap((worker) => (worker ? [stopped(worker)] : [])));
    await primary.close();
    process.exit(code);
  };

  const metrics = new AggregatorRegistry();
  const fork = (): void => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if (isMessage(message, 'metricsAsked')) {
        const answer = (text: string): void => void worker.send({ metricsAnswer: message.metricsAsked, text } satisfies MetricsAnswer);
        metrics.clusterMetrics().then(answer, (error: unknown) => answer(`# coslocal: could not gather the workers' metrics: ${String(error)}\n`));
        return;
      }
      if (!isMessage(message, 'ready')) return;
      ready.add(worker);
      if (ready.size === config.workers) started(message.ready);
    });
  };
  cluster.on('exit', (worker, code, signal) => {
    const wasReady = ready.delete(worker);
    if (stopping) return;
    const pid = worker.process.pid;
    if (wasReady) {
      log.error({ msg: 'a worker died; starting another', worker: pid, code, signal });
      return fork();
    }
    // A worker that never got to listen will not the next time either (a port taken, a bad certificate).
    const why = `worker ${pid ?? '?'} exited before it was ready (code ${code}, signal ${signal ?? 'none'})`;
    if (serving) log.error({ msg: `${why}; not replaced`, worker: pid });
    else failed(new Error(why));
  });

  for (let i = 0; i < config.workers; i++) fork();
  let ports: Ready['ready'];
  try {
    ports = await firstReady;
  } catch (error) {
    process.stderr.write(`coslocal: ${String(error instanceof Error ? error.message : error)}\n`);
    return stopAll(1);
  }
  serving = true;
  const pids = [...ready].map((w) => w.process.pid).join(', ');
  // One write: the banner and the workers' line arrive together.
  const workersLine = `Serving from ${config.workers} worker processes (pids ${pids}); this primary (pid ${process.pid}) replaces one that dies.\n`;
  process.stdout.write(banner(config, ports.port, primary.defaultCredential, primary.storage, ports.httpsPort) + workersLine);
  const stop = (signal: string): void => {
    if (stopping) return;
    process.stdout.write(`coslocal: ${signal}, stopping the workers\n`);
    void stopAll(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** A worker's way to every worker's metrics added up: it asks the primary. */
function metricsFromPrimary(): () => Promise<string> {
  let asked = 0;
  return () => {
    const id = ++asked;
    return new Promise((resolve) => {
      const heard = (message: unknown): void => {
        if (!isMessage(message, 'metricsAnswer') || message.metricsAnswer !== id) return;
        process.off('message', heard);
        resolve(message.text);
      };
      process.on('message', heard);
      process.send?.({ metricsAsked: id } satisfies MetricsAsked);
    });
  };
}

export async function runWorker(config: Config, log: Logger, env: ServerEnv): Promise<void> {
  const app = await startApp(config, { log, env, role: 'worker', clusterMetrics: metricsFromPrimary() }).catch((error: unknown) => {
    // The channel to the primary keeps this process alive: let go of it, so the failure ends the worker.
    process.disconnect?.();
    throw error;
  });
  process.send?.({ ready: { port: app.port, httpsPort: app.httpsPort } } satisfies Ready);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ msg: 'error while stopping', error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  // A terminal's Ctrl-C reaches every process of the group: the primary, which stops the workers, decides.
  process.on('SIGINT', () => undefined);
  // The primary is gone (kill -9): nobody would replace or stop this worker.
  process.on('disconnect', stop);
}
