// Regions: the names COS host names carry, and which buckets the endpoint of a region serves.

/**
 * The global acceleration endpoint `<bucket>.cos.accelerate.<domain>` serves buckets of every region
 * [doc: Global Acceleration]; it cannot create one (COS's ActionAccelerateNotSupported).
 */
export const ACCELERATE = 'accelerate';

/**
 * Old host names `<bucket>.<legacy>.myqcloud.com` (no `cos.`), which every COS SDK still builds for
 * these region names (cos-nodejs-sdk-v5 getUrl, cos-python-sdk-v5 format_region), name today's regions
 * [the deprecation notes on the Region enum of tencentyun/qcloud-sdk-android: CN_SOUTH @see
 * AP_Guangzhou, ...; cn-south-2 is Guangzhou's second zone]. The v4 aliases (`cosgz`, `cossh`, ...)
 * never reach a server: the SDKs map them to `cos.<region>` before building the host.
 */
export const LEGACY_REGIONS: ReadonlyMap<string, string> = new Map([
  ['cn-south', 'ap-guangzhou'],
  ['cn-south-2', 'ap-guangzhou-2'],
  ['cn-north', 'ap-beijing-1'],
  ['cn-east', 'ap-shanghai'],
  ['cn-southwest', 'ap-chengdu'],
  ['sg', 'ap-singapore'],
]);

// COS region names: `<area>-<city>` with optional suffixes (ap-guangzhou, na-siliconvalley, ap-beijing-1, ap-shanghai-fsi).
const REGION_NAME = /^[a-z]{2}-[a-z]+(?:-[a-z0-9]+)*$/;

/** Whether a bucket can be created in this region (InvalidRegionName otherwise). */
export const isRegionName = (name: string): boolean => REGION_NAME.test(name);

/**
 * Whether the endpoint a request addressed serves a bucket of this region: a request naming no
 * region (path style on an IP or any other host, `<bucket>.<endpoint>` S3 hosts) reaches every
 * bucket, and so does the acceleration endpoint.
 */
export function endpointServes(hostRegion: string | undefined, bucketRegion: string): boolean {
  return hostRegion === undefined || hostRegion === ACCELERATE || hostRegion === bucketRegion;
}

/**
 * The bucket, if the endpoint of hostRegion serves it, else undefined. COS serves a bucket from its
 * own region's endpoints only: on another region's it is as unknown as a missing one, so its owner
 * gets 404 NoSuchBucket and anyone else the AccessDenied a missing bucket gets (never a hint that it
 * exists). No COS SDK follows a redirect, and COS's FAQ names a wrong Region among the first causes
 * of a failing request (https://www.tencentcloud.com/document/product/436/40947); S3's 301
 * PermanentRedirect is not COS's answer [recommended where COS's documentation is silent].
 */
export function servedBucket<B extends { region: string }>(bucket: B | undefined, hostRegion: string | undefined): B | undefined {
  return bucket && endpointServes(hostRegion, bucket.region) ? bucket : undefined;
}
