import { describe, expect, it } from 'vitest';
import { type SseEvent, SseParser } from './sse.js';
import { stripUsageChunk } from './stream-taps.js';

const bytes = (s: string) => new TextEncoder().encode(s);

function parseAll(chunks: string[]): SseEvent[] {
  const p = new SseParser();
  const out: SseEvent[] = [];
  for (const c of chunks) p.push(bytes(c), out);
  return out;
}

describe('SseParser', () => {
  it('reads events split anywhere, with LF, CRLF and CR line ends, comments and multi-line data', () => {
    const text = 'event: message_start\ndata: {"a":1}\n\n: keep-alive\r\ndata: line one\r\ndata: line two\r\n\r\ndata: cr\r\rdata: [DONE]\n\n';
    const whole = parseAll([text]);
    expect(whole).toEqual([
      { event: 'message_start', data: '{"a":1}' },
      { event: undefined, data: 'line one\nline two' },
      { event: undefined, data: 'cr' },
      { event: undefined, data: '[DONE]' },
    ]);
    for (let cut = 1; cut < text.length; cut++) expect(parseAll([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
  });

  it('keeps a multi-byte character split across chunks intact', () => {
    const all = bytes('data: {"t":"héllo"}\n\n');
    const p = new SseParser();
    const out: SseEvent[] = [];
    p.push(all.subarray(0, 15), out);
    p.push(all.subarray(15), out);
    expect(out).toEqual([{ event: undefined, data: '{"t":"héllo"}' }]);
  });
});

describe('stripUsageChunk', () => {
  it('drops only the usage-only chat chunk and passes every other byte through', () => {
    const content = 'data: {"choices":[{"index":0,"delta":{"content":"Hi"}}],"usage":null}\n\n';
    const usage = 'data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":1}}\n\n';
    const done = 'data: [DONE]\n\n';
    const input = content + usage + done;
    const filter = stripUsageChunk();
    const relayed: Uint8Array[] = [];
    const keep = (b: Uint8Array | undefined) => b && relayed.push(b);
    // Split mid-event, as a network would.
    for (let i = 0; i < input.length; i += 17) keep(filter.push(bytes(input.slice(i, i + 17))));
    keep(filter.flush());
    expect(Buffer.concat(relayed).toString('utf8')).toBe(content + done);
  });
});
