/**
 * One error type for every expected failure in DeploySmith. A `code` is stable (clients and tests
 * match on it); the server maps it to an HTTP status, the CLIs to an exit code. Anything that is not
 * a DeploySmithError is a bug.
 */

/** Stable error codes and the HTTP status the server answers with. */
export const ERROR_STATUS = {
  invalid_input: 400,
  invalid_bundle: 400,
  checksum_mismatch: 400,
  unauthorized: 401,
  upload_denied: 403,
  not_found: 404,
  conflict: 409,
  object_collision: 409,
  payload_too_large: 413,
  invalid_manifests: 422,
  tree_does_not_build: 422,
  internal: 500,
  gitops_unreachable: 502,
  gitops_rejected: 502,
  storage_unavailable: 503,
  database_unavailable: 503,
  /** The disk under smithd's data (database, storage, working clones) is full. */
  insufficient_storage: 507,
  // Raised only by the clients, never sent by the server.
  server_unreachable: 503,
  confirmation_required: 400,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Exit codes of forge, smithctl and pilar. The README has the same table. */
export const EXIT = {
  ok: 0,
  /** Invalid input found before anything was sent: flags, files, manifests. */
  invalidInput: 1,
  /** smithd (or a registry) understood the request and refused it. */
  rejected: 2,
  /** smithd or a service it needs cannot be reached. */
  unreachable: 3,
  /** The API key (or registry credentials) is missing, wrong or revoked. */
  unauthorized: 4,
  /** A confirmation was needed and not given. */
  aborted: 5,
  /** A bug: please report it. */
  internal: 70,
} as const;

export interface ErrorDetail {
  /** File (or request field) the problem is in. */
  file?: string;
  /** 1-based line in the file, when known. */
  line?: number;
  /** 0-based index of the YAML document in a multi-document file. */
  document?: number;
  /** Dotted path of the offending field, e.g. `spec.template.spec.containers[0].image`. */
  field?: string;
  message: string;
}

export interface ErrorOptions {
  /** What the reader can do about it. */
  hint?: string;
  details?: ErrorDetail[];
  cause?: unknown;
  /** Set by the client when the error came from a smithd response. */
  fromServer?: boolean;
}

export class DeploySmithError extends Error {
  override readonly name = 'DeploySmithError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: ErrorDetail[];
  readonly fromServer: boolean;

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? [];
    this.fromServer = options.fromServer ?? false;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  get exitCode(): number {
    return exitCodeFor(this);
  }

  toJSON(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.hint === undefined ? {} : { hint: this.hint }),
        ...(this.details.length === 0 ? {} : { details: this.details }),
      },
    };
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  error: { code: string; message: string; hint?: string; details?: ErrorDetail[] };
}

export function isDeploySmithError(error: unknown): error is DeploySmithError {
  return error instanceof DeploySmithError;
}

export function exitCodeFor(error: unknown): number {
  if (!isDeploySmithError(error)) return EXIT.internal;
  switch (error.code) {
    case 'unauthorized':
      return EXIT.unauthorized;
    case 'confirmation_required':
      return EXIT.aborted;
    case 'server_unreachable':
      return EXIT.unreachable;
    case 'internal':
      return EXIT.internal;
  }
  if (error.status >= 500) return EXIT.unreachable;
  return error.fromServer ? EXIT.rejected : EXIT.invalidInput;
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_STATUS, code);
}
