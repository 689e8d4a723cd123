import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useScope } from '../../api/session';
import type { CreatedInvitation } from '../../api/types';
import { CopyButton } from '../../components/copy-button';
import { formatTime } from '../../components/format';
import { InviteForm } from './invite-form';
import { PendingInvitations } from './pending-invitations';

/** Inviting people: the form, the link of the invitation just made, and the pending ones. */
export function Invitations() {
  const { me } = useScope();
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  const onInvited = async (invitation: CreatedInvitation) => {
    setCreated(invitation);
    await queryClient.invalidateQueries({ queryKey: ['invitations', me.org.id] });
  };

  return (
    <>
      <h3>Invite someone</h3>
      {created && <NewInvitation invitation={created} onDone={() => setCreated(null)} />}
      <InviteForm onInvited={onInvited} />
      <PendingInvitations onInvited={onInvited} />
    </>
  );
}

/** The link holds a single-use token the server never shows again: this is the one chance to copy it. */
function NewInvitation({ invitation: inv, onDone }: { invitation: CreatedInvitation; onDone: () => void }) {
  return (
    <div className="notice notice-info" role="status" data-testid="new-invitation">
      <strong>
        {inv.email} is invited as {inv.role}.
      </strong>{' '}
      {inv.emailed ? (
        <span data-testid="invitation-emailed">The link was emailed to them; you can also send it yourself.</span>
      ) : (
        'Send them this link: it is shown only once.'
      )}{' '}
      It works until {formatTime(inv.expires_at)}.
      <div className="secret-row">
        <code className="secret" data-testid="invite-url">
          {inv.invite_url}
        </code>
        <CopyButton text={inv.invite_url} label="Copy link" />
        <button type="button" className="btn btn-small" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
