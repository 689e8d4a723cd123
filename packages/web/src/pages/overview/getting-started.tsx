import { useFirstKey } from '../../api/first-key';
import { CopyButton } from '../../components/copy-button';
import { Link } from '../../router/link';
import { hrefWithShared, useLocation } from '../../router/location';

/** Shown once after sign-up: the key is never retrievable again. */
export function FirstKeyBanner() {
  const key = useFirstKey();
  if (!key) return null;
  return (
    <div className="notice notice-info" role="status">
      <strong>Your first API key</strong> (ingest and read). Copy it now: it will not be shown again.
      <div className="secret-row">
        <code className="secret" data-testid="first-key">
          {key}
        </code>
        <CopyButton text={key} />
      </div>
    </div>
  );
}

export function GettingStarted({ rangeLabel }: { rangeLabel: string }) {
  const loc = useLocation();
  const origin = window.location.origin;
  const curl = `curl -X POST ${origin}/api/events/track \\
  -H "Authorization: Bearer $LLMLAB_API_KEY" -H "content-type: application/json" \\
  -d '{"provider":"openai","model":"gpt-4o-mini","input_tokens":1200,"output_tokens":300,"feature":"chat"}'`;
  return (
    <div className="notice notice-empty" data-testid="getting-started">
      <h2>No LLM calls recorded in the {rangeLabel}</h2>
      <p>Send your first event and this page fills in. The quickest way is one HTTP call with your API key:</p>
      <pre className="code">
        <code>{curl}</code>
      </pre>
      <p>
        Or wrap your OpenAI or Anthropic client with the SDK, point it at the proxy, or use the CLI: see{' '}
        <Link href={hrefWithShared('/quickstart', loc.params)}>Quick start</Link>. Need a key?{' '}
        <Link href={hrefWithShared('/settings', loc.params)}>Create one in Settings</Link>.
      </p>
    </div>
  );
}
