import { useState } from 'react';

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<'idle' | 'done' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('done');
    } catch {
      // Clipboard access needs a secure context or permission; the text stays selectable.
      setCopied('failed');
    }
    window.setTimeout(() => setCopied('idle'), 2000);
  };
  return (
    <button type="button" className="btn btn-small" onClick={copy} aria-live="polite">
      {copied === 'done' ? 'Copied' : copied === 'failed' ? 'Select and copy' : label}
    </button>
  );
}
