import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { createMediaStorage, type MediaStorage } from './media.storage.ts';
import { createS3Storage } from './s3.storage.ts';

/** The settings that choose where photos are kept. */
export type MediaStorageConfig = Pick<
  Config,
  | 'mediaDir'
  | 'photoMaxSide'
  | 'mediaS3Endpoint'
  | 'mediaS3Bucket'
  | 'mediaS3Region'
  | 'mediaS3AccessKeyId'
  | 'mediaS3SecretAccessKey'
>;

/**
 * The photo storage the configuration names: the S3-compatible bucket when `GEOREPORT_MEDIA_S3_ENDPOINT`
 * is set, else the media folder as before (one machine's disk, or a folder the nodes share).
 *
 * @example const media = openMediaStorage(config, logger);
 */
export function openMediaStorage(config: MediaStorageConfig, logger: Logger): MediaStorage {
  if (!config.mediaS3Endpoint) return createMediaStorage(config.mediaDir);
  return createS3Storage({
    endpoint: config.mediaS3Endpoint,
    bucket: config.mediaS3Bucket,
    region: config.mediaS3Region,
    accessKeyId: config.mediaS3AccessKeyId,
    secretAccessKey: config.mediaS3SecretAccessKey,
    // A stored photo has at most photoMaxSide² pixels, re-encoded: 4 bytes a pixel (more than raw RGB,
    // let alone JPEG or WebP at quality 82) plus room for headers bounds any photo this server wrote.
    maxBytes: 4 * config.photoMaxSide ** 2 + 65_536,
    logger,
  });
}
