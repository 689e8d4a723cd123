import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

export type AttrValue = string | number | boolean | AttrValue[] | { [key: string]: AttrValue } | null;

/** A span as LLMLab reads it, whichever OTLP encoding it came in. */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** The instrumentation scope (tracer) name: who wrote the span. */
  scope: string;
  startMs: number;
  endMs: number;
  /** Resource attributes, then scope attributes, then the span's own (later ones win). */
  attributes: Record<string, AttrValue>;
  /** 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage?: string;
}

const root = protobuf.loadSync(fileURLToPath(new URL('./trace-service.proto', import.meta.url)));
const PKG = 'opentelemetry.proto.collector.trace.v1';
export const RequestType = root.lookupType(`${PKG}.ExportTraceServiceRequest`);
export const ResponseType = root.lookupType(`${PKG}.ExportTraceServiceResponse`);
export const StatusType = root.lookupType(`${PKG}.RpcStatus`);

export class OtlpDecodeError extends Error {}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** OTLP/JSON ids are hex; protobuf ids are bytes. Both become lower-case hex. */
function idHex(v: unknown): string {
  if (typeof v === 'string') return v.toLowerCase();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return '';
}

/** Nanoseconds (number, decimal string or Long-like) to epoch milliseconds. */
function nanosToMs(v: unknown): number {
  if (typeof v === 'number') return Math.floor(v / 1e6);
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(BigInt(v) / 1_000_000n);
  if (isObj(v) && typeof v.toString === 'function') return nanosToMs(String(v));
  return 0;
}

function anyValue(v: unknown): AttrValue {
  if (!isObj(v)) return null;
  if ('stringValue' in v) return String(v.stringValue);
  if ('boolValue' in v) return Boolean(v.boolValue);
  if ('intValue' in v) return Number(String(v.intValue));
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('arrayValue' in v) return (((v.arrayValue as Obj | undefined)?.values as unknown[]) ?? []).map(anyValue);
  if ('kvlistValue' in v) return attributes((v.kvlistValue as Obj | undefined)?.values);
  if ('bytesValue' in v) return idHex(v.bytesValue);
  return null;
}

function attributes(list: unknown): Record<string, AttrValue> {
  const out: Record<string, AttrValue> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) if (isObj(kv) && typeof kv.key === 'string') out[kv.key] = anyValue(kv.value);
  return out;
}

/** Flattens an ExportTraceServiceRequest (as plain object, camelCase fields) into spans. */
function flatten(request: unknown): OtlpSpan[] {
  if (!isObj(request)) throw new OtlpDecodeError('the body is not an ExportTraceServiceRequest object');
  const spans: OtlpSpan[] = [];
  for (const rs of (request.resourceSpans as unknown[]) ?? []) {
    if (!isObj(rs)) continue;
    const resource = attributes((rs.resource as Obj | undefined)?.attributes);
    for (const ss of (rs.scopeSpans as unknown[]) ?? []) {
      if (!isObj(ss)) continue;
      const scopeInfo = isObj(ss.scope) ? ss.scope : {};
      const scope = attributes(scopeInfo.attributes);
      const scopeName = typeof scopeInfo.name === 'string' ? scopeInfo.name : '';
      for (const span of (ss.spans as unknown[]) ?? []) {
        if (!isObj(span)) continue;
        const status = isObj(span.status) ? span.status : {};
        spans.push({
          traceId: idHex(span.traceId),
          spanId: idHex(span.spanId),
          parentSpanId: idHex(span.parentSpanId),
          name: typeof span.name === 'string' ? span.name : '',
          scope: scopeName,
          startMs: nanosToMs(span.startTimeUnixNano),
          endMs: nanosToMs(span.endTimeUnixNano),
          attributes: { ...resource, ...scope, ...attributes(span.attributes) },
          statusCode: Number(status.code ?? 0),
          statusMessage: typeof status.message === 'string' && status.message ? status.message : undefined,
        });
      }
    }
  }
  return spans;
}

export function decodeJsonTraces(text: string): OtlpSpan[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new OtlpDecodeError('the body is not valid JSON');
  }
  return flatten(parsed);
}

export function decodeProtobufTraces(bytes: Uint8Array): OtlpSpan[] {
  let message: protobuf.Message;
  try {
    message = RequestType.decode(bytes);
  } catch (err) {
    throw new OtlpDecodeError(`the body is not an ExportTraceServiceRequest protobuf: ${(err as Error).message}`);
  }
  return flatten(RequestType.toObject(message, { longs: String, defaults: false }));
}
