/**
 * Every NATS subject the services use, versioned. Apps never spell a subject themselves.
 * Requests are load-balanced with queue groups named after the owning service.
 */
export const Subject = {
  authPasswordGrant: 'auth.token.password.v1',
  authRefreshGrant: 'auth.token.refresh.v1',
  authSignOut: 'auth.token.revoke.v1',
  authJwks: 'auth.jwks.v1',
  authBootstrapAdmin: 'auth.admin.bootstrap.v1',
  authSamlBearerGrant: 'auth.token.saml2-bearer.v1',
  authCodeGrant: 'auth.token.code.v1',
  authSamlImportMetadata: 'auth.saml.idp.import.v1',
  authSamlSpMetadata: 'auth.saml.sp-metadata.v1',
  authSamlLoginStart: 'auth.saml.login.v1',
  authSamlAcs: 'auth.saml.acs.v1',

  brokerCreateSession: 'broker.session.create.v1',
  brokerListHosts: 'broker.hosts.list.v1',
  brokerCreateEnrollment: 'broker.enrollment.create.v1',
  brokerRegisterHost: 'broker.hosts.register.v1',
  brokerConnect: 'broker.hosts.connect.v1',
  brokerRemoveHost: 'broker.hosts.remove.v1',
  brokerHostKey: 'broker.hosts.key.v1',
  brokerJwks: 'broker.jwks.v1',

  /** Events (no reply). */
  presenceChanged: 'presence.changed.v1',
  relayLoad: 'relay.load.v1',
} as const;
export type Subject = (typeof Subject)[keyof typeof Subject];

/**
 * Events the bus keeps until a consumer acknowledges them (JetStream in the distributed mode), because
 * what they cause must not be lost: the broker's audit of hosts going online and offline. Each carries an
 * `eventId`; a redelivered or re-published event has the same one, and its consumer is idempotent on it.
 * Relay load is not durable: it is re-sent every few seconds and only the latest report matters.
 */
export const DurableSubjects: readonly string[] = [Subject.presenceChanged];

/** Commands for an agent go to the poll instance that holds its connection. */
export const pollCommandSubject = (pollId: string): string => `poll.${pollId}.agent.command.v1`;

const POLL_COMMAND_SUBJECT = /^poll\.[^.]+\.agent\.command\.v1$/;

/** A subject as a metric label: every poll instance's command subject is one family, so labels stay few. */
export const subjectFamily = (subject: string): string =>
  POLL_COMMAND_SUBJECT.test(subject) ? pollCommandSubject('*') : subject;

export const QueueGroup = {
  auth: 'auth',
  broker: 'broker',
  poll: 'poll',
  relay: 'relay',
  /** Asks; and every instance watches presence changes (EveryInstance) for the browsers it serves. */
  gateway: 'gateway',
} as const;
