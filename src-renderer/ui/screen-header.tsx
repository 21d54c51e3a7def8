/** The header every screen shares: breadcrumb, the screen's title, optional details and actions. */
import type { Key, ReactNode } from 'react';
import { ScreenTitle } from './focus';

type ScreenHeaderProps = {
  /** The title's id (the screen's `<section aria-labelledby>`). */
  titleId: string;
  breadcrumb: ReactNode;
  title: ReactNode;
  /** Remounts the title (and so focuses it again) when it changes, e.g. another user in the editor. */
  titleKey?: Key;
  /** False when something else takes focus as the screen appears (a result message). */
  focusTitle?: boolean;
  /** Under the title (e.g. the user's login and profile). */
  details?: ReactNode;
  actions?: ReactNode;
};

/** A screen's header; its title takes focus when the screen appears (`ScreenTitle`). */
export function ScreenHeader({ titleId, breadcrumb, title, titleKey, focusTitle = true, details, actions }: ScreenHeaderProps) {
  return (
    <header className="screen-header">
      <div>
        <p className="breadcrumb">{breadcrumb}</p>
        {focusTitle ? (
          <ScreenTitle key={titleKey} id={titleId}>
            {title}
          </ScreenTitle>
        ) : (
          <h1 id={titleId}>{title}</h1>
        )}
        {details}
      </div>
      {actions ? <div className="header-actions">{actions}</div> : null}
    </header>
  );
}
