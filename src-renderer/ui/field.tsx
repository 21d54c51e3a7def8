/** Form field wrappers that wire labels, inline errors and `aria-invalid`/`aria-describedby`. */
import { useId, type ReactNode } from 'react';
import { useFieldErrorText } from './format';

type FieldProps = {
  id: string;
  label: string;
  errors?: string[];
  hint?: ReactNode;
  children(props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }): ReactNode;
};

/** A labelled text input (or select) with its error list. */
export function Field({ id, label, errors, hint, children }: FieldProps) {
  const notes = useFieldNotes(errors, hint);
  return (
    <div className={`field${errors?.length ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': !!errors?.length, 'aria-describedby': notes.describedBy })}
      {notes.element}
    </div>
  );
}

type CheckboxProps = { id: string; label: string; checked: boolean; disabled?: boolean; errors?: string[]; hint?: ReactNode; onChange(checked: boolean): void };

/** A labelled checkbox with its error list (R3 shows its error here). */
export function Checkbox({ id, label, checked, disabled, errors, hint, onChange }: CheckboxProps) {
  const notes = useFieldNotes(errors, hint);
  const describedBy = notes.describedBy;
  return (
    <div className={`checkbox-field${errors?.length ? ' has-error' : ''}`}>
      <label htmlFor={id} className="checkbox-label">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          disabled={disabled}
          aria-invalid={!!errors?.length}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.checked)}
        />
        <span>{label}</span>
      </label>
      {notes.element}
    </div>
  );
}

/** The hint and error paragraphs under a control, and the `aria-describedby` that points at them. */
function useFieldNotes(errors: string[] | undefined, hint: ReactNode) {
  const text = useFieldErrorText();
  const errorId = useId();
  const hintId = useId();
  const describedBy = [errors?.length ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined;
  const element = (
    <>
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p className="field-error" id={errorId} role="alert">
          {[...new Set(errors.map(text))].join(' ')}
        </p>
      ) : null}
    </>
  );
  return { describedBy, element };
}
