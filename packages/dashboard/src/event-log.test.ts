import { describe, expect, it } from 'vitest';
import { EventLog } from './event-log.js';

describe('EventLog', () => {
  it('keeps the last events newest first, numbered in the order heard', () => {
    const log = new EventLog(3);
    for (let i = 1; i <= 5; i++) log.push(i * 1_000, `topic.${i}`, { i });
    expect(log.size).toBe(3);
    expect(log.newestFirst()).toEqual([
      { seq: 5, timeMs: 5_000, topic: 'topic.5', event: { i: 5 } },
      { seq: 4, timeMs: 4_000, topic: 'topic.4', event: { i: 4 } },
      { seq: 3, timeMs: 3_000, topic: 'topic.3', event: { i: 3 } },
    ]);
  });

  it('returns what it holds before it is full', () => {
    const log = new EventLog(4);
    expect(log.newestFirst()).toEqual([]);
    log.push(10, 'a', 1);
    log.push(20, 'b', 2);
    expect(log.newestFirst().map((entry) => entry.topic)).toEqual(['b', 'a']);
  });

  it('summarises each event once, and again only once its slot holds another event', () => {
    const log = new EventLog(2);
    const asked: string[] = [];
    const summarize = (topic: string, event: unknown): string => {
      asked.push(topic);
      return `${topic}=${JSON.stringify(event)}`;
    };
    log.push(1, 'a', 1);
    log.push(2, 'b', 2);
    expect(log.rows(summarize)).toEqual([
      { seq: 2, timeMs: 2, topic: 'b', summary: 'b=2' },
      { seq: 1, timeMs: 1, topic: 'a', summary: 'a=1' },
    ]);
    log.rows(summarize);
    expect(asked).toEqual(['b', 'a']);
    log.push(3, 'c', 3);
    expect(log.rows(summarize).map((row) => row.summary)).toEqual(['c=3', 'b=2']);
    expect(asked).toEqual(['b', 'a', 'c']);
  });

  it('returns only the entries numbered after a given one, and its newest number', () => {
    const log = new EventLog(3);
    expect(log.lastSeq).toBe(0);
    for (let i = 1; i <= 5; i++) log.push(i, `t${i}`, i);
    expect(log.lastSeq).toBe(5);
    const seqs = (after: number) => log.rows((topic) => topic, after).map((row) => row.seq);
    expect(seqs(3)).toEqual([5, 4]);
    expect(seqs(5)).toEqual([]);
    // Entries already dropped are not returned: the log holds 3 to 5 only.
    expect(seqs(0)).toEqual([5, 4, 3]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new EventLog(0)).toThrow(RangeError);
    expect(() => new EventLog(1.5)).toThrow('capacity: must be a positive integer, was 1.5');
  });
});
