import { describe, expect, it } from 'vitest';
import {
  createBinanceSigner,
  encodeRestParams,
  signRestPayload,
  signWsApiParams,
  wsApiSignaturePayload,
} from './signing.js';

// The vectors of the wire specification's Appendix A, computed there with OpenSSL and Node.
const hmac = createBinanceSigner({
  kind: 'hmac',
  apiKey: 'fakeApiKeyForTests000000000000000000000000000000000000000000',
  secret: 'fakeSecret-ForUnitTestsOnly-9f3c2a71d0b84e5f',
});
const ed25519 = createBinanceSigner({
  kind: 'ed25519',
  apiKey: 'fakeEd25519ApiKeyForTests0000000000000000000000000000000000',
  privateKey: 'a2953332dc5839f6be336805be9503817deee9282288e7bfba27b3610e134bda',
});
const orderPayload =
  'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.00100000&price=25000.00&recvWindow=5000&timestamp=1700000000000';

describe('Binance signing', () => {
  it('signs a REST order with HMAC (vector 1)', () => {
    expect(hmac.sign(orderPayload)).toBe(
      '192f2235326290ca2d334d0e9b94e90b65446e7b79b19e13af47a32b29f48899',
    );
  });

  it('signs a payload split between query and body (vector 2)', () => {
    const payload =
      'symbol=BTCUSDT&side=BUY&type=LIMIT' +
      'timeInForce=GTC&quantity=0.00100000&price=25000.00&recvWindow=5000&timestamp=1700000000000';
    expect(hmac.sign(payload)).toBe(
      '77291368266b3f3a93d6e58df0209ce0213ff496ccffdb0b5e0f1a94454a44e8',
    );
  });

  it('signs a GET query (vector 3)', () => {
    const payload = encodeRestParams({
      symbol: 'BTCUSDT',
      orderId: 123456789,
      timestamp: 1700000000500,
    });
    expect(hmac.sign(payload)).toBe(
      '5952d77d3b4dd88ee1cffb2fff1101785d398001f12cbdecb217c79e11c7d778',
    );
  });

  it('percent-encodes a non-ASCII symbol before signing (vector 4)', () => {
    const payload = encodeRestParams({
      symbol: '测试USDT',
      side: 'SELL',
      type: 'MARKET',
      quantity: '2',
      timestamp: 1700000001000,
    });
    expect(payload).toBe(
      'symbol=%E6%B5%8B%E8%AF%95USDT&side=SELL&type=MARKET&quantity=2&timestamp=1700000001000',
    );
    expect(hmac.sign(payload)).toBe(
      'b4c1a0f879e89a9edec4b0862a32b5ddf7b0dfff7f06c9d1f376756f28fccdcb',
    );
  });

  it('signs with Ed25519 and percent-encodes the base64 on the wire (vector 5)', () => {
    expect(ed25519.sign(orderPayload)).toBe(
      'ebiub2WbbKXQ4rqjtNSiwqS8Y80ZXnciSyIRcifhXbyv2M9/VI0QGXCMz4r7+b44YrVpS+aIdsXDFPngV2chBA==',
    );
    expect(signRestPayload(ed25519, orderPayload)).toBe(
      `${orderPayload}&signature=ebiub2WbbKXQ4rqjtNSiwqS8Y80ZXnciSyIRcifhXbyv2M9%2FVI0QGXCMz4r7%2Bb44YrVpS%2BaIdsXDFPngV2chBA%3D%3D`,
    );
  });

  it('sorts WebSocket API parameters and signs them unencoded (vector 6)', () => {
    const signed = signWsApiParams(hmac, {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: '25000.00',
      quantity: '0.00100000',
      newClientOrderId: 'myOrder-0001',
      timestamp: 1700000000000,
    });
    expect(wsApiSignaturePayload(signed)).toBe(
      'apiKey=fakeApiKeyForTests000000000000000000000000000000000000000000&newClientOrderId=myOrder-0001&price=25000.00&quantity=0.00100000&side=BUY&symbol=BTCUSDT&timeInForce=GTC&timestamp=1700000000000&type=LIMIT',
    );
    expect(signed.signature).toBe(
      '28d75e93894ea1b6d750040fa2aae591575bdb32a70cbce880902253a40f26e4',
    );
  });

  it('signs a session logon with Ed25519 (vector 7)', () => {
    const signed = signWsApiParams(ed25519, { timestamp: 1700000000000 });
    expect(signed.signature).toBe(
      'UdPtFDJpWfRVr668md9SjZKoxmDBl6lJqhdVtqNEAQDFBmYaGxLM6Et4yqyXlSH4KsovZ5kj4v0Ai3P2ZmCmDA==',
    );
  });

  it('refuses an unreadable Ed25519 key without echoing it', () => {
    expect(() =>
      createBinanceSigner({ kind: 'ed25519', apiKey: 'k', privateKey: 'not-a-key-s3cr3t' }),
    ).toThrow(/redacted/);
    try {
      createBinanceSigner({ kind: 'ed25519', apiKey: 'k', privateKey: 'not-a-key-s3cr3t' });
    } catch (error) {
      expect(JSON.stringify(error)).not.toContain('s3cr3t');
      expect(String(error)).not.toContain('s3cr3t');
    }
  });
});
