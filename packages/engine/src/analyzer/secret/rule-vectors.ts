/**
 * Test vectors for every built-in content rule: one true positive in a realistic file (the line and
 * the raw secret it must report) and one near miss that the rule must not report (wrong prefix, too
 * short, wrong characters, a placeholder). Every token is made up here from a seeded generator; none
 * is a real credential. The rule table test fails for a rule that has no entry.
 */

/** A small deterministic generator (mulberry32), so the vectors are the same on every run. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = generator(0x5ec7e7);

const charsets = {
  b62: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  b64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  url64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-',
  hex: '0123456789abcdef',
  HEX: '0123456789ABCDEF',
  digits: '0123456789',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  lower: 'abcdefghijklmnopqrstuvwxyz0123456789',
  letters: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  b32: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
  bech32: 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L',
} as const;

/** `length` characters of a charset; made-up, with no placeholder words or ordered runs by construction of the tests. */
export function fake(charset: keyof typeof charsets, length: number): string {
  const chars = charsets[charset];
  let value = '';
  for (let i = 0; i < length; i++) value += chars[Math.floor(random() * chars.length)];
  return value;
}

function uuid(): string {
  return `${fake('hex', 8)}-${fake('hex', 4)}-4${fake('hex', 3)}-a${fake('hex', 3)}-${fake('hex', 12)}`;
}

/** A PEM-shaped body: `lines` lines of 64 base64 characters and a short last line. */
function pemBody(lines: number): string {
  return [...Array.from({ length: lines }, () => fake('b64', 64)), `${fake('b64', 20)}==`].join('\n');
}

export interface PositiveVector {
  readonly path: string;
  readonly text: string;
  /** 1-based line of the secret's first character. */
  readonly line: number;
  /** The raw secret the rule must report (masked). */
  readonly secret: string;
}

export interface NegativeVector {
  readonly path: string;
  readonly text: string;
}

export interface RuleVector {
  readonly positive: PositiveVector;
  readonly negative: NegativeVector;
}

// Realistic files with one assignment; each returns the file and the line of the assignment.
const files = {
  env: (name: string, value: string) => ({
    path: 'app/.env',
    text: `# production settings\nNODE_ENV=production\n${name}=${value}\n`,
    line: 3,
  }),
  python: (name: string, value: string) => ({
    path: 'app/settings.py',
    text: `import os\n\nDEBUG = False\n${name} = "${value}"\n`,
    line: 4,
  }),
  shell: (name: string, value: string) => ({
    path: 'usr/local/bin/deploy.sh',
    text: `#!/bin/sh\nset -eu\nexport ${name}="${value}"\nexec /app/server\n`,
    line: 3,
  }),
  yaml: (name: string, value: string) => ({
    path: 'app/config/production.yaml',
    text: `service:\n  name: billing\n  ${name}: ${value}\n  replicas: 2\n`,
    line: 3,
  }),
  json: (name: string, value: string) => ({
    path: 'app/config.json',
    text: `{\n  "service": "billing",\n  "${name}": "${value}",\n  "port": 8080\n}\n`,
    line: 3,
  }),
  javascript: (name: string, value: string) => ({
    path: 'app/src/client.js',
    text: `import { createClient } from './api.js';\n\nexport const client = createClient({\n  ${name}: '${value}',\n});\n`,
    line: 4,
  }),
} as const;

type FileKind = keyof typeof files;

/** A positive vector: `secret` assigned to `name` in a file of the given kind; the same file with `miss` instead for the negative. */
function assigned(kind: FileKind, name: string, secret: string, miss: string, value = secret): RuleVector {
  const file = files[kind](name, value);
  const negative = files[kind](name, value.replace(secret, miss));
  return { positive: { ...file, secret }, negative: { path: negative.path, text: negative.text } };
}

/** A vector whose positive and negative are whole files given here. */
function whole(
  path: string,
  text: string,
  line: number,
  secret: string,
  missText: string,
  missPath = path,
): RuleVector {
  return { positive: { path, text, line, secret }, negative: { path: missPath, text: missText } };
}

function pem(label: string, lines = 12): { text: string; body: string } {
  const body = pemBody(lines);
  return { body, text: `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n` };
}

const kinds: readonly FileKind[] = ['env', 'python', 'shell', 'yaml', 'json', 'javascript'];
let kindIndex = 0;
/** Spreads the prefixed-token vectors over the file kinds. */
function nextKind(): FileKind {
  return kinds[kindIndex++ % kinds.length] ?? 'env';
}

/** A token with a prefix: positive as is, negative with the body one character short. */
function token(name: string, secret: string, miss = secret.slice(0, -1)): RuleVector {
  return assigned(nextKind(), name, secret, miss);
}

function build(): Record<string, RuleVector> {
  const v: Record<string, RuleVector> = {};
  const add = (id: string, vector: RuleVector) => {
    if (id in v) throw new Error(`two vectors for ${id}`);
    v[id] = vector;
  };

  // Credential files.
  {
    const password = fake('b62', 20);
    add(
      'git-credentials',
      whole(
        'root/.git-credentials',
        `https://alice:${password}@git.internal.net\n`,
        1,
        password,
        'https://alice@git.internal.net\n',
      ),
    );
    const npm = uuid();
    add(
      'npmrc-auth-token',
      whole(
        'home/node/.npmrc',
        `registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=${npm}\n`,
        2,
        npm,
        '//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n',
      ),
    );
    const pypi = fake('b62', 24);
    add(
      'pypirc-password',
      whole(
        'root/.pypirc',
        `[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = deploy\npassword = ${pypi}\n`,
        6,
        pypi,
        '[pypi]\nusername = deploy\n',
      ),
    );
    const auth = Buffer.from(`deploy:${fake('b62', 18)}`).toString('base64');
    add(
      'docker-config-auth',
      whole(
        'root/.docker/config.json',
        `{\n  "auths": {\n    "registry.internal.net": {\n      "auth": "${auth}"\n    }\n  }\n}\n`,
        4,
        auth,
        '{\n  "auths": {\n    "registry.internal.net": {}\n  },\n  "credsStore": "desktop"\n}\n',
      ),
    );
    const pg = fake('b62', 16);
    add(
      'pgpass-password',
      whole(
        'var/lib/postgresql/.pgpass',
        `# hostname:port:database:username:password\ndb.internal:5432:app:app:${pg}\n`,
        2,
        pg,
        'db.internal:5432:app:app\n',
      ),
    );
    const netrc = fake('b62', 16);
    add(
      'netrc-password',
      whole(
        'root/.netrc',
        `machine api.internal.net\n  login deploy\n  password ${netrc}\n`,
        3,
        netrc,
        'machine api.internal.net\n  login deploy\n',
      ),
    );
    const s3 = fake('b64', 40);
    add(
      's3cfg-secret-key',
      whole(
        'root/.s3cfg',
        `[default]\nhost_base = s3.internal.net\nsecret_key = ${s3}\n`,
        3,
        s3,
        '[default]\nsecret_key =\n',
      ),
    );
    const hash = `$apr1$${fake('b62', 8)}$${fake('b62', 22)}`;
    add('htpasswd-hash', whole('etc/nginx/.htpasswd', `admin:${hash}\n`, 1, hash, 'admin:plaintext-entry\n'));
  }

  // SaaS and developer tokens.
  add('github-classic-pat', token('GITHUB_TOKEN', `ghp_${fake('b62', 36)}`));
  add('github-fine-grained-pat', token('GH_TOKEN', `github_pat_${fake('b62', 22)}_${fake('b62', 59)}`));
  add('github-oauth-token', token('github_oauth', `gho_${fake('b62', 36)}`));
  add('github-app-user-token', token('GITHUB_USER_TOKEN', `ghu_${fake('b62', 36)}`));
  add('github-app-installation-token', token('installation_token', `ghs_${fake('b62', 36)}`));
  add('github-refresh-token', token('refresh', `ghr_${fake('b62', 76)}`, `ghr_${fake('b62', 30)}`));
  add('gitlab-personal-access-token', token('GITLAB_TOKEN', `glpat-${fake('url64', 20)}`));
  add('gitlab-runner-token', token('RUNNER_TOKEN', `glrt-${fake('url64', 24)}`, `glrt-${fake('url64', 12)}`));
  add('gitlab-runner-registration-token', token('REGISTRATION_TOKEN', `GR1348941${fake('url64', 20)}`));
  add('gitlab-deploy-token', token('DEPLOY_TOKEN', `gldt-${fake('url64', 20)}`));
  add('gitlab-pipeline-trigger-token', token('TRIGGER_TOKEN', `glptt-${fake('hex', 40)}`));
  add('gitlab-feed-token', token('FEED_TOKEN', `glft-${fake('url64', 20)}`));
  add('gitlab-oauth-app-secret', token('GITLAB_APP_SECRET', `gloas-${fake('hex', 64)}`));
  add(
    'slack-bot-token',
    token('SLACK_BOT_TOKEN', `xoxb-${fake('digits', 12)}-${fake('digits', 13)}-${fake('b62', 24)}`),
  );
  add(
    'slack-user-token',
    token(
      'SLACK_USER_TOKEN',
      `xoxp-${fake('digits', 12)}-${fake('digits', 12)}-${fake('digits', 13)}-${fake('hex', 32)}`,
    ),
  );
  add(
    'slack-app-token',
    token('SLACK_APP_TOKEN', `xapp-1-A${fake('upper', 10)}-${fake('digits', 13)}-${fake('hex', 64)}`),
  );
  {
    const path = `T${fake('upper', 10)}/B${fake('upper', 10)}/${fake('b62', 24)}`;
    add(
      'slack-webhook-url',
      assigned(
        'yaml',
        'webhook_url',
        path,
        `T${fake('upper', 10)}/B${fake('upper', 10)}`,
        `https://hooks.slack.com/services/${path}`,
      ),
    );
  }
  add(
    'stripe-live-secret-key',
    token('STRIPE_SECRET_KEY', `sk_live_${fake('b62', 99)}`, `sk_test_${fake('b62', 99)}`),
  );
  add(
    'stripe-restricted-key',
    token('STRIPE_KEY', `rk_live_${fake('b62', 24)}`, `rk_test_${fake('b62', 24)}`),
  );
  add(
    'stripe-webhook-secret',
    token('STRIPE_WEBHOOK_SECRET', `whsec_${fake('b62', 32)}`, `whsec_${fake('b62', 20)}`),
  );
  add('twilio-api-key', assigned('env', 'TWILIO_API_KEY', `SK${fake('hex', 32)}`, `AC${fake('hex', 32)}`));
  add('twilio-auth-token', assigned('python', 'TWILIO_AUTH_TOKEN', fake('hex', 32), fake('hex', 24)));
  add(
    'sendgrid-api-key',
    token('SENDGRID_API_KEY', `SG.${fake('url64', 22)}.${fake('url64', 43)}`, `SG.${fake('url64', 22)}`),
  );
  add(
    'mailgun-api-key',
    assigned('shell', 'MAILGUN_API_KEY', `key-${fake('hex', 32)}`, `key-${fake('hex', 20)}`),
  );
  add('mailchimp-api-key', token('MAILCHIMP_KEY', `${fake('hex', 32)}-us14`, `${fake('hex', 32)}-eu14`));
  add('postmark-server-token', assigned('json', 'postmarkServerToken', uuid(), fake('hex', 32)));
  add('npm-access-token', token('NPM_TOKEN', `npm_${fake('b62', 36)}`));
  add(
    'pypi-upload-token',
    token(
      'TWINE_PASSWORD',
      `pypi-AgEIcHlwaS5vcmc${fake('url64', 70)}`,
      `pypi-AgENdGVzdC5weXBp${fake('url64', 70)}`,
    ),
  );
  add('dockerhub-personal-access-token', token('DOCKERHUB_TOKEN', `dckr_pat_${fake('url64', 27)}`));
  add('huggingface-access-token', token('HF_TOKEN', `hf_${fake('letters', 34)}`));
  add(
    'openai-api-key',
    token(
      'OPENAI_API_KEY',
      `sk-proj-${fake('url64', 40)}T3BlbkFJ${fake('url64', 40)}`,
      `sk-proj-${fake('url64', 40)}${fake('url64', 40)}`,
    ),
  );
  add(
    'anthropic-api-key',
    token('ANTHROPIC_API_KEY', `sk-ant-api03-${fake('url64', 93)}AA`, `sk-ant-api03-${fake('url64', 60)}AA`),
  );
  add(
    'anthropic-admin-key',
    token(
      'ANTHROPIC_ADMIN_KEY',
      `sk-ant-admin01-${fake('url64', 93)}AA`,
      `sk-ant-admin01-${fake('url64', 50)}AA`,
    ),
  );
  {
    const segment = (json: string) => Buffer.from(json).toString('base64url');
    const jwt = `${segment('{"alg":"HS256","typ":"JWT"}')}.${segment(`{"sub":"${fake('b62', 12)}","iat":1716239022}`)}.${fake('url64', 43)}`;
    add(
      'jwt',
      assigned(
        'javascript',
        'sessionToken',
        jwt,
        `${segment('{"alg":"HS256","typ":"JWT"}')}.${fake('url64', 40)}`,
      ),
    );
  }
  add('shopify-access-token', token('SHOPIFY_ACCESS_TOKEN', `shpat_${fake('hex', 32)}`));
  add('shopify-custom-app-token', token('SHOPIFY_CUSTOM_APP_TOKEN', `shpca_${fake('hex', 32)}`));
  add('shopify-private-app-token', token('SHOPIFY_PRIVATE_APP_TOKEN', `shppa_${fake('hex', 32)}`));
  add('shopify-shared-secret', token('SHOPIFY_SHARED_SECRET', `shpss_${fake('hex', 32)}`));
  add(
    'atlassian-api-token',
    token('JIRA_API_TOKEN', `ATATT3${fake('url64', 186)}`, `ATATT3${fake('url64', 100)}`),
  );
  add(
    'discord-bot-token',
    assigned(
      'env',
      'DISCORD_BOT_TOKEN',
      `MT${fake('b62', 24)}.${fake('url64', 6)}.${fake('url64', 38)}`,
      `MT${fake('b62', 24)}.${fake('url64', 6)}`,
    ),
  );
  {
    const hook = fake('url64', 68);
    add(
      'discord-webhook-url',
      assigned(
        'yaml',
        'discord_webhook',
        hook,
        fake('url64', 30),
        `https://discord.com/api/webhooks/${fake('digits', 18)}/${hook}`,
      ),
    );
  }
  add(
    'telegram-bot-token',
    token(
      'TELEGRAM_BOT_TOKEN',
      `${fake('digits', 10)}:AA${fake('url64', 33)}`,
      `${fake('digits', 10)}:AA${fake('url64', 20)}`,
    ),
  );
  add('square-access-token', token('SQUARE_ACCESS_TOKEN', `EAAA${fake('url64', 60)}`));
  add('square-legacy-access-token', token('SQUARE_TOKEN', `sq0atp-${fake('url64', 22)}`));
  add('square-oauth-secret', token('SQUARE_OAUTH_SECRET', `sq0csp-${fake('url64', 43)}`));
  add(
    'paypal-braintree-access-token',
    token(
      'BRAINTREE_ACCESS_TOKEN',
      `access_token$production$${fake('lower', 16)}$${fake('hex', 32)}`,
      `access_token$sandbox$${fake('lower', 16)}$${fake('hex', 32)}`,
    ),
  );
  add('databricks-access-token', token('DATABRICKS_TOKEN', `dapi${fake('hex', 32)}`));
  add(
    'grafana-api-key',
    token('GRAFANA_API_KEY', `eyJrIjoi${fake('b64', 72)}==`, `eyJrIjoi${fake('b64', 30)}`),
  );
  add(
    'grafana-cloud-token',
    token('GRAFANA_CLOUD_TOKEN', `glc_${fake('b64', 120)}=`, `glc_${fake('b64', 20)}`),
  );
  add(
    'grafana-service-account-token',
    token('GRAFANA_SA_TOKEN', `glsa_${fake('b62', 32)}_${fake('hex', 8)}`),
  );
  add('newrelic-user-api-key', token('NEW_RELIC_API_KEY', `NRAK-${fake('upper', 27)}`));
  add('newrelic-insert-key', token('NEW_RELIC_INSERT_KEY', `NRII-${fake('url64', 32)}`));
  add('newrelic-browser-api-key', token('NEW_RELIC_BROWSER_KEY', `NRJS-${fake('hex', 19)}`));
  add('datadog-api-key', assigned('env', 'DD_API_KEY', fake('hex', 32), fake('hex', 31)));
  add('datadog-application-key', assigned('yaml', 'datadog_app_key', fake('hex', 40), fake('hex', 39)));
  add(
    'sentry-org-auth-token',
    token('SENTRY_AUTH_TOKEN', `sntrys_${fake('b64', 120)}`, `sntrys_${fake('b64', 40)}`),
  );
  add('sentry-user-auth-token', token('SENTRY_USER_TOKEN', `sntryu_${fake('hex', 64)}`));
  add('vault-service-token', token('VAULT_TOKEN', `hvs.${fake('url64', 96)}`, `hvs.${fake('url64', 60)}`));
  add(
    'vault-batch-token',
    token('VAULT_BATCH_TOKEN', `hvb.${fake('url64', 140)}`, `hvb.${fake('url64', 100)}`),
  );
  add(
    'terraform-cloud-token',
    token(
      'TFE_TOKEN',
      `${fake('b62', 14)}.atlasv1.${fake('url64', 67)}`,
      `${fake('b62', 14)}.atlasv2.${fake('url64', 67)}`,
    ),
  );
  add('pulumi-access-token', token('PULUMI_ACCESS_TOKEN', `pul-${fake('hex', 40)}`));
  add('postman-api-key', token('POSTMAN_API_KEY', `PMAK-${fake('hex', 24)}-${fake('hex', 34)}`));
  add(
    'doppler-token',
    token('DOPPLER_TOKEN', `dp.st.prd.${fake('b62', 43)}`, `dp.xx.prd.${fake('b62', 43)}`),
  );
  add('linear-api-key', token('LINEAR_API_KEY', `lin_api_${fake('b62', 40)}`));
  add('notion-integration-token', token('NOTION_TOKEN', `ntn_${fake('digits', 11)}${fake('b62', 35)}`));
  add(
    'asana-personal-access-token',
    assigned(
      'env',
      'ASANA_ACCESS_TOKEN',
      `2/${fake('digits', 16)}/${fake('digits', 16)}:${fake('hex', 32)}`,
      `2/${fake('digits', 16)}`,
    ),
  );
  add('dropbox-access-token', token('DROPBOX_TOKEN', `sl.${fake('url64', 138)}`, `sl.${fake('url64', 60)}`));
  add(
    'okta-api-token',
    assigned('shell', 'OKTA_API_TOKEN', `00${fake('url64', 40)}`, `01${fake('url64', 40)}`),
  );
  add('algolia-admin-api-key', assigned('python', 'ALGOLIA_ADMIN_API_KEY', fake('hex', 32), fake('hex', 16)));
  add(
    'mapbox-secret-token',
    token(
      'MAPBOX_SECRET_TOKEN',
      `sk.eyJ${fake('url64', 60)}.${fake('url64', 22)}`,
      `pk.eyJ${fake('url64', 60)}.${fake('url64', 22)}`,
    ),
  );
  add('rubygems-api-key', token('GEM_HOST_API_KEY', `rubygems_${fake('hex', 48)}`));
  add('nuget-api-key', token('NUGET_API_KEY', `oy2${fake('lower', 43)}`));
  add('clojars-deploy-token', token('CLOJARS_TOKEN', `CLOJARS_${fake('lower', 60)}`));
  add('easypost-api-key', token('EASYPOST_API_KEY', `EZAK${fake('b62', 54)}`, `EZTK${fake('b62', 54)}`));
  add('prefect-api-key', token('PREFECT_API_KEY', `pnu_${fake('b62', 36)}`));
  add('readme-api-key', token('README_API_KEY', `rdme_${fake('lower', 70)}`));
  add('sonarqube-token', token('SONAR_TOKEN', `squ_${fake('hex', 40)}`, `sqx_${fake('hex', 40)}`));
  add(
    'jfrog-artifactory-api-key',
    token('ARTIFACTORY_API_KEY', `AKCp${fake('b62', 69)}`, `AKCp${fake('b62', 40)}`),
  );
  {
    const hook = `${uuid()}@${uuid()}/IncomingWebhook/${fake('hex', 32)}/${uuid()}`;
    add(
      'microsoft-teams-webhook-url',
      assigned(
        'json',
        'teamsWebhook',
        hook,
        `${uuid()}/IncomingWebhook`,
        `https://contoso.webhook.office.com/webhookb2/${hook}`,
      ),
    );
  }
  add(
    'twitter-bearer-token',
    token(
      'TWITTER_BEARER_TOKEN',
      `${'A'.repeat(22)}${fake('b62', 90)}`,
      `${'A'.repeat(22)}${fake('b62', 40)}`,
    ),
  );

  // Cloud.
  add(
    'aws-access-key-id',
    assigned('env', 'AWS_ACCESS_KEY_ID', `AKIA${fake('b32', 16)}`, 'AKIAIOSFODNN7EXAMPLE'),
  );
  {
    const key = fake('b64', 40);
    add(
      'aws-secret-access-key',
      whole(
        'root/.aws/credentials',
        `[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${key}\n`,
        3,
        key,
        '[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
      ),
    );
  }
  add(
    'aws-session-token',
    assigned('env', 'AWS_SESSION_TOKEN', `IQoJb3JpZ2luX2Vj${fake('b64', 300)}`, fake('b64', 60)),
  );
  add('aws-mws-auth-token', token('MWS_AUTH_TOKEN', `amzn.mws.${uuid()}`, `amzn.mws.${fake('hex', 20)}`));
  {
    const body = Array.from({ length: 12 }, () => fake('b64', 64)).join('\\n');
    const key = `-----BEGIN PRIVATE KEY-----\\n${body}\\n-----END PRIVATE KEY-----\\n`;
    const json = (privateKey: string) =>
      `{\n  "type": "service_account",\n  "project_id": "billing-prod",\n  "private_key_id": "${fake('hex', 40)}",\n  "private_key": "${privateKey}",\n  "client_email": "billing@billing-prod.iam.gserviceaccount.com"\n}\n`;
    add(
      'gcp-service-account-key',
      whole('app/credentials/service-account.json', json(key), 5, key, json('')),
    );
  }
  add('gcp-api-key', token('GOOGLE_API_KEY', `AIza${fake('url64', 35)}`));
  add('gcp-oauth-client-secret', token('GOOGLE_CLIENT_SECRET', `GOCSPX-${fake('url64', 28)}`));
  add(
    'google-oauth-access-token',
    token('GOOGLE_ACCESS_TOKEN', `ya29.${fake('url64', 120)}`, `ya29.${fake('url64', 12)}`),
  );
  add(
    'firebase-cloud-messaging-server-key',
    token(
      'FCM_SERVER_KEY',
      `AAAA${fake('url64', 7)}:APA91b${fake('url64', 134)}`,
      `AAAA${fake('url64', 7)}:APA91b${fake('url64', 100)}`,
    ),
  );
  {
    const key = `${fake('b64', 86)}==`;
    add(
      'azure-storage-connection-string',
      assigned(
        'env',
        'AZURE_STORAGE_CONNECTION_STRING',
        key,
        fake('b64', 40),
        `DefaultEndpointsProtocol=https;AccountName=billingprod;AccountKey=${key};EndpointSuffix=core.windows.net`,
      ),
    );
  }
  add(
    'azure-storage-account-key',
    assigned('yaml', 'azure_storage_account_key', `${fake('b64', 86)}==`, `${fake('b64', 60)}==`),
  );
  {
    const sig = `${fake('b62', 43)}%3D`;
    add(
      'azure-sas-token',
      assigned(
        'env',
        'BLOB_SAS_URL',
        sig,
        `${fake('b62', 10)}`,
        `https://billingprod.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2030-01-01T00:00:00Z&sig=${sig}`,
      ),
    );
  }
  add(
    'azure-ad-client-secret',
    token(
      'AZURE_CLIENT_SECRET',
      `${fake('b62', 3)}8Q~${fake('url64', 34)}`,
      `${fake('b62', 3)}8Q-${fake('url64', 34)}`,
    ),
  );
  {
    const key = `${fake('b64', 43)}=`;
    add(
      'azure-service-bus-shared-access-key',
      assigned(
        'env',
        'SERVICEBUS_CONNECTION',
        key,
        fake('b64', 20),
        `Endpoint=sb://billing.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${key}`,
      ),
    );
  }
  add(
    'alibaba-access-key-id',
    token('ALIBABA_CLOUD_ACCESS_KEY_ID', `LTAI${fake('b62', 20)}`, `LTAX${fake('b62', 20)}`),
  );
  add(
    'alibaba-access-key-secret',
    assigned('env', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', fake('b62', 30), fake('b62', 20)),
  );
  add('tencent-cloud-secret-id', token('TENCENTCLOUD_SECRET_ID', `AKID${fake('b62', 32)}`));
  add(
    'tencent-cloud-secret-key',
    assigned('shell', 'TENCENTCLOUD_SECRET_KEY', fake('b62', 32), fake('b62', 24)),
  );
  add(
    'huawei-cloud-access-key',
    assigned('env', 'HUAWEICLOUD_ACCESS_KEY', fake('upper', 20), fake('upper', 12)),
  );
  add('huawei-cloud-secret-key', assigned('env', 'HUAWEICLOUD_SECRET_KEY', fake('b62', 40), fake('b62', 30)));
  add('digitalocean-personal-access-token', token('DIGITALOCEAN_TOKEN', `dop_v1_${fake('hex', 64)}`));
  add('digitalocean-oauth-token', token('DO_OAUTH_TOKEN', `doo_v1_${fake('hex', 64)}`));
  add('digitalocean-refresh-token', token('DO_REFRESH_TOKEN', `dor_v1_${fake('hex', 64)}`));
  add('ibm-cloud-api-key', assigned('env', 'IBMCLOUD_API_KEY', fake('url64', 44), fake('url64', 30)));
  {
    const phrase = fake('b62', 20);
    add(
      'oracle-cloud-key-passphrase',
      whole(
        'root/.oci/config',
        `[DEFAULT]\nuser=ocid1.user.oc1..${fake('lower', 20)}\nkey_file=~/.oci/oci_api_key.pem\npass_phrase=${phrase}\nregion=eu-frankfurt-1\n`,
        4,
        phrase,
        `[DEFAULT]\nkey_file=~/.oci/oci_api_key.pem\nregion=eu-frankfurt-1\n`,
      ),
    );
  }
  add(
    'oracle-cloud-auth-token',
    assigned(
      'env',
      'OCI_AUTH_TOKEN',
      `${fake('b62', 8)}(${fake('b62', 6)}]${fake('b62', 4)}`,
      fake('b62', 12),
    ),
  );
  add('linode-personal-access-token', assigned('env', 'LINODE_TOKEN', fake('hex', 64), fake('hex', 40)));
  add('heroku-api-key', assigned('env', 'HEROKU_API_KEY', uuid(), fake('hex', 32)));
  add(
    'heroku-platform-token',
    token('HEROKU_TOKEN', `HRKU-AA${fake('url64', 58)}`, `HRKU-AA${fake('url64', 30)}`),
  );
  add('cloudflare-api-token', assigned('env', 'CLOUDFLARE_API_TOKEN', fake('url64', 40), fake('url64', 30)));
  add('cloudflare-global-api-key', assigned('env', 'CF_API_KEY', fake('hex', 37), fake('hex', 32)));
  add(
    'cloudflare-origin-ca-key',
    token(
      'ORIGIN_CA_KEY',
      `v1.0-${fake('hex', 24)}-${fake('hex', 146)}`,
      `v1.0-${fake('hex', 24)}-${fake('hex', 100)}`,
    ),
  );
  add('scaleway-secret-key', assigned('env', 'SCW_SECRET_KEY', uuid(), fake('hex', 32)));
  add('flyio-access-token', token('FLY_API_TOKEN', `fo1_${fake('url64', 43)}`));
  add('netlify-access-token', token('NETLIFY_AUTH_TOKEN', `nfp_${fake('b62', 36)}`));
  add('vercel-token', assigned('env', 'VERCEL_TOKEN', fake('b62', 24), fake('b62', 16)));
  add('supabase-access-token', token('SUPABASE_ACCESS_TOKEN', `sbp_${fake('hex', 40)}`));
  add(
    'planetscale-service-token',
    token('PLANETSCALE_SERVICE_TOKEN', `pscale_tkn_${fake('url64', 43)}`, `pscale_tkn_${fake('url64', 20)}`),
  );
  add(
    'planetscale-password',
    token('PLANETSCALE_PASSWORD', `pscale_pw_${fake('url64', 43)}`, `pscale_pw_${fake('url64', 20)}`),
  );
  add(
    'dynatrace-api-token',
    token(
      'DT_API_TOKEN',
      `dt0c01.${fake('upper', 24)}.${fake('upper', 64)}`,
      `dt0c01.${fake('upper', 24)}.${fake('upper', 40)}`,
    ),
  );
  {
    const key = Buffer.from(
      `-----BEGIN RSA PRIVATE KEY-----\n${pemBody(8)}\n-----END RSA PRIVATE KEY-----\n`,
    ).toString('base64');
    const kubeconfig = (user: string) =>
      `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: https://10.0.0.1:6443\n  name: prod\nusers:\n- name: admin\n  user:\n${user}`;
    add(
      'kubeconfig-client-key-data',
      whole(
        'root/.kube/config',
        kubeconfig(`    client-certificate-data: ${fake('b64', 80)}\n    client-key-data: ${key}\n`),
        11,
        key,
        kubeconfig(
          `    client-certificate-data: ${fake('b64', 80)}\n    client-key: /etc/kubernetes/pki/admin.key\n`,
        ),
      ),
    );
    const bearer = `${fake('url64', 30)}.${fake('url64', 60)}`;
    add(
      'kubeconfig-token',
      whole(
        'root/.kube/config',
        kubeconfig(`    token: ${bearer}\n`),
        10,
        bearer,
        kubeconfig('    tokenFile: /var/run/secrets/token\n'),
      ),
    );
  }

  // Private keys.
  for (const [id, label] of [
    ['rsa-private-key', 'RSA PRIVATE KEY'],
    ['ec-private-key', 'EC PRIVATE KEY'],
    ['dsa-private-key', 'DSA PRIVATE KEY'],
    ['openssh-private-key', 'OPENSSH PRIVATE KEY'],
    ['pgp-private-key-block', 'PGP PRIVATE KEY BLOCK'],
    ['pkcs8-private-key', 'PRIVATE KEY'],
    ['pkcs8-encrypted-private-key', 'ENCRYPTED PRIVATE KEY'],
  ] as const) {
    const { text, body } = pem(label);
    add(
      id,
      whole(
        `etc/ssl/private/${id}.pem`,
        `# deployed by ansible\n${text}`,
        3,
        body,
        `# deployed by ansible\n-----BEGIN ${label}-----\n...\n-----END ${label}-----\n`,
      ),
    );
  }
  {
    const lines = Array.from({ length: 14 }, () => fake('b64', 64)).join('\n');
    const ppk = (privateLines: string) =>
      `PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: deploy@build\nPublic-Lines: 6\n${Array.from({ length: 6 }, () => fake('b64', 64)).join('\n')}\nPrivate-Lines: 14\n${privateLines}\nPrivate-MAC: ${fake('hex', 64)}\n`;
    add(
      'putty-private-key',
      whole('root/deploy.ppk', ppk(lines), 12, lines, ppk('').replace('Private-Lines: 14\n\n', '')),
    );
  }
  {
    const body = `Comment: "2048-bit rsa, deploy@build"\n${pemBody(10)}`;
    const text = `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n${body}\n---- END SSH2 ENCRYPTED PRIVATE KEY ----\n`;
    add(
      'ssh2-private-key',
      whole(
        'root/.ssh2/id_rsa_2048_a',
        text,
        2,
        body,
        '---- BEGIN SSH2 PUBLIC KEY ----\nAAAAB3NzaC1yc2EAAAADAQABAAABAQ\n---- END SSH2 PUBLIC KEY ----\n',
      ),
    );
  }
  {
    const key = `AGE-SECRET-KEY-1${fake('bech32', 58)}`;
    add(
      'age-secret-key',
      whole(
        'root/.config/sops/age/keys.txt',
        `# created: 2024-05-01T10:00:00Z\n# public key: age1${fake('lower', 58)}\n${key}\n`,
        3,
        key,
        `# public key: age1${fake('lower', 58)}\nAGE-SECRET-KEY-1${fake('bech32', 30)}\n`,
      ),
    );
  }

  // Databases.
  {
    const url = (scheme: string, password: string, host = 'db.internal.net') =>
      `${scheme}://app:${password}@${host}:5432/billing`;
    const p = () => fake('b62', 18);
    const pg = p();
    add('postgres-connection-string', assigned('env', 'DATABASE_URL', pg, '', url('postgresql', pg)));
    const my = p();
    add(
      'mysql-connection-string',
      assigned('yaml', 'database_url', my, '${MYSQL_PASSWORD}', url('mysql', my)),
    );
    const mongo = p();
    add(
      'mongodb-connection-string',
      assigned(
        'javascript',
        'uri',
        mongo,
        'password',
        url('mongodb+srv', mongo, 'cluster0.abcde.mongodb.net'),
      ),
    );
    const redis = p();
    add(
      'redis-connection-string',
      assigned('env', 'REDIS_URL', redis, '', `rediss://:${redis}@cache.internal.net:6380/0`),
    );
    const amqp = p();
    add(
      'amqp-connection-string',
      assigned('python', 'BROKER_URL', amqp, 'guest', `amqp://billing:${amqp}@mq.internal.net:5672/prod`),
    );
    const ldap = p();
    add(
      'ldap-url-credentials',
      assigned('yaml', 'ldap_url', ldap, '', `ldaps://cn=reader:${ldap}@ldap.internal.net`),
    );
    const bind = p();
    add(
      'ldap-bind-password',
      whole(
        'etc/nslcd.conf',
        `uri ldaps://ldap.internal.net\nbinddn cn=reader,dc=internal,dc=net\nbindpw ${bind}\n`,
        3,
        bind,
        `uri ldaps://ldap.internal.net\n# bindpw\n`,
      ),
    );
    const mssql = p();
    add(
      'mssql-connection-string',
      assigned(
        'json',
        'ConnectionString',
        mssql,
        '',
        `Server=sql.internal.net,1433;Database=Billing;User Id=billing;Password=${mssql};`,
      ),
    );
    const jdbc = p();
    add(
      'jdbc-url-password',
      whole(
        'app/conf/application.properties',
        `spring.datasource.url=jdbc:mysql://db.internal.net:3306/billing?user=billing&password=${jdbc}&useSSL=true\n`,
        1,
        jdbc,
        'spring.datasource.url=jdbc:mysql://db.internal.net:3306/billing?user=billing&useSSL=true\n',
      ),
    );
    const oracle = p();
    add(
      'oracle-jdbc-thin-credentials',
      assigned(
        'env',
        'ORACLE_URL',
        oracle,
        '',
        `jdbc:oracle:thin:billing/${oracle}@db.internal.net:1521:ORCL`,
      ),
    );
    const http = p();
    add(
      'url-embedded-credentials',
      assigned('shell', 'PIP_INDEX_URL', http, '', `https://deploy:${http}@pypi.internal.net/simple`),
    );
  }

  // Passwords in configuration files and source code.
  {
    const p = () => fake('b62', 16);
    const env = p();
    add(
      'dotenv-secret',
      whole(
        'app/.env.production',
        `APP_NAME=billing\nSMTP_PASSWORD=${env}\n`,
        2,
        env,
        'APP_NAME=billing\nSMTP_PASSWORD=${SMTP_PASSWORD}\n',
      ),
    );
    const properties = p();
    add(
      'properties-password',
      whole(
        'app/conf/application.properties',
        `spring.datasource.username=billing\nspring.datasource.password=${properties}\n`,
        2,
        properties,
        'spring.datasource.username=billing\nspring.datasource.password=\n',
      ),
    );
    const ini = p();
    add(
      'ini-password',
      whole(
        'etc/mysql/conf.d/client.cnf',
        `[client]\nuser = backup\npassword = "${ini}"\n`,
        3,
        ini,
        '[client]\nuser = backup\n# password = <set me>\n',
      ),
    );
    const yamlPassword = p();
    add(
      'yaml-password',
      whole(
        'app/config/database.yml',
        `production:\n  adapter: postgresql\n  username: billing\n  password: ${yamlPassword}\n`,
        4,
        yamlPassword,
        'production:\n  adapter: postgresql\n  password: <%= ENV["DB_PASSWORD"] %>\n',
      ),
    );
    const yamlSecret = fake('b62', 32);
    add(
      'yaml-secret',
      whole(
        'app/config/oauth.yaml',
        `oauth:\n  client_id: billing\n  client_secret: ${yamlSecret}\n`,
        3,
        yamlSecret,
        'oauth:\n  client_id: billing\n  client_secret: billing-client-secret\n',
      ),
    );
    const jsonPassword = p();
    add(
      'json-password',
      whole(
        'app/config/database.json',
        `{\n  "host": "db.internal.net",\n  "dbPassword": "${jsonPassword}"\n}\n`,
        3,
        jsonPassword,
        '{\n  "host": "db.internal.net",\n  "dbPassword": ""\n}\n',
      ),
    );
    const jsonSecret = fake('b62', 32);
    add(
      'json-secret',
      whole(
        'app/config/auth.json',
        `{\n  "clientId": "billing",\n  "clientSecret": "${jsonSecret}"\n}\n`,
        3,
        jsonSecret,
        '{\n  "clientId": "billing",\n  "tokenUrl": "https://auth.internal.net/oauth/token"\n}\n',
      ),
    );
    const element = p();
    add(
      'xml-password-element',
      whole(
        'root/.m2/settings.xml',
        `<settings>\n  <servers>\n    <server>\n      <id>internal</id>\n      <username>deploy</username>\n      <password>${element}</password>\n    </server>\n  </servers>\n</settings>\n`,
        6,
        element,
        '<settings>\n  <servers>\n    <server>\n      <password>${env.MAVEN_PASSWORD}</password>\n    </server>\n  </servers>\n</settings>\n',
      ),
    );
    const attribute = p();
    add(
      'xml-password-attribute',
      whole(
        'usr/local/tomcat/conf/tomcat-users.xml',
        `<tomcat-users>\n  <user username="admin" password="${attribute}" roles="manager-gui"/>\n</tomcat-users>\n`,
        2,
        attribute,
        '<tomcat-users>\n  <user username="admin" password="" roles="manager-gui"/>\n</tomcat-users>\n',
      ),
    );
    const source = p();
    add(
      'source-password-literal',
      whole(
        'app/db.py',
        `import psycopg\n\nDB_PASSWORD = "${source}"\nconn = psycopg.connect(password=DB_PASSWORD)\n`,
        3,
        source,
        'import os\n\nDB_PASSWORD = os.environ["DB_PASSWORD"]\n',
      ),
    );
    const django = fake('url64', 50);
    add(
      'django-secret-key',
      whole(
        'app/billing/settings.py',
        `DEBUG = False\nSECRET_KEY = '${django}'\nALLOWED_HOSTS = ["*"]\n`,
        2,
        django,
        "DEBUG = False\nSECRET_KEY = os.environ['SECRET_KEY']\n",
      ),
    );
    const rails = fake('hex', 128);
    add(
      'rails-secret-key-base',
      whole(
        'app/config/secrets.yml',
        `production:\n  secret_key_base: ${rails}\n`,
        2,
        rails,
        'production:\n  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>\n',
      ),
    );
    const wordpress = p();
    add(
      'wordpress-db-password',
      whole(
        'var/www/html/wp-config.php',
        `<?php\ndefine( 'DB_NAME', 'wordpress' );\ndefine( 'DB_PASSWORD', '${wordpress}' );\n`,
        3,
        wordpress,
        "<?php\ndefine( 'DB_PASSWORD', getenv('WORDPRESS_DB_PASSWORD') );\n",
      ),
    );
  }

  // Generic.
  {
    const basic = Buffer.from(`deploy:${fake('b62', 16)}`).toString('base64');
    add(
      'http-basic-auth-header',
      whole(
        'app/scripts/sync.sh',
        `#!/bin/sh\ncurl -fsS -H "Authorization: Basic ${basic}" https://api.internal.net/sync\n`,
        2,
        basic,
        '#!/bin/sh\ncurl -fsS -H "Authorization: Basic $CREDENTIALS" https://api.internal.net/sync\n',
      ),
    );
    const bearer = fake('url64', 40);
    add(
      'http-bearer-token-header',
      whole(
        'app/scripts/report.py',
        `import requests\nheaders = {"Authorization": "Bearer ${bearer}"}\n`,
        2,
        bearer,
        'import requests\nheaders = {"Authorization": f"Bearer {token}"}\n',
      ),
    );
    const curl = fake('b62', 16);
    add(
      'curl-user-password',
      whole(
        'app/scripts/backup.sh',
        `#!/bin/sh\ncurl -fsS -u backup:${curl} -T dump.sql https://files.internal.net/\n`,
        2,
        curl,
        '#!/bin/sh\ncurl -fsS -u "$BACKUP_USER" -T dump.sql https://files.internal.net/\n',
      ),
    );
    const generic = fake('b62', 32);
    add(
      'generic-api-key',
      whole(
        'app/src/weather.rb',
        `class Weather\n  API_KEY = "${generic}"\nend\n`,
        2,
        generic,
        'class Weather\n  API_KEY = "my-weather-api-key-here"\nend\n',
      ),
    );
  }
  return v;
}

export const ruleVectors: Readonly<Record<string, RuleVector>> = build();
