/**
 * Issue 11: "Ramal e filas" of the new-user form: an extension (R10) and voice and chat queues (R8)
 * applied in the same step as the creation. Only free extensions are offered; each chosen queue
 * the user could not join is named with the reason before anything is sent.
 */
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Extension, QueueSummary, QueueKind } from '../../../src-shared/domain';
import type { FieldErrors } from '../../../src-shared/errors';
import { sortByText } from '../../../src-shared/search';
import { Checkbox, Field } from '../../ui/field';
import { useFieldErrorText } from '../../ui/format';
import { queuesOfKind } from '../queues/queues-store';
import type { Assignments } from './assignments';

type Props = {
  idPrefix: string;
  assignments: Assignments;
  extensions: readonly Extension[];
  queues: readonly QueueSummary[];
  errors: FieldErrors;
  disabled: boolean;
  /** R6: with omnichannel on and no extension chosen, the platform associates a free one. */
  omnichannelEnabled: boolean;
  onChange(next: Assignments): void;
};

/** The extension select and the queue checkboxes. */
export function AssignmentsSection({ idPrefix, assignments, extensions, queues, errors, disabled, omnichannelEnabled, onChange }: Props) {
  const { t } = useTranslation();
  const errorText = useFieldErrorText();
  // Queue errors that name no queue (e.g. one deleted meanwhile) go under the whole section.
  const general = (errors.queueIds ?? []).filter((e) => !e.includes(':'));
  const free = sortByText(
    extensions.filter((e) => e.userId === null || e.id === assignments.extensionId),
    (e) => e.number,
  );
  const toggle = (id: string, on: boolean) =>
    onChange({ ...assignments, queueIds: on ? [...assignments.queueIds, id] : assignments.queueIds.filter((q) => q !== id) });
  return (
    <fieldset className="section">
      <legend>{t('newUser.assignments')}</legend>
      <Field
        id={`${idPrefix}-extension`}
        label={t('newUser.extension')}
        errors={errors.extensionId}
        hint={!assignments.extensionId && omnichannelEnabled ? t('newUser.extensionAuto') : undefined}
      >
        {(p) => (
          <select {...p} value={assignments.extensionId} disabled={disabled} onChange={(e) => onChange({ ...assignments, extensionId: e.target.value })}>
            <option value="">{omnichannelEnabled ? t('newUser.extensionAutoOption') : t('newUser.extensionNoneOption')}</option>
            {free.map((e) => (
              <option key={e.id} value={e.id}>
                {e.number}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="two-columns">
        <QueueChoices idPrefix={idPrefix} kind="voice" queues={queues} assignments={assignments} errors={errors.queueIds ?? []} disabled={disabled} onToggle={toggle} />
        <QueueChoices idPrefix={idPrefix} kind="chat" queues={queues} assignments={assignments} errors={errors.queueIds ?? []} disabled={disabled} onToggle={toggle} />
      </div>
      {general.length > 0 ? (
        <p className="field-error" role="alert">
          {general.map(errorText).join(' ')}
        </p>
      ) : null}
    </fieldset>
  );
}

function QueueChoices(props: {
  idPrefix: string;
  kind: QueueKind;
  queues: readonly QueueSummary[];
  assignments: Assignments;
  errors: readonly string[];
  disabled: boolean;
  onToggle(id: string, on: boolean): void;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const list = queuesOfKind([...props.queues], props.kind);
  return (
    <div role="group" aria-labelledby={titleId}>
      <h3 id={titleId}>
        {props.kind === 'voice' ? t('queues.voice') : t('queues.chat')}
      </h3>
      {list.length === 0 ? <p className="muted">{t('queues.empty')}</p> : null}
      {list.map((q) => {
        // Entries are `queueId:code` (pre-check and platform answers alike).
        const own = props.errors.filter((e) => e.startsWith(`${q.id}:`)).map((e) => e.slice(q.id.length + 1));
        return (
          <Checkbox
            key={q.id}
            id={`${props.idPrefix}-queue-${q.id}`}
            label={`${q.name} (${t(`channels.${q.channel}`)})`}
            checked={props.assignments.queueIds.includes(q.id)}
            disabled={props.disabled}
            errors={own}
            onChange={(on) => props.onToggle(q.id, on)}
          />
        );
      })}
    </div>
  );
}
