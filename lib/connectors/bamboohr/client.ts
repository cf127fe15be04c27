import type { Secret } from '../../shared/secret.js';
import { ConnectorError } from '../errors.js';
import type { VendorHttp } from '../vendor-http.js';
import { type BambooHrEmployee, bambooHrEmployeeSchema } from './payload.js';

export type EmployeeLookup =
  | { readonly kind: 'found'; readonly record: BambooHrEmployee }
  | { readonly kind: 'notFound' }
  | { readonly kind: 'forbidden' };

export interface BambooHrClientOptions {
  /** `https://{companyDomain}.bamboohr.com` (docs/connectors.md); the simulator in tests. */
  readonly baseUrl: string;
  readonly apiKey: Secret;
  readonly http: VendorHttp;
}

/** The one BambooHR API call the connector needs: the employee's current record. */
export const createBambooHrClient = ({ baseUrl, apiKey, http }: BambooHrClientOptions) => {
  const base = baseUrl.replace(/\/+$/, '');
  const fail = (kind: 'vendorAuth' | 'vendorRejected' | 'vendorUnavailable', message: string) =>
    new ConnectorError('bamboohr', kind, message);

  return {
    async getEmployee(id: string, fields: readonly string[], signal?: AbortSignal): Promise<EmployeeLookup> {
      const query = new URLSearchParams({ fields: fields.join(','), onlyCurrent: 'true' });
      const response = await http({
        method: 'GET',
        url: `${base}/api/v1/employees/${encodeURIComponent(id)}?${query}`,
        // HTTP Basic with the API key as user name and "x" as password.
        headers: { Authorization: `Basic ${Buffer.from(`${apiKey.reveal()}:x`).toString('base64')}` },
        ...(signal && { signal }),
      });
      const what = `GET employee ${id}`;
      switch (response.status) {
        case 200: {
          const parsed = bambooHrEmployeeSchema.safeParse(response.body);
          if (!parsed.success) throw fail('vendorUnavailable', `${what}: unreadable answer`);
          return { kind: 'found', record: parsed.data };
        }
        case 404:
          return { kind: 'notFound' };
        case 403:
          return { kind: 'forbidden' };
        case 401:
          throw fail('vendorAuth', `${what}: the API key was refused (401)`);
        case 400:
          throw fail('vendorRejected', `${what}: request refused (400)`);
        default:
          // 429 and 503 are BambooHR's throttling answers; both are retried by the vendor's schedule.
          throw fail('vendorUnavailable', `${what}: HTTP ${response.status}`);
      }
    },
  };
};
export type BambooHrClient = ReturnType<typeof createBambooHrClient>;
