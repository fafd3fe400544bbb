import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { announcesBody } from '../http/route-needs.js';
import {
  Cleared,
  ClearQuery,
  DeletionFailureBody,
  DeletionHoldBody,
  FaultBody,
  ListQuery,
  ProjectResetBody,
  ProjectResetResult,
  TestControlList,
  TestControlParams,
  TestControlView,
} from './test-control.schemas.js';
import type { TestControlService } from './test-control.service.js';

const tags = ['Operator'];
const BASE = '/maws/v1/test-controls';

const TEST_CONTROLS_OFF = 'test controls are off: start the server with MAWS_TEST_CONTROLS=true to use them';

/**
 * While test controls are off, every one of their routes answers 403 (after the operator token was
 * checked, before the body is read), so that a caller learns how to turn them on rather than a 404.
 */
function refuseWhileOff(request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void {
  if (announcesBody(request)) reply.header('Connection', 'close');
  done(new AppError('operator_forbidden', TEST_CONTROLS_OFF));
}

export function testControlRoutes(service: TestControlService, enabled: boolean): FastifyPluginAsyncTypebox {
  return async (app) => {
    const config = { operator: true } as const;
    // A route hook, not the plugin's: that would run before the operator token is checked.
    const onRequest = enabled ? [] : [refuseWhileOff];

    app.post(
      `${BASE}/deletion-failures`,
      { config, onRequest, schema: { operationId: 'MawsFailDeletions', tags, body: DeletionFailureBody, response: { 200: TestControlView } } },
      (request) => service.failDeletions(request.body),
    );

    app.post(
      `${BASE}/deletion-holds`,
      { config, onRequest, schema: { operationId: 'MawsHoldDeletions', tags, body: DeletionHoldBody, response: { 200: TestControlView } } },
      (request) => service.holdDeletions(request.body),
    );

    app.post(
      `${BASE}/faults`,
      { config, onRequest, schema: { operationId: 'MawsInjectFault', tags, body: FaultBody, response: { 200: TestControlView } } },
      (request) => service.injectFault(request.body),
    );

    app.post(
      `${BASE}/project-resets`,
      { config, onRequest, schema: { operationId: 'MawsResetProject', tags, body: ProjectResetBody, response: { 200: ProjectResetResult } } },
      (request) => service.resetProject(request.body.project_id),
    );

    app.get(
      BASE,
      { config, onRequest, schema: { operationId: 'MawsListTestControls', tags, querystring: ListQuery, response: { 200: TestControlList } } },
      async (request) => ({ test_controls: await service.list(request.query.project_id) }),
    );

    app.delete(
      `${BASE}/:id`,
      { config, onRequest, schema: { operationId: 'MawsDeleteTestControl', tags, params: TestControlParams, response: { 200: Cleared } } },
      async (request) => {
        await service.remove(request.params.id);
        return { cleared: 1 };
      },
    );

    app.delete(
      BASE,
      { config, onRequest, schema: { operationId: 'MawsClearTestControls', tags, querystring: ClearQuery, response: { 200: Cleared } } },
      async (request) => ({ cleared: await service.clear(request.query.project_id) }),
    );
  };
}
