import { randomBytes } from 'node:crypto';
import { EnrollmentResponse, RegisterHostResponse, SessionResponse, Subject } from '@hostlink/protocol';
import type { BrokerTestApp, Identity } from './broker-test.app.js';

export const newPublicKey = () => randomBytes(32).toString('base64url');

export async function sessionFor(app: BrokerTestApp, identity: Identity): Promise<string> {
  return (
    await app.bus.request(
      Subject.brokerCreateSession,
      { accessToken: await app.accessToken(identity) },
      SessionResponse,
    )
  ).sessionToken;
}

export async function enrollmentToken(app: BrokerTestApp, sessionToken: string): Promise<string> {
  return (await app.bus.request(Subject.brokerCreateEnrollment, { sessionToken }, EnrollmentResponse)).token;
}

export function register(
  app: BrokerTestApp,
  enrollmentToken: string,
  publicKey = newPublicKey(),
  name = `workstation ${publicKey.slice(0, 8)}`,
) {
  return app.bus.request(
    Subject.brokerRegisterHost,
    { enrollmentToken, name, os: 'linux', publicKey },
    RegisterHostResponse,
  );
}
