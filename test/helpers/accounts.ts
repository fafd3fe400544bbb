// Accounts made through the operator API, as an operator makes them, with a way to act as their
// users: a token by password login, or AK/SK signatures.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { type ApiOptions, type ApiResponse, type TestServer, type TestUser } from './server.js';
import { loginTo, signedApi } from './fixtures.js';

export interface OperatorAccount {
  id: string;
  name: string;
  /** by name, as the operator API lists them */
  projects: Array<{ id: string; name: string }>;
  root: TestUser;
}

/** POST /maws/v1/accounts with a generated root password; the one-time secrets are kept. */
export async function createOperatorAccount(srv: TestServer, name = `acct-${randomBytes(4).toString('hex')}`): Promise<OperatorAccount> {
  const res = await srv.operator('POST', '/maws/v1/accounts', { body: { name } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const { account, root_user, password, access_key, secret_key } = res.body;
  assert.ok(password && access_key && secret_key, JSON.stringify(res.body));
  return {
    id: account.id,
    name: account.name,
    projects: account.projects.map(({ id, name }: { id: string; name: string }) => ({ id, name })),
    root: { id: root_user.id, name: root_user.name, password, accessKey: access_key, secretKey: secret_key },
  };
}

/** How a test calls the API as one user: with a token, or signing with the user's AK/SK. */
export interface Caller {
  label: string;
  call(method: string, pathAndQuery: string, options?: Pick<ApiOptions, 'body' | 'headers'>): Promise<ApiResponse>;
}

export async function tokenCaller(srv: TestServer, accountName: string, user: TestUser, projectName: string, label: string): Promise<Caller> {
  const token = await loginTo(srv, accountName, user, projectName);
  return { label, call: (method, path, options = {}) => srv.api(method, path, { ...options, token }) };
}

export function akskCaller(srv: TestServer, user: TestUser, label: string): Caller {
  return {
    label,
    call: (method, path, options = {}) =>
      signedApi(srv, method, path, { ak: user.accessKey, sk: user.secretKey, body: options.body, headers: options.headers }),
  };
}
