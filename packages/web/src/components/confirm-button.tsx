import { useState } from 'react';

/** A destructive action that needs a second, explicit click (no browser dialogs). */
export function ConfirmButton({
  label,
  confirmLabel,
  onConfirm,
  busy,
  disabled,
}: {
  label: string;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => setAsking(true)} disabled={disabled}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      <button type="button" className="btn btn-small btn-danger" onClick={onConfirm} disabled={busy}>
        {confirmLabel}
      </button>
      <button type="button" className="btn btn-small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
