import { instrumentId, SeededIdGenerator, toDecimal } from '@qtp/core';

const id = instrumentId('BTCUSDT', 'BINANCE');
const price = toDecimal('27123.45', 'price');
const ids = new SeededIdGenerator({ seed: 42 });
console.log(`${id} notional of 0.015 at ${price.toFixed()}: ${price.times('0.015').toFixed()}`);
console.log(`client order id: ${ids.next()}`);
