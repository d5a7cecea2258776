import { setTimeout as delay } from 'node:timers/promises';

/**
 * A fake of Harbor's side of the pluggable scanner API: the calls Harbor's scanner client makes to
 * a registered adapter, following goharbor/pluggable-scanner-spec (api/spec/
 * scanner-adapter-openapi-v1.2.yaml). Harbor cannot run here, so this stands in for it: it sends
 * the registration's credential as `Authorization: Bearer` (or `X-ScannerAdapter-API-Key`), the
 * spec's MIME types in `Accept` and `Content-Type`, and polls a report while the adapter answers
 * 302, waiting the `Refresh-After` seconds it names, until 200 or an error.
 */

export const harborScanRequestType = 'application/vnd.scanner.adapter.scan.request+json; version=1.0';
export const harborMetadataAccept =
  'application/vnd.scanner.adapter.metadata+json; version=1.1, application/vnd.scanner.adapter.metadata+json; version=1.0';

export interface FakeHarborScanRequest {
  readonly registry: { readonly url: string; readonly authorization?: string };
  readonly artifact: {
    readonly repository: string;
    readonly digest: string;
    readonly tag?: string;
    readonly mime_type?: string;
  };
  readonly enabled_capabilities?: readonly {
    readonly type: 'vulnerability' | 'sbom';
    readonly produces_mime_types?: readonly string[];
    readonly parameters?: { readonly sbom_media_types?: readonly string[] };
  }[];
}

export interface FakeHarborAnswer {
  readonly status: number;
  readonly contentType: string | null;
  readonly refreshAfter: string | null;
  /** The parsed JSON body; undefined when there was none. */
  readonly body: unknown;
}

export interface FakeHarborRegistration {
  /** The scanner's URL as an administrator enters it in Harbor (`https://drydock.example.com/harbor`). */
  readonly url: string;
  /** The registration's credential; absent = no authentication. */
  readonly credential?: string;
  /** Harbor's "Bearer" or "APIKey" authorization kinds of a scanner registration. */
  readonly auth?: 'Bearer' | 'APIKey';
}

export class FakeHarborScannerClient {
  /** How many report polls answered 302. */
  polls = 0;

  private readonly registration: FakeHarborRegistration;

  constructor(registration: FakeHarborRegistration) {
    this.registration = registration;
  }

  #headers(): Record<string, string> {
    const { credential, auth } = this.registration;
    if (credential === undefined) return {};
    return auth === 'APIKey'
      ? { 'x-scanneradapter-api-key': credential }
      : { authorization: `Bearer ${credential}` };
  }

  async #call(path: string, init: { method?: string; headers?: Record<string, string>; body?: string }) {
    const response = await fetch(`${this.registration.url}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { ...this.#headers(), ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
      redirect: 'manual',
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      refreshAfter: response.headers.get('refresh-after'),
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    } satisfies FakeHarborAnswer;
  }

  /** GET /metadata, as Harbor does when the scanner is registered or its health checked. */
  metadata(): Promise<FakeHarborAnswer> {
    return this.#call('/metadata', { headers: { accept: harborMetadataAccept } });
  }

  /** POST /scan with a ScanRequest document (or any raw text, to send a broken one). */
  scan(request: FakeHarborScanRequest | string): Promise<FakeHarborAnswer> {
    return this.#call('/scan', {
      method: 'POST',
      headers: {
        'content-type': harborScanRequestType,
        accept: 'application/vnd.scanner.adapter.scan.response+json; version=1.0',
      },
      body: typeof request === 'string' ? request : JSON.stringify(request),
    });
  }

  /** GET /scan/{id}/report once, asking for `mimeType` (and an SBOM format for the SBOM report). */
  report(id: string, mimeType: string, sbomMediaType?: string): Promise<FakeHarborAnswer> {
    const query = sbomMediaType === undefined ? '' : `?sbom_media_type=${encodeURIComponent(sbomMediaType)}`;
    return this.#call(`/scan/${encodeURIComponent(id)}/report${query}`, { headers: { accept: mimeType } });
  }

  /** Polls the report while it answers 302, waiting `Refresh-After` seconds between polls. */
  async pollReport(
    id: string,
    mimeType: string,
    maxPolls = 60,
    sbomMediaType?: string,
  ): Promise<FakeHarborAnswer> {
    for (let poll = 0; poll < maxPolls; poll += 1) {
      const answer = await this.report(id, mimeType, sbomMediaType);
      if (answer.status !== 302) return answer;
      this.polls += 1;
      const seconds = Number(answer.refreshAfter);
      if (!Number.isInteger(seconds) || seconds < 0)
        throw new Error(`302 without a valid Refresh-After: ${answer.refreshAfter}`);
      await delay(seconds * 1000);
    }
    throw new Error(`the report was still not ready after ${maxPolls} polls`);
  }
}
