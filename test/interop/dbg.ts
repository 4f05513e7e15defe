import { startInterop } from './harness.ts';
const x = await startInterop();
console.log('ENDPOINT', x.endpoint);
await new Promise((r) => setTimeout(r, 100_000));
await x.close();
