import { type Env, type Problems, readBool, readInt, readList } from './readers';

/** Limits for media in both directions (issue #3; wecom-aibot-protocol.md §6.2, §10). */
export interface MediaConfig {
  /** Inbound WeCom image/file/video download limit (WeCom allows files up to 100 MB). */
  readonly inboundMaxBytes: number;
  /** Time limit of one download, inbound or outbound. */
  readonly downloadTimeoutMs: number;
  /** Outbound: the largest image the gateway downloads from an answer. */
  readonly imageFetchMaxBytes: number;
  /** Outbound: every image sent in `msg_item` is compressed to at most this (peers saw ~2 MB replies rejected). */
  readonly imageMaxBytes: number;
  /** Outbound: at most this many images per answer (WeCom's limit is 10). */
  readonly maxImages: number;
  /** Outbound: origins images may be fetched from besides each agent's own Dify origin. */
  readonly allowedImageOrigins: ReadonlySet<string>;
  /** Outbound: follow redirects to private/link-local addresses outside the allowed origins. */
  readonly allowPrivateNetworks: boolean;
}

function readOrigins(env: Env, problems: Problems): Set<string> {
  const origins = new Set<string>();
  for (const entry of readList(env, 'IMAGE_ALLOWED_ORIGINS')) {
    try {
      const url = new URL(entry);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
      origins.add(url.origin);
    } catch {
      problems.add('IMAGE_ALLOWED_ORIGINS must be a comma-separated list of http(s) origins');
    }
  }
  return origins;
}

export function readMedia(env: Env, problems: Problems): MediaConfig {
  const mb = 1024 * 1024;
  return {
    inboundMaxBytes: readInt(env, 'WECOM_MEDIA_MAX_MB', 20, 1, 100, problems) * mb,
    downloadTimeoutMs: readInt(env, 'MEDIA_DOWNLOAD_TIMEOUT_SECONDS', 30, 1, 300, problems) * 1000,
    imageFetchMaxBytes: readInt(env, 'IMAGE_FETCH_MAX_MB', 10, 1, 50, problems) * mb,
    imageMaxBytes: readInt(env, 'WECOM_IMAGE_MAX_KB', 512, 32, 10240, problems) * 1024,
    maxImages: readInt(env, 'WECOM_MAX_IMAGES', 10, 0, 10, problems),
    allowedImageOrigins: readOrigins(env, problems),
    allowPrivateNetworks: readBool(env, 'IMAGE_ALLOW_PRIVATE_NETWORKS', false, problems),
  };
}
