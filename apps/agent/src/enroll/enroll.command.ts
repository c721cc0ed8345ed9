import { hostname, platform, release } from 'node:os';
import { ApiClient } from '@hostlink/client-sdk';
import { promptSecret, readStdinText } from '@hostlink/client-sdk/node';
import { ErrorCode, HostlinkError, HostName, parseOrThrow } from '@hostlink/protocol';
import { saveAgentConfig, type AgentConfig } from '../config/agent-config.js';
import { resolveShares } from '../config/shares.js';
import { generateStaticKey } from '../config/static-key.js';
import { hashHostPassword } from '../login/host-password.js';

export interface EnrollOptions {
  readonly server: string;
  readonly token: string;
  readonly name?: string;
  readonly share: readonly string[];
  readonly hostPasswordStdin?: boolean;
  readonly configDir: string;
}

/** Registers this computer as a host: new static key, enrollment token spent, config saved (0600). */
export async function enroll(
  options: EnrollOptions,
  api = new ApiClient(options.server),
): Promise<AgentConfig> {
  const name = parseOrThrow(HostName, options.name ?? hostname(), '--name');
  const shares = await resolveShares(options.share);
  const password = await readHostPassword(options.hostPasswordStdin ?? false);
  const staticKey = generateStaticKey();
  const registered = await api
    .registerAgent({
      enrollmentToken: options.token,
      name,
      os: `${platform()} ${release()}`.slice(0, 64),
      publicKey: staticKey.publicKey,
    })
    .catch((error: unknown) => {
      throw explainEnrollError(error, options.server);
    });
  const config: AgentConfig = {
    version: 1,
    hostId: registered.hostId,
    hostName: name,
    serverUrl: api.baseUrl,
    pollUrl: registered.pollUrl,
    staticKey,
    shares,
    hostPasswordHash: await hashHostPassword(password),
    brokerKeys: registered.brokerKeys,
  };
  await saveAgentConfig(options.configDir, config);
  return config;
}

async function readHostPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin) return strongEnough(await readStdinText());
  if (!process.stdin.isTTY) {
    throw new HostlinkError(
      ErrorCode.BadRequest,
      'no terminal to ask for the host password: use --host-password-stdin',
    );
  }
  const first = strongEnough(await promptSecret('Host password (asked when someone connects): '));
  const second = await promptSecret('Repeat the host password: ');
  if (first !== second)
    throw new HostlinkError(ErrorCode.BadRequest, 'the two passwords differ: run enroll again');
  return first;
}

export const MIN_HOST_PASSWORD_LENGTH = 8;

/** The host password guards the whole share; the rate limit slows guessing but cannot save `pw`. */
function strongEnough(password: string): string {
  if ([...password].length < MIN_HOST_PASSWORD_LENGTH) {
    throw new HostlinkError(
      ErrorCode.BadRequest,
      `the host password must have at least ${MIN_HOST_PASSWORD_LENGTH} characters`,
    );
  }
  return password;
}

const TOKEN_REFUSED: readonly string[] = [
  ErrorCode.TokenExpired,
  ErrorCode.TokenReused,
  ErrorCode.TokenInvalid,
  ErrorCode.Unauthenticated,
];

function explainEnrollError(error: unknown, server: string): unknown {
  if (!(error instanceof HostlinkError)) return error;
  if (TOKEN_REFUSED.includes(error.code)) {
    return new HostlinkError(
      error.code,
      `the enrollment token was refused (${error.message.replace(/[;:].*$/, '')}): ask for a new one with \`npx hostlink enroll-token\``,
    );
  }
  if (error.code === ErrorCode.Unavailable) {
    return new HostlinkError(
      error.code,
      `${error.message}: check --server ${server} and that the platform is running`,
    );
  }
  return error;
}
