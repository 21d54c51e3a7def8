/** The centred card with the brand mark used before the console opens (sign-in, password change). */
import type { ReactNode } from 'react';

type CardPageProps = { title: string; subtitle: ReactNode; children: ReactNode };

/** A full page holding one card with the brand mark, a title and a subtitle. */
export function CardPage({ title, subtitle, children }: CardPageProps) {
  return (
    <main className="signin-page">
      <div className="signin-card">
        <div className="signin-header">
          <div className="brand-mark" aria-hidden="true">
            O
          </div>
          <div>
            <h1>{title}</h1>
            <p className="muted">{subtitle}</p>
          </div>
        </div>
        {children}
      </div>
    </main>
  );
}
