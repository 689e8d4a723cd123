import { z } from 'zod';

/** POST /v1/traces success (OTLP ExportTraceServiceResponse, JSON encoding). */
export const OtlpExportAnswer = z
  .strictObject({
    partialSuccess: z
      .strictObject({ rejectedSpans: z.number().int().min(1), errorMessage: z.string() })
      .optional()
      .describe('Present when spans with gen_ai usage were rejected'),
  })
  .meta({ id: 'OtlpExportResponse' });
export type OtlpExportAnswer = z.infer<typeof OtlpExportAnswer>;

/** POST /v1/traces failure (google.rpc.Status, JSON encoding): `code` is a gRPC status code. */
export const OtlpStatusAnswer = z.strictObject({ code: z.number().int(), message: z.string() }).meta({ id: 'OtlpStatus' });
export type OtlpStatusAnswer = z.infer<typeof OtlpStatusAnswer>;
