// The package's programmatic entry (`import { startServer } from 'coslocal'`): the server in-process, e.g. inside a test suite.
export { startServer, type CoslocalServer, type CosSdkOptions, type S3ClientOptions, type StartServerOptions } from './start-server.ts';
export type { FaultEffect, FaultRuleSpec, FaultRuleView } from './admin/faults.ts';
export type { ClockState, TestClock } from './admin/test-clock.ts';
export { startApp, type App, type AppOptions } from './app.ts';
export { ConfigError, parseConfig, type Config } from './config.ts';
export { pinoLogger, silentLogger, type Logger, type LogLevel } from './http/log.ts';
