import type { ContentRule } from '../rule.ts';
import { caselessGroups, contentRule } from './define.ts';

/** Credentials recognised only by their surroundings: HTTP headers, command lines, generic names. */
export const genericRules: readonly ContentRule[] = [
  contentRule({
    id: 'http-basic-auth-header',
    title: 'HTTP Basic credentials in an Authorization header',
    severity: 'high',
    category: 'generic',
    keywords: ['authorization'],
    pattern: caselessGroups(
      '(?i:authorization)["\']?\\s*[:=,]\\s*["\']?(?i:basic)\\s+(?<secret>[A-Za-z0-9+/]{12,}={0,2})(?![A-Za-z0-9+/=])',
    ),
    formats: 'Authorization: Basic BASE64(user:password) (RFC 7617)',
  }),
  contentRule({
    id: 'http-bearer-token-header',
    title: 'Bearer token in an Authorization header',
    severity: 'high',
    category: 'generic',
    keywords: ['bearer'],
    pattern: caselessGroups(
      '(?i:authorization)["\']?\\s*[:=,]\\s*["\']?(?i:bearer)\\s+(?<secret>[A-Za-z0-9._~+/-]{20,}=*)(?![A-Za-z0-9._~+/=-])',
    ),
    entropy: 3.5,
    formats: 'Authorization: Bearer TOKEN (RFC 6750)',
  }),
  contentRule({
    id: 'curl-user-password',
    title: 'Password on a curl or wget command line',
    severity: 'high',
    category: 'generic',
    keywords: ['curl', 'wget'],
    pattern:
      /\b(?:curl\b[^\n]*?\s(?:-u|--user)|wget\b[^\n]*?\s--(?:http-)?password=?)\s*["']?(?:[^:\s"']+:)?(?<secret>[^\s"']{4,})/,
    formats: 'curl -u user:password, wget --password=value',
  }),
  contentRule({
    id: 'generic-api-key',
    title: 'Generic API key or secret',
    severity: 'low',
    category: 'generic',
    keywords: [
      'api_key',
      'apikey',
      'api-key',
      'access_token',
      'auth_token',
      'secret_key',
      'client_secret',
      'private_token',
    ],
    pattern: caselessGroups(
      '(?i:api[_-]?key|access[_-]?token|auth[_-]?token|secret[_-]?key|client[_-]?secret|private[_-]?token)[A-Za-z0-9_.-]*["\'\\]]?\\s*(?:=|:=|:|=>)\\s*(?<q>["\'`])(?<secret>(?=[A-Za-z0-9_+/=.~-]*[0-9])[A-Za-z0-9_+/=.~-]{20,})\\k<q>',
    ),
    entropy: 3.7,
    formats:
      'api_key = "random-looking value of 20+ characters with a digit" (quoted, with a secret-like name)',
  }),
];
