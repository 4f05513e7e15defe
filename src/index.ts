// The package's programmatic entry (`import { startApp } from 'coslocal'`): the server in-process, e.g. inside a test suite.
export { startApp, type App, type AppOptions } from './app.ts';
export { ConfigError, parseConfig, type Config } from './config.ts';
export { pinoLogger, silentLogger, type Logger, type LogLevel } from './http/log.ts';
