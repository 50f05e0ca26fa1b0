/**
 * The defence against DNS rebinding. A page on evil.example can point its own
 * name at 127.0.0.1 after loading and then read a loopback server as its own
 * origin; the browser still sends `Host: evil.example`. A server bound to
 * loopback is meant for this machine's own names only, so it refuses every
 * other Host. A server bound to a wildcard address or a name answers any
 * Host: whoever chose that binding chose who may connect.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { RequestHandler } from 'express';
import { HttpError } from './http-error.js';
import { quote } from './params.js';

/** `[v6 literal]` or a name or IPv4 address, then an optional `:port`; nothing else. */
const HOST_HEADER = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/;

/** One label of a hostname; `_` is allowed as resolvers accept it in local names. */
const HOST_LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/**
 * What an address to bind should be, worded to follow "want", when `host` is
 * neither a hostname nor an IP literal; undefined when it is one. An empty
 * host would make Node listen on every interface, the opposite of what an
 * empty shell variable meant, and would turn the loopback Host check off.
 */
export function bindHostWant(host: string): string | undefined {
  if (host === '') return 'an address to bind, such as 127.0.0.1 or 0.0.0.0 (every interface)';
  if (isIPv4(host) || isIPv6(host)) return undefined;
  if (/^\[.*\]$/.test(host)) return `an IPv6 address without brackets, as ${host.slice(1, -1)}`;
  const labels = host.replace(/\.$/, '').split('.');
  // A dotted number that is not an IPv4 address (999.1.1.1) is a typo, not a name.
  const numeric = /^[\d.]+$/.test(host);
  if (host.length > 253 || numeric || !labels.every((label) => HOST_LABEL.test(label))) {
    return 'a hostname (letters, digits, hyphens and dots) or an IP address';
  }
  return undefined;
}

/** True when `host`, an address to bind, is a loopback one: `localhost`, 127.0.0.0/8 or ::1. */
export function isLoopbackBind(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  if (isIPv4(host)) return host.startsWith('127.');
  if (isIPv6(host)) return isLoopbackV6(`[${host}]`);
  return false;
}

/**
 * True when a Host header names this machine by a loopback name or address,
 * with any port: `localhost`, a dotted 127.x.x.x, or `[::1]`. Browsers send
 * these spelled canonically, so no other spelling is needed.
 */
export function isLoopbackHostHeader(header: string | undefined): boolean {
  const name = header === undefined ? undefined : HOST_HEADER.exec(header)?.[1];
  if (name === undefined) return false;
  if (name.startsWith('[')) return isLoopbackV6(name);
  return name.toLowerCase() === 'localhost' || (isIPv4(name) && name.startsWith('127.'));
}

/** Refuses, with a 403 naming it, every request whose Host is not a loopback one. */
export const loopbackHostsOnly: RequestHandler = function loopbackHostsOnly(req, _res, next) {
  const host = req.headers.host;
  if (isLoopbackHostHeader(host)) {
    next();
    return;
  }
  const refused = host === undefined ? 'a request without a Host header' : `Host ${quote(host)}`;
  next(
    new HttpError(
      403,
      `refused ${refused}: this server is bound to a loopback address and answers only ` +
        'localhost, 127.x.x.x and [::1]; start it with --host to serve other names',
    ),
  );
};

/** `[literal]` is ::1, or an IPv4-mapped 127.x.x.x, in any spelling the URL parser keeps. */
function isLoopbackV6(bracketed: string): boolean {
  let canonical: string;
  try {
    canonical = new URL(`http://${bracketed}/`).hostname;
  } catch {
    return false;
  }
  return canonical === '[::1]' || canonical.startsWith('[::ffff:7f');
}
