import { ErrorCode, HostlinkError, type ChannelRequest, type Policy } from '@hostlink/protocol';
import type { MuxStream } from '@hostlink/secure-channel';
import type { FileBrowseService } from '../files/file-browse.service.js';
import type { FileChangeService } from '../files/file-change.service.js';
import type { FileTransferService } from '../files/file-transfer.service.js';

export type FileRequest = Exclude<ChannelRequest, { op: 'login' | 'screen' | 'apps' | 'launch' }>;
type Reply = (header: object) => Promise<void>;

/** Maps each channel operation to one file-service call, after the grant's policy allows it. */
export class FileOperations {
  constructor(
    private readonly browse: FileBrowseService,
    private readonly transfer: FileTransferService,
    private readonly change: FileChangeService,
  ) {}

  async run(request: FileRequest, policy: Policy, stream: MuxStream, reply: Reply): Promise<void> {
    switch (request.op) {
      case 'list':
        return reply({ entries: await this.browse.list(request.path) });
      case 'stat':
        return reply(await this.browse.stat(request.path));
      case 'search':
        return reply(await this.browse.search(request.path, request.query, request.limit));
      case 'read':
        return this.read(request, policy, stream, reply);
      case 'write':
        requireUpload(policy);
        return reply(await this.transfer.write(request, stream));
      case 'mkdir':
        requireUpload(policy);
        await this.change.mkdir(request.path);
        return reply({});
      case 'remove':
        requireUpload(policy);
        await this.change.remove(request.path);
        return reply({});
      case 'move':
        requireUpload(policy);
        await this.change.move(request.from, request.to);
        return reply({});
    }
  }

  private async read(
    request: Extract<FileRequest, { op: 'read' }>,
    policy: Policy,
    stream: MuxStream,
    reply: Reply,
  ) {
    if (!policy.download)
      throw new HostlinkError(ErrorCode.PolicyDenied, 'downloads from this host are not allowed by policy');
    const opened = await this.transfer.openRead(request);
    await reply(opened.head);
    if (opened.body) for await (const chunk of opened.body) await stream.write(chunk);
  }
}

/** Upload off means read-only: no file may be created, changed, moved or removed. */
function requireUpload(policy: Policy): void {
  if (!policy.upload)
    throw new HostlinkError(ErrorCode.PolicyDenied, 'changing files on this host is not allowed by policy');
}
