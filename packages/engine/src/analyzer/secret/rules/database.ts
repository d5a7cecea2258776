import type { ContentRule } from '../rule.ts';
import { caselessGroups, contentRule } from './define.ts';

/**
 * A URL with a password in its user information (RFC 3986 section 3.2.1): scheme://user:password@host.
 * The user may be empty (`redis://:password@host`); the password ends at `@` and may not contain `/`,
 * whitespace or quotes. Hosts of the documentation domains (RFC 2606: example.com, .org, .net) are
 * examples, not credentials.
 */
function urlWithPassword(schemes: string): RegExp {
  return new RegExp(
    `(?<![A-Za-z0-9+.-])(?:${schemes})://[^:@\\s/'"\`<>]*:(?<secret>[^@\\s/'"\`<>]+)@(?!(?:[A-Za-z0-9-]+\\.)*example\\.(?:com|org|net)\\b)[A-Za-z0-9_.\\[\\]-]+`,
    'i',
  );
}

/** Database and message broker credentials in connection strings. */
export const databaseRules: readonly ContentRule[] = [
  contentRule({
    id: 'postgres-connection-string',
    title: 'PostgreSQL connection string with password',
    severity: 'high',
    category: 'database',
    keywords: ['postgres://', 'postgresql://'],
    pattern: urlWithPassword('postgres(?:ql)?'),
    formats: 'libpq URI: postgres[ql]://user:password@host[:port]/db',
  }),
  contentRule({
    id: 'mysql-connection-string',
    title: 'MySQL connection string with password',
    severity: 'high',
    category: 'database',
    keywords: ['mysql://', 'mysqlx://', 'mysql2://', 'mariadb://'],
    pattern: urlWithPassword('mysql|mysqlx|mysql2|mariadb'),
    formats: 'MySQL URI: mysql://user:password@host[:port]/db',
  }),
  contentRule({
    id: 'mongodb-connection-string',
    title: 'MongoDB connection string with password',
    severity: 'high',
    category: 'database',
    keywords: ['mongodb://', 'mongodb+srv://'],
    pattern: urlWithPassword('mongodb(?:\\+srv)?'),
    formats: 'MongoDB URI: mongodb[+srv]://user:password@host[,host...]/db',
  }),
  contentRule({
    id: 'redis-connection-string',
    title: 'Redis connection string with password',
    severity: 'high',
    category: 'database',
    keywords: ['redis://', 'rediss://'],
    pattern: urlWithPassword('rediss?'),
    formats: 'Redis URI: redis[s]://[user]:password@host[:port][/db]',
  }),
  contentRule({
    id: 'amqp-connection-string',
    title: 'AMQP (RabbitMQ) connection string with password',
    severity: 'high',
    category: 'database',
    keywords: ['amqp://', 'amqps://'],
    pattern: urlWithPassword('amqps?'),
    formats: 'AMQP URI: amqp[s]://user:password@host[:port]/vhost',
  }),
  contentRule({
    id: 'ldap-url-credentials',
    title: 'LDAP URL with bind password',
    severity: 'high',
    category: 'database',
    keywords: ['ldap://', 'ldaps://'],
    pattern: urlWithPassword('ldaps?'),
    formats: 'LDAP URL with user information: ldap[s]://binddn:password@host',
  }),
  contentRule({
    id: 'ldap-bind-password',
    title: 'LDAP bind password in a configuration file',
    severity: 'high',
    category: 'database',
    keywords: ['bindpw', 'ldap_default_authtok'],
    pattern: /^\s*(?:bindpw|ldap_default_authtok)(?:\s*=\s*|\s+)(?<secret>[^\s#]{4,})/m,
    formats: 'nslcd/pam_ldap "bindpw SECRET", sssd "ldap_default_authtok = SECRET"',
  }),
  contentRule({
    id: 'mssql-connection-string',
    title: 'SQL Server (ADO.NET) connection string with password',
    severity: 'high',
    category: 'database',
    keywords: ['password=', 'pwd='],
    pattern: caselessGroups(
      '(?i:server|data source|addr|address)=[^;"\'\\s]+;[^"\'\\n]*?(?i:password|pwd)=(?<secret>[^;"\'\\s]{4,})',
    ),
    formats: 'ADO.NET: Server=HOST;Database=DB;User Id=USER;Password=SECRET;',
  }),
  contentRule({
    id: 'jdbc-url-password',
    title: 'JDBC URL with password',
    severity: 'high',
    category: 'database',
    keywords: ['jdbc:'],
    pattern: caselessGroups(
      'jdbc:[a-z0-9]+:[^\\s"\'<>]*?[?&;:](?i:password|pwd)=(?<secret>[^&;\\s"\'<>]{4,})',
    ),
    formats: 'JDBC URL parameter: jdbc:DRIVER://host/db?user=U&password=SECRET (or ;password=SECRET)',
  }),
  contentRule({
    id: 'oracle-jdbc-thin-credentials',
    title: 'Oracle JDBC thin URL with password',
    severity: 'high',
    category: 'database',
    keywords: ['jdbc:oracle:thin:'],
    pattern: /jdbc:oracle:thin:[^/\s:@"']+\/(?<secret>[^@\s"']{4,})@/,
    formats: 'Oracle thin URL: jdbc:oracle:thin:USER/PASSWORD@host:port:sid',
  }),
  contentRule({
    id: 'url-embedded-credentials',
    title: 'Password in a URL',
    severity: 'medium',
    category: 'generic',
    keywords: ['://'],
    pattern: urlWithPassword(
      'https?|ftps?|sftp|smtps?|imaps?|pop3s?|ssh|git|svn|svn\\+ssh|nats|kafka|mqtts?|couchdb|neo4j|influxdb|clickhouse|cassandra|memcached|socks5?',
    ),
    formats: 'RFC 3986 user information: scheme://user:password@host (http, ftp, smtp, ssh, git, ...)',
  }),
];
