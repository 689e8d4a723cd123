import { Link } from '../../router/link';
import { hrefWithShared, useLocation } from '../../router/location';
import { GatewaySection } from './gateway-section';
import { KeysSection } from './keys-section';
import { MembersSection } from './members-section';
import { OrgSection } from './org-section';
import { OverridesSection } from './overrides-section';
import { ProjectsSection } from './projects-section';
import { RetentionSection } from '../retention/retention-section';

export default function SettingsPage() {
  const loc = useLocation();
  return (
    <section className="page" aria-labelledby="settings-title">
      <div className="page-head">
        <h1 id="settings-title">Settings</h1>
        <Link href={hrefWithShared('/settings/audit', loc.params)}>Audit log</Link>
      </div>
      <OrgSection />
      <ProjectsSection />
      <RetentionSection />
      <KeysSection />
      <GatewaySection />
      <OverridesSection />
      <MembersSection />
    </section>
  );
}
