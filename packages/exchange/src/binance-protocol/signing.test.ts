import { createPublicKey } from 'node:crypto';
import {
  ed25519PrivateKeyFromSeed,
  ed25519PublicKeyFromHex,
  encodeRestParams,
  isPercentEncoded,
  signEd25519,
  signHmac,
  verifyEd25519,
  wsApiSignaturePayload,
} from '@qtp/exchange/binance-server';
import { describe, expect, it } from 'vitest';

// The vectors of the spec's Appendix A, computed there with OpenSSL and Node crypto.
const SECRET = 'fakeSecret-ForUnitTestsOnly-9f3c2a71d0b84e5f';
const ORDER =
  'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.00100000&price=25000.00&recvWindow=5000&timestamp=1700000000000';
const seed = 'a2953332dc5839f6be336805be9503817deee9282288e7bfba27b3610e134bda';
const publicHex = 'a36d31f11695ad77b944ab688fd352fc8a309208c0196e76d2d32d4676592d13';

describe('Binance signing', () => {
  it('signs a REST order with HMAC as vector 1', () => {
    expect(signHmac(SECRET, ORDER)).toBe(
      '192f2235326290ca2d334d0e9b94e90b65446e7b79b19e13af47a32b29f48899',
    );
  });

  it('signs query and body concatenated without a separator as vector 2', () => {
    const payload =
      'symbol=BTCUSDT&side=BUY&type=LIMIT' +
      'timeInForce=GTC&quantity=0.00100000&price=25000.00&recvWindow=5000&timestamp=1700000000000';
    expect(signHmac(SECRET, payload)).toBe(
      '77291368266b3f3a93d6e58df0209ce0213ff496ccffdb0b5e0f1a94454a44e8',
    );
  });

  it('signs a GET query as vector 3', () => {
    expect(signHmac(SECRET, 'symbol=BTCUSDT&orderId=123456789&timestamp=1700000000500')).toBe(
      '5952d77d3b4dd88ee1cffb2fff1101785d398001f12cbdecb217c79e11c7d778',
    );
  });

  it('percent-encodes a non-ASCII symbol before signing as vector 4', () => {
    const payload = encodeRestParams([
      ['symbol', '测试USDT'],
      ['side', 'SELL'],
      ['type', 'MARKET'],
      ['quantity', '2'],
      ['timestamp', '1700000001000'],
    ]);
    expect(payload).toBe(
      'symbol=%E6%B5%8B%E8%AF%95USDT&side=SELL&type=MARKET&quantity=2&timestamp=1700000001000',
    );
    expect(signHmac(SECRET, payload)).toBe(
      'b4c1a0f879e89a9edec4b0862a32b5ddf7b0dfff7f06c9d1f376756f28fccdcb',
    );
    expect(isPercentEncoded(payload)).toBe(true);
    expect(isPercentEncoded('symbol=测试USDT')).toBe(false);
  });

  it('signs with Ed25519 as vector 5 and verifies with the public key', () => {
    const signature = signEd25519(ed25519PrivateKeyFromSeed(seed), ORDER);
    expect(signature).toBe(
      'ebiub2WbbKXQ4rqjtNSiwqS8Y80ZXnciSyIRcifhXbyv2M9/VI0QGXCMz4r7+b44YrVpS+aIdsXDFPngV2chBA==',
    );
    expect(encodeURIComponent(signature)).toBe(
      'ebiub2WbbKXQ4rqjtNSiwqS8Y80ZXnciSyIRcifhXbyv2M9%2FVI0QGXCMz4r7%2Bb44YrVpS%2BaIdsXDFPngV2chBA%3D%3D',
    );
    expect(verifyEd25519(ed25519PublicKeyFromHex(publicHex), ORDER, signature)).toBe(true);
    expect(verifyEd25519(ed25519PublicKeyFromHex(publicHex), `${ORDER}1`, signature)).toBe(false);
  });

  it('reads the public key from its PEM form as well', () => {
    const pem = `-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAo20x8RaVrXe5RKtoj9NS/IowkgjAGW520tMtRnZZLRM=\n-----END PUBLIC KEY-----\n`;
    const fromPem = createPublicKey(pem).export({ format: 'der', type: 'spki' }).toString('hex');
    expect(fromPem.endsWith(publicHex)).toBe(true);
  });

  it('sorts WebSocket API params without encoding them as vector 6', () => {
    const payload = wsApiSignaturePayload({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: '25000.00',
      quantity: '0.00100000',
      newClientOrderId: 'myOrder-0001',
      timestamp: 1700000000000,
      apiKey: 'fakeApiKeyForTests000000000000000000000000000000000000000000',
    });
    expect(payload).toBe(
      'apiKey=fakeApiKeyForTests000000000000000000000000000000000000000000&newClientOrderId=myOrder-0001&price=25000.00&quantity=0.00100000&side=BUY&symbol=BTCUSDT&timeInForce=GTC&timestamp=1700000000000&type=LIMIT',
    );
    expect(signHmac(SECRET, payload)).toBe(
      '28d75e93894ea1b6d750040fa2aae591575bdb32a70cbce880902253a40f26e4',
    );
  });

  it('signs session.logon with Ed25519 as vector 7', () => {
    const payload = wsApiSignaturePayload({
      timestamp: 1700000000000,
      apiKey: 'fakeEd25519ApiKeyForTests0000000000000000000000000000000000',
    });
    expect(signEd25519(ed25519PrivateKeyFromSeed(seed), payload)).toBe(
      'UdPtFDJpWfRVr668md9SjZKoxmDBl6lJqhdVtqNEAQDFBmYaGxLM6Et4yqyXlSH4KsovZ5kj4v0Ai3P2ZmCmDA==',
    );
  });
});
