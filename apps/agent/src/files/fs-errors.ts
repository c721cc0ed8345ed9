import { ErrorCode, HostlinkError } from '@hostlink/protocol';

/** Maps a Node file-system error to a protocol error naming the client's (virtual) path, never the host's. */
export function fromFsError(error: unknown, virtualPath: string): HostlinkError {
  if (error instanceof HostlinkError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown';
  const shown = JSON.stringify(virtualPath);
  switch (code) {
    case 'ENOENT':
      return new HostlinkError(ErrorCode.NotFound, `${shown} does not exist`);
    case 'ENOTDIR':
      return new HostlinkError(ErrorCode.NotFound, `${shown}: a parent is not a folder`);
    case 'EEXIST':
      return new HostlinkError(ErrorCode.Conflict, `${shown} already exists`);
    case 'ENOTEMPTY':
      return new HostlinkError(ErrorCode.Conflict, `${shown} is not empty`);
    case 'EISDIR':
      return new HostlinkError(ErrorCode.BadRequest, `${shown} is a folder`);
    case 'EACCES':
    case 'EPERM':
      return new HostlinkError(ErrorCode.Forbidden, `${shown}: permission denied on the host`);
    case 'ELOOP':
      return new HostlinkError(
        ErrorCode.Forbidden,
        `${shown} is a symbolic link that cannot be followed here`,
      );
    case 'ENAMETOOLONG':
      return new HostlinkError(ErrorCode.BadRequest, `${shown}: name too long`);
    case 'EINVAL':
      return new HostlinkError(
        ErrorCode.BadRequest,
        `${shown}: not possible (e.g. moving a folder into itself)`,
      );
    case 'EXDEV':
      return new HostlinkError(ErrorCode.BadRequest, `${shown}: cannot move between different disks`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new HostlinkError(ErrorCode.Unavailable, `${shown}: the host's disk is full`);
    default:
      return new HostlinkError(ErrorCode.Internal, `${shown}: file system error ${code}`);
  }
}
