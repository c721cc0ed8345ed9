import { Injectable } from '@nestjs/common';
import { BusClient } from '@hostlink/bus';
import {
  ConnectOffer,
  ConnectRequest,
  EnrollmentResponse,
  Id,
  ListHostsResponse,
  parseOrThrow,
  RegisterHostRequest,
  RegisterHostResponse,
  RemoveHostResponse,
  SessionResponse,
  Subject,
} from '@hostlink/protocol';

const ConnectBody = ConnectRequest.pick({ clientPublicKey: true, avoidRelayIds: true });

/** The user and agent API over the broker's bus subjects; the broker verifies every token. */
@Injectable()
export class ApiService {
  constructor(private readonly bus: BusClient) {}

  createSession(accessToken: string): Promise<SessionResponse> {
    return this.bus.request(Subject.brokerCreateSession, { accessToken }, SessionResponse);
  }

  listHosts(sessionToken: string): Promise<ListHostsResponse> {
    return this.bus.request(Subject.brokerListHosts, { sessionToken }, ListHostsResponse);
  }

  createEnrollment(sessionToken: string): Promise<EnrollmentResponse> {
    return this.bus.request(Subject.brokerCreateEnrollment, { sessionToken }, EnrollmentResponse);
  }

  registerAgent(body: unknown): Promise<RegisterHostResponse> {
    return this.bus.request(
      Subject.brokerRegisterHost,
      parseOrThrow(RegisterHostRequest, body, 'registration'),
      RegisterHostResponse,
    );
  }

  connect(sessionToken: string, hostId: string, body: unknown): Promise<ConnectOffer> {
    const request = parseOrThrow(ConnectBody, body, 'connect request');
    const host = parseOrThrow(Id, hostId, 'host id');
    return this.bus.request(Subject.brokerConnect, { sessionToken, hostId: host, ...request }, ConnectOffer);
  }

  async removeHost(sessionToken: string, hostId: string): Promise<void> {
    const host = parseOrThrow(Id, hostId, 'host id');
    await this.bus.request(Subject.brokerRemoveHost, { sessionToken, hostId: host }, RemoveHostResponse);
  }
}
