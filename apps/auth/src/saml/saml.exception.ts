import { ErrorCode, HostlinkError } from '@hostlink/protocol';

/** Why a SAML message was refused: the `reason` of the error and of its audit entry. */
export enum SamlRejection {
  TooLarge = 'too-large',
  Compressed = 'compressed',
  Malformed = 'malformed',
  Doctype = 'doctype',
  CommentOrInstruction = 'comment-or-instruction',
  DuplicateId = 'duplicate-id',
  Wrapping = 'wrapping',
  SignatureAlgorithm = 'signature-algorithm',
  Signature = 'signature',
  Status = 'status',
  Issuer = 'issuer',
  Audience = 'audience',
  Recipient = 'recipient',
  Destination = 'destination',
  TimeWindow = 'time-window',
  InResponseTo = 'in-response-to',
  Replay = 'replay',
  Subject = 'subject',
  UnknownUser = 'unknown-user',
  NotConfigured = 'not-configured',
}

/** A refused assertion is a refused grant: `token_invalid` on every edge, with the reason in the message. */
export class SamlRejectedError extends HostlinkError {
  constructor(
    readonly reason: SamlRejection,
    detail: string,
  ) {
    super(ErrorCode.TokenInvalid, `SAML ${reason}: ${detail}`);
    this.name = 'SamlRejectedError';
  }
}

export const reject = (reason: SamlRejection, detail: string): never => {
  throw new SamlRejectedError(reason, detail);
};
