import { z } from 'zod';
import { Policy } from '../primitives.js';

/**
 * The application protocol inside the secure channel. Each operation is one multiplexed stream that
 * starts, in each direction, with a header (4-byte length + JSON) followed by a raw body until FIN.
 * The first stream of a connection must be `login`; the agent refuses anything else before it.
 *
 * Paths are host paths as the client sees them: `/` lists the shared roots, `/<root>/a/b` is inside one.
 */
export const HostPath = z.string().max(4096);

export const AppId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'an app id is lowercase letters, digits and dashes');

/** An app the host owner configured. `icon`: a data: URL of a PNG, JPEG or SVG image, or a short text. */
export const AppEntry = z.object({
  id: AppId,
  name: z.string().min(1).max(128),
  icon: z.string().max(65_536).optional(),
});
export type AppEntry = z.infer<typeof AppEntry>;

export const FileEntry = z.object({
  name: z.string(),
  type: z.enum(['file', 'directory', 'symlink', 'other']),
  size: z.number().nonnegative(),
  mtimeMs: z.number(),
});
export type FileEntry = z.infer<typeof FileEntry>;

export const ChannelRequest = z.discriminatedUnion('op', [
  z.object({ op: z.literal('login'), grant: z.string().max(8192), password: z.string().max(1024) }),
  z.object({ op: z.literal('list'), path: HostPath }),
  z.object({ op: z.literal('stat'), path: HostPath }),
  z.object({
    op: z.literal('read'),
    path: HostPath,
    offset: z.number().int().nonnegative().optional(),
    length: z.number().int().nonnegative().optional(),
    /** The ETag the client holds: when it still matches, the agent answers `notModified` with no body. */
    ifNoneMatch: z.string().max(128).optional(),
    /** With `offset`: only resume if the file is still this version. */
    ifMatch: z.string().max(128).optional(),
  }),
  z.object({
    op: z.literal('write'),
    path: HostPath,
    size: z.number().int().nonnegative(),
    overwrite: z.boolean().default(false),
  }),
  z.object({ op: z.literal('mkdir'), path: HostPath }),
  z.object({ op: z.literal('remove'), path: HostPath }),
  z.object({ op: z.literal('move'), from: HostPath, to: HostPath }),
  z.object({
    op: z.literal('search'),
    path: HostPath,
    query: z.string().min(1).max(256),
    limit: z.number().int().min(1).max(1000).default(100),
  }),
  /** The host's VNC server: after the ok reply the stream carries raw RFB both ways until either side ends. */
  z.object({ op: z.literal('screen') }),
  z.object({ op: z.literal('apps') }),
  /** Starts a configured app on the host's desktop, optionally opening one shared file with it. */
  z.object({ op: z.literal('launch'), appId: AppId, path: HostPath.optional() }),
]);
export type ChannelRequest = z.infer<typeof ChannelRequest>;

const Failure = z.object({
  ok: z.literal(false),
  error: z.object({ code: z.string(), message: z.string() }),
});

export const LoginReply = z.union([
  z.object({ ok: z.literal(true), hostName: z.string(), policy: Policy }),
  Failure,
]);
export const ListReply = z.union([z.object({ ok: z.literal(true), entries: z.array(FileEntry) }), Failure]);
export const StatReply = z.union([
  z.object({ ok: z.literal(true), entry: FileEntry, etag: z.string() }),
  Failure,
]);
export const ReadReply = z.union([
  z.object({
    ok: z.literal(true),
    size: z.number(),
    offset: z.number(),
    length: z.number(),
    etag: z.string(),
    notModified: z.boolean(),
  }),
  Failure,
]);
export const WriteReply = z.union([
  z.object({ ok: z.literal(true), size: z.number(), etag: z.string() }),
  Failure,
]);
export const DoneReply = z.union([z.object({ ok: z.literal(true) }), Failure]);
export const SearchReply = z.union([
  z.object({
    ok: z.literal(true),
    matches: z.array(z.object({ path: z.string(), entry: FileEntry })),
    truncated: z.boolean(),
  }),
  Failure,
]);

export const AppsReply = z.union([z.object({ ok: z.literal(true), apps: z.array(AppEntry) }), Failure]);
export const LaunchReply = z.union([z.object({ ok: z.literal(true), pid: z.number().int() }), Failure]);

/** Claims of a connection grant (a JWT of kind ConnectionGrant signed by the broker). */
export const GrantClaims = z.object({
  jti: z.string(),
  sub: z.string(),
  /** The client's static X25519 key: the grant is only good on a channel whose initiator holds it. */
  cpk: z.string(),
  hid: z.string(),
  pol: Policy,
  exp: z.number(),
});
export type GrantClaims = z.infer<typeof GrantClaims>;
