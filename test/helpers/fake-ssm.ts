import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SsmParameterStore } from '../../functions/shared/secrets.js';

/**
 * A stand-in for SSM Parameter Store over HTTP, for the functions' SSM client (aws-lite, behind
 * Powertools Parameters' cache) to talk to: the AWS JSON 1.1 protocol of GetParameter, as SSM
 * answers it, including ParameterNotFound. There is no SSM emulator here; a mock of the client
 * would skip the request it really signs and sends, the decryption flag and the error answer,
 * which are what this has to prove.
 */
export const startFakeSsm = async () => {
  const values = new Map<string, string>();
  const calls: { name: string; withDecryption: boolean }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(payload));
      };
      if (req.headers['x-amz-target'] !== 'AmazonSSM.GetParameter') {
        return reply(400, {
          __type: 'InvalidAction',
          message: `not supported: ${req.headers['x-amz-target']}`,
        });
      }
      const input = JSON.parse(body) as { Name: string; WithDecryption?: boolean };
      calls.push({ name: input.Name, withDecryption: input.WithDecryption === true });
      const value = values.get(input.Name);
      if (value === undefined) return reply(400, { __type: 'ParameterNotFound', message: '' });
      return reply(200, {
        Parameter: {
          Name: input.Name,
          Type: 'SecureString',
          Value: value,
          Version: 1,
          ARN: `arn:aws:ssm:us-east-1:000000000000:parameter${input.Name}`,
          DataType: 'text',
        },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    calls,
    set: (name: string, value: string) => values.set(name, value),
    /** The functions' parameter store (Powertools Parameters, aws-lite) pointed here. */
    provider: () =>
      new SsmParameterStore({
        endpoint: url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
export type FakeSsm = Awaited<ReturnType<typeof startFakeSsm>>;
