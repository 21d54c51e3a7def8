/** Accessible menu button (WAI-ARIA menu button pattern): Enter/Space/ArrowDown open, arrows move, Escape closes. */
import { useEffect, useId, useRef, useState } from 'react';

/** One menu entry; a disabled entry shows its reason. */
export type MenuItem = { key: string; label: string; onSelect(): void; disabled?: boolean; reason?: string | null };

type MenuButtonProps = {
  label: string;
  items: MenuItem[];
  disabled?: boolean;
  /** The button's class (default `button`; the top bar's menus look like navigation items). */
  className?: string;
};

/** A button that opens a menu of actions. */
export function MenuButton({ label, items, disabled = false, className = 'button' }: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const [activeIndex, setActiveIndex] = useState(0);

  useEffect(() => {
    if (open) itemRefs.current[activeIndex]?.focus();
  }, [open, activeIndex]);

  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => {
      const target = e.target as Node;
      if (!buttonRef.current?.parentElement?.contains(target)) setOpen(false);
    };
    document.addEventListener('mousedown', onDoc);
    return () => document.removeEventListener('mousedown', onDoc);
  }, [open]);

  function close() {
    setOpen(false);
    buttonRef.current?.focus();
  }

  function onMenuKeyDown(e: React.KeyboardEvent) {
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      close();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActiveIndex((i) => (i + 1) % items.length);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActiveIndex((i) => (i - 1 + items.length) % items.length);
    }
  }

  return (
    <div className="menu-wrap">
      <button
        ref={buttonRef}
        type="button"
        className={className}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        disabled={disabled}
        onClick={() => {
          setActiveIndex(0);
          setOpen((o) => !o);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setActiveIndex(0);
            setOpen(true);
          }
        }}
      >
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open ? (
        <div role="menu" id={menuId} aria-label={label} className="menu" onKeyDown={onMenuKeyDown}>
          {items.map((item, i) => (
            <button
              key={item.key}
              ref={(el) => {
                itemRefs.current[i] = el;
              }}
              type="button"
              role="menuitem"
              className="menu-item"
              tabIndex={i === activeIndex ? 0 : -1}
              aria-disabled={item.disabled ? true : undefined}
              onClick={() => {
                if (item.disabled) return;
                close();
                item.onSelect();
              }}
            >
              <span>{item.label}</span>
              {item.disabled && item.reason ? <span className="menu-reason">{item.reason}</span> : null}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
