import type { ContentRule } from '../rule.ts';
import { caselessGroups, contentRule } from './define.ts';

const passwordNames = 'password|passwd|pwd|passphrase';
const passwordKeywords = ['password', 'passwd', 'pwd', 'passphrase'];
/**
 * Names that say "secret" without saying "password"; their values must look random (entropy) and hold
 * a digit, which identifiers (`"input_token": "ExclusiveStartKey"`) do not.
 */
const secretNames = 'secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key';
const secretKeywords = ['secret', 'token', 'api_key', 'api-key', 'apikey', 'private_key', 'access_key'];

/**
 * Passwords and secrets written into configuration files and source code. Each rule is bound to the
 * file types whose syntax it reads, so `password:` in prose or a parser does not count. Values that are
 * placeholders (`${VAR}`, `changeme`, `<password>`) are dropped by the shared allow rules.
 */
export const passwordRules: readonly ContentRule[] = [
  contentRule({
    id: 'dotenv-secret',
    title: 'Secret in a .env file',
    severity: 'high',
    category: 'password',
    keywords: [...passwordKeywords, ...secretKeywords, 'credential'],
    path: /(?:^|\/)(?:\.env(?:\.[\w.-]+)?|[\w.-]+\.env)$/,
    pattern: caselessGroups(
      `^\\s*(?:export\\s+)?[A-Za-z0-9_]*(?i:${passwordNames}|${secretNames}|credentials?)[A-Za-z0-9_]*\\s*=\\s*(?<q>["']?)(?<secret>[^\\s"'#]{6,})\\k<q>\\s*(?:#.*)?$`,
      'm',
    ),
    formats:
      'dotenv: NAME=value where NAME contains PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY or ACCESS_KEY',
  }),
  contentRule({
    id: 'properties-password',
    title: 'Password in a Java properties file',
    severity: 'high',
    category: 'password',
    keywords: passwordKeywords,
    path: /\.properties$/,
    pattern: caselessGroups(`^\\s*[\\w.-]*(?i:${passwordNames})\\s*[=:]\\s*(?<secret>\\S{6,})\\s*$`, 'm'),
    formats: 'Java properties: some.password=value or some.password: value',
  }),
  contentRule({
    id: 'ini-password',
    title: 'Password in an INI, TOML or .conf file',
    severity: 'high',
    category: 'password',
    keywords: passwordKeywords,
    path: /\.(?:ini|cfg|conf|cnf|toml)$/,
    pattern: caselessGroups(
      `^\\s*[\\w.-]*(?i:${passwordNames})\\s*[=:]\\s*(?<q>["']?)(?<secret>[^\\s"';#]{6,})\\k<q>\\s*(?:[;#].*)?$`,
      'm',
    ),
    formats: 'INI/TOML/conf: password = value, db_password = "value"',
  }),
  contentRule({
    id: 'yaml-password',
    title: 'Password in a YAML file',
    severity: 'high',
    category: 'password',
    keywords: passwordKeywords,
    path: /\.ya?ml$/,
    pattern: caselessGroups(
      `^\\s*(?:-\\s+)?["']?[\\w.-]*(?i:${passwordNames})["']?\\s*:\\s+(?<q>["']?)(?<secret>[^\\s"'#{}\\[\\]&*!|>]{6,})\\k<q>\\s*(?:#.*)?$`,
      'm',
    ),
    formats: 'YAML mapping: password: value (key ends in password/passwd/pwd/passphrase)',
  }),
  contentRule({
    id: 'yaml-secret',
    title: 'Secret or token in a YAML file',
    severity: 'medium',
    category: 'password',
    keywords: secretKeywords,
    path: /\.ya?ml$/,
    pattern: caselessGroups(
      `^\\s*(?:-\\s+)?["']?[\\w.-]*(?i:${secretNames})["']?\\s*:\\s+(?<q>["']?)(?<secret>(?=[A-Za-z0-9+/=_.~-]*[0-9])[A-Za-z0-9+/=_.~-]{16,})\\k<q>\\s*(?:#.*)?$`,
      'm',
    ),
    entropy: 3.5,
    formats: 'YAML mapping: client_secret: value, api_key: value (random-looking, 16+ characters)',
  }),
  contentRule({
    id: 'json-password',
    title: 'Password in a JSON file',
    severity: 'high',
    category: 'password',
    keywords: passwordKeywords,
    path: /\.json$/,
    pattern: caselessGroups(`"[\\w.-]*(?i:${passwordNames})"\\s*:\\s*"(?<secret>[^"\\s\\\\]{6,})"`),
    formats: 'JSON member: "password": "value" (name ends in password/passwd/pwd/passphrase)',
  }),
  contentRule({
    id: 'json-secret',
    title: 'Secret or token in a JSON file',
    severity: 'medium',
    category: 'password',
    keywords: secretKeywords,
    path: /\.json$/,
    pattern: caselessGroups(
      `"[\\w.-]*(?i:${secretNames})"\\s*:\\s*"(?<secret>(?=[A-Za-z0-9+/=_.~-]*[0-9])[A-Za-z0-9+/=_.~-]{16,})"`,
    ),
    entropy: 3.5,
    formats: 'JSON member: "client_secret": "value" (random-looking, 16+ characters)',
  }),
  contentRule({
    id: 'xml-password-element',
    title: 'Password in an XML element',
    severity: 'high',
    category: 'password',
    keywords: passwordKeywords,
    path: /\.(?:xml|config)$/,
    pattern: caselessGroups(
      `<(?<tag>[\\w.:-]*(?i:${passwordNames}))>\\s*(?<secret>[^<\\s]{4,})\\s*</\\k<tag>>`,
    ),
    formats: 'XML element: <password>value</password> (Maven settings.xml, Tomcat, ...)',
  }),
  contentRule({
    id: 'xml-password-attribute',
    title: 'Password in an XML attribute',
    severity: 'high',
    category: 'password',
    keywords: passwordKeywords,
    path: /\.(?:xml|config)$/,
    pattern: caselessGroups(`\\s[\\w.:-]*(?i:${passwordNames})\\s*=\\s*"(?<secret>[^"\\s]{4,})"`),
    formats: 'XML attribute: <user name="u" password="value"/> (tomcat-users.xml, web.config, ...)',
  }),
  contentRule({
    id: 'source-password-literal',
    title: 'Hard-coded password in source code',
    severity: 'medium',
    category: 'password',
    keywords: passwordKeywords,
    path: /\.(?:py|js|mjs|cjs|ts|jsx|tsx|rb|php|go|java|kt|kts|scala|groovy|cs|sh|bash|zsh|pl|pm|ps1|swift|rs|lua)$/,
    pattern: caselessGroups(
      `(?<![\\w])[\\w.$>-]*(?i:${passwordNames})\\w*["'\\]]?\\s*(?:=|:=|:|=>)\\s*(?<q>["'\`])(?<secret>[^"'\`\\s\\\\$]{6,})\\k<q>`,
    ),
    formats:
      'assignment of a string literal to a password variable: db_password = "value", password: "value"',
  }),
  contentRule({
    id: 'django-secret-key',
    title: 'Django SECRET_KEY',
    severity: 'high',
    category: 'password',
    keywords: ['secret_key'],
    path: /\.py$/,
    pattern: /\bSECRET_KEY\s*=\s*(?<q>["'])(?<secret>[^"'\s]{30,})\k<q>/,
    entropy: 3.5,
    formats: 'Django settings: SECRET_KEY = "50 random characters"',
  }),
  contentRule({
    id: 'rails-secret-key-base',
    title: 'Rails secret_key_base',
    severity: 'high',
    category: 'password',
    keywords: ['secret_key_base'],
    pattern: /secret_key_base["']?\s*[:=]\s*["']?(?<secret>[a-f0-9]{64,})/,
    formats: 'Rails: secret_key_base: 128 lower-case hex',
  }),
  contentRule({
    id: 'wordpress-db-password',
    title: 'WordPress database password',
    severity: 'high',
    category: 'password',
    keywords: ['db_password'],
    pattern: /define\(\s*["']DB_PASSWORD["']\s*,\s*["'](?<secret>[^"']{4,})["']\s*\)/,
    formats: "wp-config.php: define('DB_PASSWORD', 'value');",
  }),
];
