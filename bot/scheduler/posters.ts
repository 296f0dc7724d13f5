import type { ChannelPoster } from '../../domain/conversation/outbound';
import type { Platform } from '../../domain/conversation/inbound';

/** Which channel posts for a platform; a platform with no poster is not configured in this process. */
export type PosterRegistry = ReadonlyMap<Platform, ChannelPoster>;

export function createPosterRegistry(posters: Array<ChannelPoster | undefined | null>): PosterRegistry {
  const map = new Map<Platform, ChannelPoster>();
  for (const p of posters) if (p) map.set(p.platform, p);
  return map;
}
