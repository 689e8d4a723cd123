import { CopyButton } from '../../components/copy-button';
import { Link } from '../../router/link';
import { hrefWithShared, useLocation } from '../../router/location';
import { FirstKeyBanner } from '../overview/getting-started';
import { KEY_PLACEHOLDER, snippets } from './snippets';

export default function QuickStartPage() {
  const loc = useLocation();
  const origin = window.location.origin;
  return (
    <section className="page" aria-labelledby="qs-title">
      <div className="page-head">
        <h1 id="qs-title">Quick start</h1>
      </div>
      <p>
        This LLMLab server is at <code data-testid="base-url">{origin}</code>. Replace <code>{KEY_PLACEHOLDER}</code> with a
        project key from <Link href={hrefWithShared('/settings', loc.params)}>Settings → API keys</Link>.
      </p>
      <FirstKeyBanner />
      {snippets(origin).map((s) => (
        <section key={s.id} className="panel" aria-labelledby={`qs-${s.id}`}>
          <div className="panel-head">
            <h2 id={`qs-${s.id}`}>{s.title}</h2>
            <CopyButton text={s.code} label="Copy snippet" />
          </div>
          <p className="muted">{s.intro}</p>
          <pre className="code" data-testid={`snippet-${s.id}`}>
            <code>{s.code}</code>
          </pre>
        </section>
      ))}
    </section>
  );
}
