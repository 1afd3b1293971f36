/**
 * Synchronous publish with one and with ten handlers, and on a topic nobody subscribes to: the QTP EventBus against raw eventemitter3
 * (the baseline, and what the bus dispatches through) and against a plain array of callbacks
 * (the practical limit). Each handler adds the payload to a shared sink, so the calls
 * cannot be optimized away.
 *
 * Every contestant is warmed up before measuring, so the figures are steady-state ones, taken
 * after V8 has seen every call path, as in a running engine. eventemitter3's `emit` is shared by
 * the raw baseline and the bus, as it would be in an application that uses both.
 */
import { EventBus, SimulatedClock } from '@qtp/core';
import { EventEmitter } from 'eventemitter3';
import { bench, group, summary } from 'mitata';

interface Tick {
  readonly value: number;
}
interface Events {
  tick: Tick;
}

const payload: Tick = { value: 1 };
const sink = { total: 0 };

function setup(handlerCount: number) {
  const handlers: Array<(tick: Tick) => void> = [];
  for (let i = 0; i < handlerCount; i++) {
    handlers.push((tick) => {
      sink.total += tick.value + i;
    });
  }
  const bus = new EventBus<Events>({ clock: new SimulatedClock() });
  const emitter = new EventEmitter<{ tick: [Tick] }>();
  for (const handler of handlers) {
    bus.subscribe('tick', handler);
    emitter.on('tick', handler);
  }
  return { bus, emitter, handlers };
}

for (const handlerCount of [1, 10]) {
  const { bus, emitter, handlers } = setup(handlerCount);
  const label = handlerCount === 1 ? 'one handler' : `${handlerCount} handlers`;
  const contestants: Record<string, () => void> = {
    'raw eventemitter3': () => {
      emitter.emit('tick', payload);
    },
    'QTP EventBus': () => {
      bus.publish('tick', payload);
    },
    'plain array of callbacks': () => {
      for (let i = 0; i < handlers.length; i++) handlers[i]!(payload);
    },
  };
  // mitata decides from one cold call whether to batch calls per sample; warmed-up code keeps
  // that decision the same for every contestant, also on a busy machine.
  for (const run of Object.values(contestants)) for (let i = 0; i < 50_000; i++) run();
  group(`event bus: sync publish, ${label}`, () => {
    summary(() => {
      for (const [name, run] of Object.entries(contestants)) {
        bench(name, run).baseline(name === 'raw eventemitter3');
      }
    });
  });
}

// Publishing on a topic nobody subscribes to (a market-data topic a host does not use): the bus's
// fast path, against an emit on eventemitter3 with no listener and an empty loop.
{
  const bus = new EventBus<Events & { unheard: Tick }>({ clock: new SimulatedClock() });
  bus.subscribe('tick', () => {});
  const emitter = new EventEmitter<{ tick: [Tick]; unheard: [Tick] }>();
  const none: Array<(tick: Tick) => void> = [];
  const contestants: Record<string, () => void> = {
    'raw eventemitter3': () => {
      emitter.emit('unheard', payload);
    },
    'QTP EventBus': () => {
      bus.publish('unheard', payload);
    },
    'plain array of callbacks': () => {
      for (let i = 0; i < none.length; i++) none[i]!(payload);
    },
  };
  for (const run of Object.values(contestants)) for (let i = 0; i < 50_000; i++) run();
  group('event bus: publish on a topic without subscribers', () => {
    summary(() => {
      for (const [name, run] of Object.entries(contestants)) {
        bench(name, run).baseline(name === 'raw eventemitter3');
      }
    });
  });
}
