import type { ReactNode } from "react";

/**
 * Holds a table that may be wider than a phone's screen: it scrolls sideways inside this box, and the page does
 * not. Focusable and named, so keyboard users can scroll it too.
 */
export function TableBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-box" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
