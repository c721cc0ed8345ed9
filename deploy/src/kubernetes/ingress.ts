import { type Ingress, type Manifest, nameOf, ofKind } from './manifests.js';

/** Where an Ingress sends a request for a URL: a Service port, and the TLS hosts of that Ingress. */
export interface IngressRoute {
  ingress: string;
  service: string;
  port: { name?: string; number?: number };
  tls: boolean;
}

/**
 * The Ingress rule that serves this URL (host, then Exact or Prefix path as the Ingress API defines
 * them; ImplementationSpecific is refused since only the controller knows what it means).
 */
export function routeOf(manifests: Manifest[], url: URL): IngressRoute {
  for (const ingress of ofKind<Ingress>(manifests, 'Ingress')) {
    const rule = ingress.spec?.rules?.find((candidate) => candidate.host === url.hostname);
    const path = rule?.http?.paths.find((candidate) => pathMatches(candidate, url.pathname));
    const service = path?.backend.service;
    if (!service) continue;
    return {
      ingress: nameOf(ingress),
      service: service.name,
      port: { name: service.port?.name, number: service.port?.number },
      tls: (ingress.spec?.tls ?? []).some(({ hosts }) =>
        (hosts ?? []).some((host) => hostCovers(host, url.hostname)),
      ),
    };
  }
  throw new Error(`no Ingress rule serves ${url.href}`);
}

function pathMatches(path: { path?: string; pathType: string }, requested: string): boolean {
  const declared = path.path ?? '/';
  if (path.pathType === 'Exact') return declared === requested;
  if (path.pathType === 'Prefix') {
    const prefix = declared.replace(/\/+$/, '');
    return prefix === '' || requested === prefix || requested.startsWith(`${prefix}/`);
  }
  throw new Error(`pathType ${path.pathType} for ${declared}: only Exact and Prefix have a defined meaning`);
}

/** A TLS host entry covers a name exactly, or as a wildcard for one more label. */
function hostCovers(host: string, name: string): boolean {
  if (!host.startsWith('*.')) return host === name;
  const rest = name.slice(name.indexOf('.') + 1);
  return rest === host.slice(2);
}
