/**
 * One error shape for every API response and every form action:
 *   { "error": { "code": "validation_failed", "message": "...", "fields": [{ "path": "email", "message": "..." }] } }
 * Shared by server and UI (no server-only imports here).
 */
export type ErrorCode =
  | "validation_failed"
  | "malformed_json"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "gone"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "csrf_failed"
  | "internal_error";

export interface FieldError {
  path: string;
  message: string;
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldError[]; requestId?: string };
}

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  malformed_json: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  csrf_failed: 403,
  internal_error: 500,
};

/** An expected failure with a status, a stable code and optionally the fields at fault. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: FieldError[] | undefined;
  constructor(code: ErrorCode, message: string, fields?: FieldError[]) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.status = STATUS[code];
    this.fields = fields;
  }
  toBody(requestId?: string): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields?.length ? { fields: this.fields } : {}),
        ...(requestId ? { requestId } : {}),
      },
    };
  }
}

export const notFound = (what = "That") => new AppError("not_found", `${what} was not found.`);
export const forbidden = (message = "You do not have permission to do that.") => new AppError("forbidden", message);
export const conflict = (message: string, fields?: FieldError[]) => new AppError("conflict", message, fields);
export const invalid = (path: string, message: string) =>
  new AppError("validation_failed", `${path}: ${message}`, [{ path, message }]);

/** Turns zod issues into the shared field list. */
export function fieldsFromIssues(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): FieldError[] {
  return issues.map((i) => ({ path: i.path.map(String).join(".") || "(body)", message: i.message }));
}

export function validationError(issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): AppError {
  const fields = fieldsFromIssues(issues);
  const first = fields[0];
  return new AppError("validation_failed", first ? `Invalid ${first.path}: ${first.message}` : "Invalid input.", fields);
}

/**
 * True for an AppError from any copy of this module. The UI bundle and the server each load
 * their own copy, so `instanceof` is not enough across that boundary.
 */
export function isAppError(error: unknown): error is AppError {
  return (
    error instanceof AppError ||
    (typeof error === "object" && error !== null && (error as { name?: unknown }).name === "AppError" && typeof (error as { code?: unknown }).code === "string")
  );
}
