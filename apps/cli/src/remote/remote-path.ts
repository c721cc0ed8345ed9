import { ErrorCode, HostlinkError, type HostView } from '@hostlink/protocol';

export interface RemotePath {
  /** Host name or id, as typed. */
  readonly host: string;
  /** Always absolute: `/` is the list of shared folders. */
  readonly path: string;
}

/**
 * `HOST:PATH`, split at the first colon (paths may contain colons; a host whose name has one is addressed
 * by id). `HOST:` and `HOST:/` mean the shared-folder list; a relative path is taken from `/`.
 */
export function parseRemotePath(text: string): RemotePath {
  const colon = text.indexOf(':');
  if (colon <= 0)
    throw new HostlinkError(
      ErrorCode.BadRequest,
      `expected HOST:PATH, got ${JSON.stringify(text)} (e.g. laptop:/Documents/report.pdf)`,
    );
  const host = text.slice(0, colon);
  const rest = text.slice(colon + 1);
  return { host, path: rest.startsWith('/') ? rest : `/${rest}` };
}

/** Picks a host by exact id, else by exact name; several hosts with that name is an error listing their ids. */
export function findHost(hosts: readonly HostView[], wanted: string): HostView {
  const byId = hosts.find((host) => host.id === wanted);
  if (byId) return byId;
  const named = hosts.filter((host) => host.name === wanted);
  if (named.length === 1) return named[0]!;
  if (named.length > 1) {
    throw new HostlinkError(
      ErrorCode.Conflict,
      `several hosts are named ${JSON.stringify(wanted)}: use an id instead (${named.map((host) => host.id).join(', ')})`,
    );
  }
  throw new HostlinkError(
    ErrorCode.NotFound,
    `no host named ${JSON.stringify(wanted)}: see \`hostlink hosts\``,
  );
}

export function baseName(path: string): string {
  return path.split('/').filter(Boolean).pop() ?? '';
}

export function joinRemote(parent: string, name: string): string {
  return parent.endsWith('/') ? `${parent}${name}` : `${parent}/${name}`;
}
