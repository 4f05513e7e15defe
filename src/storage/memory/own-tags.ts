// Tags as the in-memory engine keeps them: copies of its own, and an empty set as none (as SQLite stores NULL).
import type { TagSet } from '../../domain/tagging.ts';

/** `{ tags }` to spread into a record, or nothing for an absent or empty set. */
export const ownTags = (tags: TagSet | undefined): { tags?: TagSet } => (tags && tags.length > 0 ? { tags: tags.map((t) => ({ ...t })) } : {});
