import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AccountList, AccountParams, AccountResult, CreateAccountBody, CreatedAccount, UpdateAccountBody } from './account.schemas.js';
import type { AccountService } from './account.service.js';

const config = { operator: true as const };
const tags = ['Operator'];
const BASE = '/maws/v1/accounts';

/** The operator API's accounts: each one an IAM domain with its root user, projects and keys. */
export function accountRoutes(deps: { accounts: AccountService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    const { accounts } = deps;

    app.post(
      BASE,
      { config, schema: { operationId: 'OperatorCreateAccount', tags, body: CreateAccountBody, response: { 200: CreatedAccount } } },
      (request) => accounts.create(request.body),
    );

    app.get(BASE, { config, schema: { operationId: 'OperatorListAccounts', tags, response: { 200: AccountList } } }, () =>
      accounts.list(),
    );

    app.get(
      `${BASE}/:account`,
      { config, schema: { operationId: 'OperatorShowAccount', tags, params: AccountParams, response: { 200: AccountResult } } },
      async (request) => ({ account: await accounts.show(request.params.account) }),
    );

    app.put(
      `${BASE}/:account`,
      {
        config,
        schema: { operationId: 'OperatorUpdateAccount', tags, params: AccountParams, body: UpdateAccountBody, response: { 200: AccountResult } },
      },
      async (request) => ({ account: await accounts.setEnabled(request.params.account, request.body.enabled) }),
    );

    app.delete(
      `${BASE}/:account`,
      {
        config,
        schema: {
          operationId: 'OperatorDeleteAccount',
          tags,
          params: AccountParams,
          response: { 200: { ...AccountResult, description: 'the account as it was before it was deleted' } },
        },
      },
      async (request) => ({ account: await accounts.remove(request.params.account) }),
    );
  };
}
