import { KeysSection } from './keys-section';
import { MembersSection } from './members-section';
import { OverridesSection } from './overrides-section';
import { ProjectsSection } from './projects-section';

export default function SettingsPage() {
  return (
    <section className="page" aria-labelledby="settings-title">
      <div className="page-head">
        <h1 id="settings-title">Settings</h1>
      </div>
      <ProjectsSection />
      <KeysSection />
      <OverridesSection />
      <MembersSection />
    </section>
  );
}
