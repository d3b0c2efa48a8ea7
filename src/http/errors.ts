import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Problem } from '../shared/problems.ts';

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity',
  429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway',
};

export function sendProblem(reply: FastifyReply, status: number, code: string, detail: string, errors?: { field: string; message: string }[], extra?: object) {
  return reply
    .status(status)
    .type('application/problem+json')
    .send({ type: `https://quanyu.dev/problems/${code}`, title: TITLES[status] ?? 'Error', status, code, detail, ...(errors ? { errors } : {}), ...extra });
}

/** Ajv's messages, turned into {field, message} with dotted field paths (skus.0.price.amount). */
function validationErrors(error: FastifyError) {
  return (error.validation ?? []).map((v: any) => {
    const base = String(v.instancePath ?? '').split('/').filter(Boolean);
    if (v.params?.missingProperty) base.push(v.params.missingProperty);
    if (v.params?.additionalProperty) base.push(v.params.additionalProperty);
    const field = base.join('.') || (error.validationContext === 'body' ? 'body' : String(error.validationContext ?? 'request'));
    return { field, message: v.message ?? 'is invalid' };
  });
}

const PG_CONFLICTS: Record<string, [number, string]> = {
  '23505': [409, 'conflict'], // unique violation
  '23514': [409, 'conflict'], // check violation
  '40001': [409, 'conflict'], // serialization failure
  '40P01': [409, 'conflict'], // deadlock detected
  '22P02': [400, 'validation_failed'], // invalid text representation
  '22003': [400, 'validation_failed'], // numeric out of range
};

export function errorHandler(error: FastifyError & { code?: string }, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof Problem) return sendProblem(reply, error.status, error.code, error.message, error.errors, error.extra);
  if (error.validation) {
    const errors = validationErrors(error);
    return sendProblem(reply, 400, 'validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError)
    return sendProblem(reply, 400, 'validation_failed', 'the body is not valid JSON', [{ field: 'body', message: 'malformed JSON' }]);
  const pg = error.code ? PG_CONFLICTS[error.code] : undefined;
  if (pg) {
    request.log.warn({ err: error }, 'database refused a change');
    return sendProblem(reply, pg[0], pg[1], 'the change conflicts with the current data; try again');
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, status, status === 500 ? 'internal_error' : String(error.code ?? 'bad_request').toLowerCase(), status === 500 ? 'something went wrong on our side' : error.message);
}
