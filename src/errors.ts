/**
 * The one error table. ModelArts reports business errors as HTTP 400 with a specific code
 * (see api-contract §6); the IAM/EPS admin surface uses honest statuses like the real IAM does.
 */
export const ERRORS = {
  invalid_parameter: { status: 400, code: 'ModelArts.0104' },
  duplicate_name: { status: 400, code: 'ModelArts.0103' },
  default_workspace_immutable: { status: 400, code: 'ModelArts.3566' },
  workspace_abnormal: { status: 400, code: 'ModelArts.7004' },
  workspace_not_found: { status: 400, code: 'ModelArts.7005' },
  workspace_limit: { status: 400, code: 'ModelArts.7006' },
  forbidden: { status: 403, code: 'ModelArts.0108' },
  project_mismatch: { status: 403, code: 'ModelArts.0210' },
  unauthenticated: { status: 401, code: 'APIGW.0301' },
  // A password sign-in of a locked user (IAM's lockout): the cloud's status, the sign-in refusals' code.
  account_locked: { status: 401, code: 'APIGW.0301' },
  route_not_found: { status: 404, code: 'APIGW.0101' },
  malformed_request: { status: 400, code: 'APIGW.0201' },
  body_too_large: { status: 413, code: 'APIGW.0201' },
  // Raised by Node's HTTP parser or its timers, before any route sees the request.
  header_too_large: { status: 431, code: 'APIGW.0201' },
  request_timeout: { status: 408, code: 'APIGW.0201' },
  iam_invalid_parameter: { status: 400, code: 'IAM.0001' },
  iam_forbidden: { status: 403, code: 'IAM.0002' },
  iam_not_found: { status: 404, code: 'IAM.0003' },
  iam_conflict: { status: 409, code: 'IAM.0004' },
  // Cloud Trace Service (ListTraces): CTS's own codes.
  cts_invalid_parameter: { status: 400, code: 'CTS.0003' },
  cts_forbidden: { status: 403, code: 'CTS.0002' },
  cts_project_mismatch: { status: 403, code: 'CTS.0012' },
  // The operator API (/maws/…) is this service's own, not a cloud API: its codes are ours.
  operator_invalid_parameter: { status: 400, code: 'MAWS.0001' },
  operator_forbidden: { status: 403, code: 'MAWS.0003' },
  operator_not_found: { status: 404, code: 'MAWS.0004' },
  operator_conflict: { status: 409, code: 'MAWS.0009' },
  unavailable: { status: 503, code: 'ModelArts.7008' },
  internal: { status: 500, code: 'ModelArts.7001' },
} as const satisfies Record<string, { status: number; code: string }>;

export type ErrorKind = keyof typeof ERRORS;

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return ERRORS[this.kind].status;
  }

  get code(): string {
    return ERRORS[this.kind].code;
  }
}

export interface ErrorBody {
  error_code: string;
  error_msg: string;
  request_id: string;
}

export function workspaceNotFound(workspaceId: string): AppError {
  return new AppError('workspace_not_found', `workspace:${workspaceId} not existed`);
}
