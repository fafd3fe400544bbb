import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ok } from './helpers/fixtures.js';
import { type TestServer, startTestServer } from './helpers/server.js';

type Operations = Record<string, { operationId?: string; summary?: string }>;

describe('/openapi.json', () => {
  let srv: TestServer;
  let doc: any;

  before(async () => {
    srv = await startTestServer();
    doc = ok(await srv.api('GET', '/openapi.json'));
  });
  after(() => srv.close());

  test('is a valid OpenAPI 3.0 document', async () => {
    // validate() dereferences the document in place
    await SwaggerParser.validate(structuredClone(doc));
  });

  test('every operation has a summary and a unique operationId; servers are declared', () => {
    const operations = Object.values(doc.paths as Record<string, Operations>).flatMap((ops) => Object.values(ops));
    assert.ok(operations.length > 20, String(operations.length));
    for (const operation of operations) {
      assert.ok(typeof operation.summary === 'string' && operation.summary.length > 0, `summary of ${operation.operationId}`);
    }
    const ids = operations.map((o) => o.operationId);
    assert.equal(new Set(ids).size, ids.length);
    const byId = Object.fromEntries(operations.map((o) => [o.operationId, o.summary]));
    assert.equal(byId.CreateWorkspace, 'Create workspace');
    assert.equal(byId.KeystoneCreateUserTokenByPassword, 'Keystone create user token by password');
    assert.ok(doc.servers.length > 0);
    for (const server of doc.servers) assert.ok(server.url === '/' || !server.url.endsWith('/'), server.url);
  });

  test('operator routes are tagged Operator and secured by the operator token', () => {
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>)
      .filter(([path]) => path.startsWith('/maws/'))
      .flatMap(([, ops]) => Object.values(ops));
    assert.ok(operations.length >= 7, String(operations.length));
    for (const operation of operations) {
      assert.deepEqual(operation.tags, ['Operator'], operation.operationId);
      assert.deepEqual(operation.security, [{ operatorToken: [] }], operation.operationId);
    }
    assert.equal(doc.components.securitySchemes.operatorToken.scheme, 'bearer');
  });

  test('schemas are written in the 3.0 dialect (example, not examples)', () => {
    const error = doc.paths['/v1/{project_id}/workspaces'].get.responses['4XX'].content['application/json'].schema;
    assert.equal(error.properties.error_code.example, 'ModelArts.7005');
    assert.equal(JSON.stringify(doc).includes('"examples"'), false);
  });
});
