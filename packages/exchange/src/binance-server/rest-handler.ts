import type { IncomingMessage, ServerResponse } from 'node:http';
import { isPercentEncoded } from '../binance-protocol/signing.js';
import type { ServerAccount } from './account.js';
import { checkTimestamp, signatureMatches } from './auth.js';
import type { ListenKeys } from './listen-keys.js';
import { REST_OPERATIONS } from './operations.js';
import { BinanceRequestError } from './request-error.js';
import { mergeParams, parsePairs, RequestParams, stripSignature } from './request-params.js';
import type { CallInfo, ServerContext } from './server-context.js';

/** What a REST reply is made of before it is written. */
export interface RestReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The order log entry of an order accepted by this request, for response faults. */
  acceptedLogEntry: number | undefined;
}

/** Reads a request's body as text. */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Verifies the key, signature (spec §1.4) and timestamp (§1.5) of a signed REST request. */
function authenticate(
  context: ServerContext,
  request: IncomingMessage,
  rawQuery: string,
  rawBody: string,
  params: RequestParams,
): ServerAccount {
  const header = request.headers['x-mbx-apikey'];
  const apiKey = Array.isArray(header) ? header[0] : header;
  if (apiKey === undefined || apiKey === '' || !/^[\x21-\x7e]+$/.test(apiKey)) {
    throw new BinanceRequestError(-2014, 'API-key format invalid.');
  }
  const account = context.accounts.get(apiKey);
  if (account === undefined)
    throw new BinanceRequestError(-2015, 'Invalid API-key, IP, or permissions for action.');
  const query = stripSignature(rawQuery);
  const body = stripSignature(rawBody);
  const encoded = query.signature ?? body.signature;
  params.consume('signature', 'timestamp', 'recvWindow');
  if (encoded === undefined || encoded === '') {
    throw new BinanceRequestError(
      -1102,
      "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.",
    );
  }
  const payload = query.payload + body.payload;
  let signature: string;
  try {
    signature = decodeURIComponent(encoded);
  } catch {
    throw new BinanceRequestError(-1022, 'Signature for this request is not valid.');
  }
  // Since January 2026 the signed text must be the percent-encoded form of the parameters.
  if (!isPercentEncoded(payload) || !signatureMatches(account.key, payload, signature)) {
    throw new BinanceRequestError(-1022, 'Signature for this request is not valid.');
  }
  checkTimestamp(params, context.now());
  return account;
}

// The legacy listenKey endpoints: the API key alone, no signature or timestamp.
function legacyUserDataStream(
  context: ServerContext,
  keys: ListenKeys,
  request: IncomingMessage,
  rawQuery: string,
  rawBody: string,
): unknown {
  const header = request.headers['x-mbx-apikey'];
  const apiKey = Array.isArray(header) ? header[0] : header;
  const account = apiKey === undefined ? undefined : context.accounts.get(apiKey);
  if (account === undefined)
    throw new BinanceRequestError(-2015, 'Invalid API-key, IP, or permissions for action.');
  const params = new RequestParams(mergeParams(parsePairs(rawQuery), parsePairs(rawBody)));
  switch (request.method) {
    case 'POST':
      params.assertAllRead();
      return { listenKey: keys.create(account) };
    case 'PUT': {
      const key = params.required('listenKey');
      params.assertAllRead();
      keys.keepAlive(account, key);
      return {};
    }
    case 'DELETE': {
      const key = params.required('listenKey');
      params.assertAllRead();
      keys.close(account, key);
      return {};
    }
    default:
      throw new BinanceRequestError(-1020, 'This operation is not supported.');
  }
}

/** Handles one REST request and returns the reply to write. */
export async function handleRest(
  context: ServerContext,
  request: IncomingMessage,
  rawBody: string,
  ip: string,
): Promise<RestReply> {
  const url = request.url ?? '/';
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  const rawQuery = mark < 0 ? '' : url.slice(mark + 1);
  const headers: Record<string, string> = { 'Content-Type': 'application/json;charset=UTF-8' };
  const reply = (status: number, body: unknown, acceptedLogEntry?: number): RestReply => {
    const used = String(context.weights.used(ip));
    headers['X-MBX-USED-WEIGHT'] = used;
    headers['X-MBX-USED-WEIGHT-1M'] = used;
    return { status, headers, body: JSON.stringify(body), acceptedLogEntry };
  };
  if (path === '/api/v3/userDataStream' && context.listenKeys !== undefined) {
    try {
      context.weights.admit(ip, 2);
      return reply(
        200,
        legacyUserDataStream(context, context.listenKeys, request, rawQuery, rawBody),
      );
    } catch (error) {
      if (!(error instanceof BinanceRequestError)) throw error;
      Object.assign(headers, error.headers);
      return reply(error.httpStatus, { code: error.code, msg: error.message });
    }
  }
  const operation = REST_OPERATIONS.get(`${request.method ?? 'GET'} ${path}`);
  if (operation === undefined)
    return {
      status: 404,
      headers: { 'Content-Type': 'text/html' },
      body: '<html><body><h2>404 Not found</h2></body></html>',
      acceptedLogEntry: undefined,
    };
  const accept = request.headers.accept ?? '';
  if (accept.includes('application/sbe') && !accept.includes('application/json')) {
    return { status: 406, headers: {}, body: '', acceptedLogEntry: undefined };
  }
  const call: CallInfo = { transport: 'rest', account: undefined };
  let params: RequestParams | undefined;
  try {
    params = new RequestParams(mergeParams(parsePairs(rawQuery), parsePairs(rawBody)));
    context.weights.admit(ip, operation.weight(params));
    const account =
      operation.security === 'NONE'
        ? undefined
        : authenticate(context, request, rawQuery, rawBody, params);
    const signedCall: CallInfo = { ...call, account };
    const result = await operation.run(context, params, signedCall);
    if (operation.security === 'NONE') params.assertAllRead();
    if (signedCall.orderCounts !== undefined) {
      headers['X-MBX-ORDER-COUNT-10S'] = String(signedCall.orderCounts.tenSeconds);
      headers['X-MBX-ORDER-COUNT-1D'] = String(signedCall.orderCounts.day);
    }
    return reply(200, result, signedCall.acceptedLogEntry);
  } catch (error) {
    if (operation.chargedOnFailure === true) context.weights.charge(ip, 1);
    if (!(error instanceof BinanceRequestError)) {
      return reply(500, {
        code: -1000,
        msg: 'An unknown error occurred while processing the request.',
      });
    }
    Object.assign(headers, error.headers);
    const body: Record<string, unknown> = { code: error.code, msg: error.message };
    if (error.data !== undefined && error.httpStatus !== 429 && error.httpStatus !== 418)
      body.data = error.data;
    return reply(error.httpStatus, body);
  }
}

/** Writes a reply. */
export function writeReply(
  response: ServerResponse,
  reply: RestReply,
  requestNumber: number,
): void {
  response.writeHead(reply.status, {
    ...reply.headers,
    'x-mbx-uuid': `00000000-0000-4000-8000-${String(requestNumber).padStart(12, '0')}`,
  });
  response.end(reply.body);
}
