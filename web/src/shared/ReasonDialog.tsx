// An operator action that needs a reason (hide a note, stop a campaign): preset reasons as chips, a
// free-text reason, and the action, which is refused until a reason is given.
import { type ReactNode, useState } from 'react';
import { ErrorBox, Modal } from './ui';
import { useAction } from './useAsync';
import { useI18n } from '../i18n';

export function ReasonDialog({ name, title, intro, note, presets, placeholder, confirmLabel, maxLength = 200, onClose, onConfirm }: {
  /** Names the test ids: `${name}-dialog`, `${name}-reason`, `confirm-${name}`. */
  name: string;
  title: string;
  intro?: ReactNode;
  note?: ReactNode;
  presets: string[];
  placeholder: string;
  confirmLabel: string;
  maxLength?: number;
  onClose: () => void;
  onConfirm: (reason: string) => Promise<void>;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const act = useAction();
  return (
    <Modal title={title} onClose={onClose} testId={`${name}-dialog`}>
      {intro && <p className="small">{intro}</p>}
      <div className="chips-row">{presets.map((p) => <button key={p} className={`chip${reason === p ? ' on' : ''}`} onClick={() => setReason(p)}>{p}</button>)}</div>
      <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={maxLength} placeholder={placeholder} data-testid={`${name}-reason`} className="full-width" />
      {note && <p className="muted small">{note}</p>}
      <ErrorBox error={act.error} />
      <div className="modal-actions">
        <button className="btn btn-ghost" onClick={onClose}>{t('cancel')}</button>
        <button className="btn btn-primary" disabled={!reason.trim() || !!act.busy} onClick={() => act.run(true, () => onConfirm(reason))} data-testid={`confirm-${name}`}>{confirmLabel}</button>
      </div>
    </Modal>
  );
}
