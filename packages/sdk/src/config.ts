/** The only place the SDK reads the environment. Explicit options always win over it. */

export const DEFAULT_BASE_URL = 'http://localhost:8787';

export interface EnvDefaults {
  apiKey: string | undefined;
  baseUrl: string;
  environment: string | undefined;
  /** `LLMLAB_DISABLED=1` turns capture off without code changes (tests, local runs). */
  disabled: boolean;
}

/** Reads `LLMLAB_API_KEY`, `LLMLAB_BASE_URL`, `LLMLAB_ENVIRONMENT` and `LLMLAB_DISABLED`. */
export function readEnvDefaults(env: NodeJS.ProcessEnv = process.env): EnvDefaults {
  const nonEmpty = (v: string | undefined) => (v && v.trim() !== '' ? v.trim() : undefined);
  const disabled = nonEmpty(env.LLMLAB_DISABLED);
  return {
    apiKey: nonEmpty(env.LLMLAB_API_KEY),
    baseUrl: nonEmpty(env.LLMLAB_BASE_URL) ?? DEFAULT_BASE_URL,
    environment: nonEmpty(env.LLMLAB_ENVIRONMENT),
    disabled: disabled !== undefined && !['0', 'false', 'no'].includes(disabled.toLowerCase()),
  };
}
