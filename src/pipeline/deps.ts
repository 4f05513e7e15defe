// What the request pipeline is built from: the stores, the keyring and the settings app.ts hands it once.
import type { ServerStatus } from '../admin/http-endpoint.ts';
import type { ServerMetrics } from '../admin/metrics.ts';
import type { TestControlDeps } from '../admin/test-control-endpoints.ts';
import type { PolicyCache } from '../api/common/policy-cache.ts';
import type { SingleUseLedger } from '../auth/cosv4/single-use.ts';
import type { Keyring } from '../auth/keyring.ts';
import type { Cidr } from '../authz/policy/ip.ts';
import type { Logger } from '../http/log.ts';
import type { JobRunner } from '../jobs/runner.ts';
import type { BlobKeeper } from '../storage/blob-keeper.ts';
import type { MetadataStore } from '../storage/metadata.ts';

export interface HandlerDeps extends TestControlDeps {
  meta: MetadataStore;
  blobs: BlobKeeper;
  /** The SSE-COS key. */
  serverKey: Buffer;
  keyring: Keyring;
  region: string;
  domains: readonly string[];
  log: Logger;
  /** Epoch milliseconds; injected for tests. */
  clock: () => number;
  policies: PolicyCache;
  /** Refuse what COS's S3 endpoint refuses (config `strictCosS3`). */
  strictCosS3: boolean;
  /** Accept signatures that do not bind the bucket, each with a warning (config `allowUnboundSignatures`). */
  allowUnboundSignatures: boolean;
  /** The single-use legacy V4 signatures already accepted, each refused thereafter. */
  singleUse: SingleUseLedger;
  /** Logs running out of file descriptors, throttled (log.ts `throttled`); true when the error was that. */
  outOfDescriptors: (error: unknown) => boolean;
  /** For health probes. */
  status: () => ServerStatus;
  metrics: ServerMetrics;
  /** The background jobs, for the admin endpoint. */
  jobs: JobRunner;
  /** Proxies whose X-Forwarded-For/-Proto are believed (config `trustProxy`). */
  trustProxy: readonly Cidr[];
}
