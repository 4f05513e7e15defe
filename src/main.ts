// `coslocal serve` (the default command): read config, start the server, print how to use it, stop cleanly on
// signals. With --workers, this process is the primary or one of its workers (workers.ts).
import cluster from 'node:cluster';
import { startApp } from './app.ts';
import { banner } from './banner.ts';
import { parseConfig } from './config.ts';
import { pinoLogger } from './http/log.ts';
import { runPrimary, runWorker } from './workers.ts';

export async function serve(argv: readonly string[]): Promise<void> {
  const config = parseConfig(argv, process.env);
  const env = { secretId: process.env['COSLOCAL_SECRET_ID'], secretKey: process.env['COSLOCAL_SECRET_KEY'] };
  if (config.workers > 0) {
    if (cluster.isWorker) return runWorker(config, pinoLogger(config.logLevel, undefined, { pid: process.pid }), env);
    return runPrimary(config, pinoLogger(config.logLevel, undefined, { pid: process.pid, primary: true }), env);
  }
  const app = await startApp(config, { log: pinoLogger(config.logLevel), env });
  process.stdout.write(banner(config, app.port, app.defaultCredential, app.storage, app.httpsPort));
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`coslocal: ${signal}, finishing in-flight requests\n`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`coslocal: error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
