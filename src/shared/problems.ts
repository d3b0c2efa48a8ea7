/** A failure the caller can act on, answered as application/problem+json. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: { field: string; message: string }[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new Problem(404, 'not_found', `${what} not found`);
export const forbidden = (detail = 'this resource belongs to someone else') => new Problem(403, 'forbidden', detail);
export const unauthorized = (detail = 'sign in first') => new Problem(401, 'unauthorized', detail);
export const invalidState = (detail: string) => new Problem(409, 'invalid_state', detail);
export const invalidField = (field: string, message: string) =>
  new Problem(400, 'validation_failed', `${field}: ${message}`, [{ field, message }]);
