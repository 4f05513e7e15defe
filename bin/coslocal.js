#!/usr/bin/env node
// The installed `coslocal` command; the TypeScript sources are compiled to dist/ by `npm ci` (prepare).
import '../dist/cli.js';
