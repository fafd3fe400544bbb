import { type Static, Type } from 'typebox';

/** A time a query can name: a larger number is no exact integer, and PostgreSQL refuses it as a bigint. */
const Time = (description: string) => Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description });

/** CTS v3 ListTraces ("Querying a Trace List"): the query. */
export const ListTracesQuery = Type.Object({
  trace_type: Type.Literal('system', { description: 'management traces; data traces (OBS) do not exist here' }),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  from: Type.Optional(Time('UTC ms; default: one hour before to')),
  to: Type.Optional(Time('UTC ms; default: now')),
  next: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the marker of the previous page' })),
  tracker_name: Type.Optional(Type.Literal('system')),
  service_type: Type.Optional(Type.String({ maxLength: 64 })),
  user: Type.Optional(Type.String({ maxLength: 64, description: 'user name' })),
  resource_id: Type.Optional(Type.String({ maxLength: 256 })),
  resource_name: Type.Optional(Type.String({ maxLength: 256 })),
  resource_type: Type.Optional(Type.String({ maxLength: 64 })),
  trace_id: Type.Optional(Type.String({ maxLength: 64 })),
  trace_name: Type.Optional(Type.String({ maxLength: 64 })),
  trace_rating: Type.Optional(Type.Union([Type.Literal('normal'), Type.Literal('warning'), Type.Literal('incident')])),
});
export type ListTracesQuery = Static<typeof ListTracesQuery>;

const Named = Type.Object({ id: Type.String(), name: Type.String() });

export const TraceView = Type.Object({
  trace_id: Type.String({ description: 'UUID' }),
  trace_name: Type.String(),
  trace_rating: Type.String({ description: 'normal, warning (4xx) or incident (5xx)' }),
  trace_type: Type.String({ description: 'ApiCall, ConsoleAction or SystemAction' }),
  service_type: Type.String({ description: 'ModelArts, IAM or EPS' }),
  resource_type: Type.String(),
  resource_id: Type.String(),
  resource_name: Type.String(),
  code: Type.String({ description: 'HTTP status of the answer' }),
  request: Type.String({ description: 'JSON text of the request body, secrets removed' }),
  response: Type.String({ description: 'JSON text of the answer, secrets removed' }),
  user: Type.Optional(Type.Object({ id: Type.String(), name: Type.String(), domain: Named })),
  source_ip: Type.Optional(Type.String()),
  request_id: Type.String(),
  api_version: Type.String(),
  message: Type.String(),
  time: Type.Integer({ description: 'UTC ms of the call' }),
  record_time: Type.Integer({ description: 'UTC ms the trace was written' }),
});
export type TraceView = Static<typeof TraceView>;

export const TraceList = Type.Object({
  traces: Type.Array(TraceView),
  meta_data: Type.Object({
    count: Type.Integer({ description: 'traces in this answer' }),
    marker: Type.Union([Type.String(), Type.Null()], { description: 'pass as next for the following page; null on the last page' }),
  }),
});
export type TraceList = Static<typeof TraceList>;
