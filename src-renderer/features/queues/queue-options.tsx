/** The `<option>`s of a queue picker: each queue by name and channel ("Vendas (Voz)"). */
import { useTranslation } from 'react-i18next';
import type { QueueSummary } from '../../../src-shared/domain';

/** One option per queue, valued by its id. */
export function QueueOptions({ queues }: { queues: readonly QueueSummary[] }) {
  const { t } = useTranslation();
  return (
    <>
      {queues.map((q) => (
        <option key={q.id} value={q.id}>
          {q.name} ({t(`channels.${q.channel}`)})
        </option>
      ))}
    </>
  );
}
